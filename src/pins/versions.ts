import type { PinConfirmation } from '../../constructs/pins';

/** A release version as registries write them: numbers (`1.2.0.1`, `v1.21.1`) and maybe a pre-release (`-rc1`, `-B1`). */
interface ParsedVersion {
  readonly numbers: readonly number[];
  readonly preRelease?: string;
}

/** Undefined for what is no release version (a commit, a branch, `latest`). */
function parse(version: string): ParsedVersion | undefined {
  const match = /^v?(\d+(?:\.\d+)*)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(version);
  if (!match) return undefined;
  return { numbers: match[1].split('.').map(Number), preRelease: match[2] };
}

function compare(a: ParsedVersion, b: ParsedVersion): number {
  for (let i = 0; i < Math.max(a.numbers.length, b.numbers.length); i++) {
    const difference = (a.numbers[i] ?? 0) - (b.numbers[i] ?? 0);
    if (difference !== 0) return difference;
  }
  // A release sorts after its own pre-releases.
  if (a.preRelease === undefined) return b.preRelease === undefined ? 0 : 1;
  return b.preRelease === undefined ? -1 : 0;
}

/**
 * The newest release among `candidates` that is a patch of `pinned`: same major and minor, higher,
 * and no pre-release. Undefined when there is none (or `pinned` is no release version).
 */
export function newerPatch(pinned: string, candidates: readonly string[]): string | undefined {
  const base = parse(pinned);
  if (!base || base.numbers.length < 2) return undefined;
  let newest: { readonly text: string; readonly parsed: ParsedVersion } | undefined;
  for (const text of candidates) {
    const parsed = parse(text);
    if (!parsed || parsed.preRelease !== undefined || text.includes('+incompatible')) continue;
    if (parsed.numbers[0] !== base.numbers[0] || parsed.numbers[1] !== base.numbers[1]) continue;
    if (compare(parsed, base) <= 0) continue;
    if (!newest || compare(parsed, newest.parsed) > 0) newest = { text, parsed };
  }
  return newest?.text;
}

/** The newest release (no pre-release) among `candidates`, for messages. */
export function newestRelease(candidates: readonly string[]): string | undefined {
  return candidates
    .map((text) => ({ text, parsed: parse(text) }))
    .filter((c): c is { text: string; parsed: ParsedVersion } => c.parsed !== undefined && c.parsed.preRelease === undefined)
    .sort((a, b) => compare(b.parsed, a.parsed))[0]?.text;
}

/**
 * The version to look up: the confirmation's own, or else the pin's (a Go module version starts with
 * "v"; Maven, npm and PyPI versions do not).
 */
export function registryVersion(confirm: Exclude<PinConfirmation, { unavailable: string }>, pinned: string): string {
  if (confirm.version) return confirm.version;
  if ('goModule' in confirm) return pinned.startsWith('v') ? pinned : `v${pinned}`;
  return pinned.replace(/^v(?=\d)/, '');
}
