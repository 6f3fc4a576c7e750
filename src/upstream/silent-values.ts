import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { parse, stringify } from 'yaml';
import { chartArchive, type ChartSource } from './chart-source';
import { customApiVersions, helmTemplateArgs, installedBefore, type RenderedRelease } from './render';
import { helmBinary } from './tools';

/** One value the kit sets that the chart's output does not depend on. */
export interface SilentValue {
  readonly release: string;
  /** Dotted path in the release's values, e.g. `controller.podLabels.team`. */
  readonly path: string;
}

export interface SilentValuesOptions {
  readonly kubernetesVersion: string;
  readonly source: ChartSource;
  /** Helm processes at once. @default 2 */
  readonly parallel?: number;
  /** Called after each release. */
  readonly progress?: (release: string, checked: number, silent: number) => void;
}

/**
 * Every value path of each release whose removal leaves what Helm renders unchanged: a value the
 * chart never reads (a misspelt key, a key of another chart version) looks like configuration in
 * review and does nothing. Each leaf of the values (a list counts as one) is removed in turn and
 * the chart rendered again, with the same release, namespace, Kubernetes version and API versions
 * as the real render; output that Helm generates afresh on every render (certificates, random
 * passwords) is masked before comparing.
 */
export async function findSilentValues(releases: readonly RenderedRelease[], options: SilentValuesOptions): Promise<SilentValue[]> {
  const helm = helmBinary();
  const available = new Map(releases.map((r) => [`${r.stack} ${r.address}`, r]));
  const silent: SilentValue[] = [];
  for (const release of releases) {
    if (release.error) continue;
    const archive = chartArchive(options.source, release);
    const apiVersions = customApiVersions(installedBefore(release, releases, available));
    const render = (values: string) => helmTemplate(helm, archive, release, values, options.kubernetesVersion, apiVersions);
    // `render` masks what Helm generates afresh; output that still differs between two renders of the same values is not comparable.
    const baseline = await render(release.values);
    if ((await render(release.values)) !== baseline) throw new Error(`release ${release.releaseName} renders differently each time even after masking generated secrets`);
    const values = (parse(release.values, { version: '1.1' }) ?? {}) as Record<string, unknown>;
    const paths = leafPaths(values);
    // Silent: the output neither changes when the value is removed (it may equal the chart's default)
    // nor when it is changed.
    const results = await inParallel(paths, options.parallel ?? 2, async (leaf) =>
      (await render(without(values, leaf))) === baseline && (await render(changed(values, leaf))) === baseline ? leaf : undefined,
    );
    const found = results.filter((leaf): leaf is string[] => leaf !== undefined);
    for (const leaf of found) silent.push({ release: release.releaseName, path: leaf.join('.') });
    options.progress?.(release.releaseName, paths.length, found.length);
  }
  return silent;
}

/** Every path to a scalar, a list or an empty map in the values. */
export function leafPaths(values: unknown, prefix: string[] = []): string[][] {
  if (values === null || typeof values !== 'object' || Array.isArray(values) || Object.keys(values).length === 0) return prefix.length > 0 ? [prefix] : [];
  return Object.entries(values as Record<string, unknown>).flatMap(([key, child]) => leafPaths(child, [...prefix, key]));
}

/** The values document without one leaf, as Terraform would hand it to Helm (YAML 1.1). */
export function without(values: Record<string, unknown>, leaf: readonly string[]): string {
  const copy = JSON.parse(JSON.stringify(values)) as Record<string, unknown>;
  let node = copy;
  for (const key of leaf.slice(0, -1)) node = node[key] as Record<string, unknown>;
  delete node[leaf[leaf.length - 1]];
  return stringify(copy, { sortMapEntries: true, lineWidth: 0, version: '1.1' });
}

/** The values document with one leaf set to another value of its type. */
export function changed(values: Record<string, unknown>, leaf: readonly string[]): string {
  const copy = JSON.parse(JSON.stringify(values)) as Record<string, unknown>;
  let node = copy;
  for (const key of leaf.slice(0, -1)) node = node[key] as Record<string, unknown>;
  const key = leaf[leaf.length - 1];
  const value = node[key];
  node[key] =
    typeof value === 'boolean' ? !value
    : typeof value === 'number' ? value + 1
    : typeof value === 'string' ? `${value}-changed`
    : Array.isArray(value) ? (value.length > 0 ? [] : ['changed'])
    : value === null ? 'changed'
    : { changed: 'changed' };
  return stringify(copy, { sortMapEntries: true, lineWidth: 0, version: '1.1' });
}

/** Helm's output with what it generates afresh on each render (PEM blocks, long base64 runs) replaced by a marker. */
export function masked(output: string): string {
  return output
    .replace(/-----BEGIN [A-Z ]+-----[\s\S]*?-----END [A-Z ]+-----/g, '<generated PEM>')
    .replace(/[A-Za-z0-9+/]{24,}={0,2}/g, '<generated>');
}

async function helmTemplate(
  helm: string,
  archive: string,
  release: RenderedRelease,
  values: string,
  kubernetesVersion: string,
  apiVersions: readonly string[],
): Promise<string> {
  const work = mkdtempSync(path.join(tmpdir(), 'govstack-silent-'));
  try {
    writeFileSync(path.join(work, 'values.yaml'), values);
    const args = helmTemplateArgs(release, archive, path.join(work, 'values.yaml'), kubernetesVersion, apiVersions);
    try {
      const { stdout } = await promisify(execFile)(helm, args, { maxBuffer: 256 * 1024 * 1024, timeout: 300_000 });
      return masked(stdout);
    } catch (error) {
      // The chart refuses the values without this one: it certainly reads it.
      return `refused: ${((error as { stderr?: string }).stderr ?? '').trim()}`;
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function inParallel<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
