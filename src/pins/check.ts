import type { Pin } from './collect';
import { askRegistry, describeSource, registryName, registryUrl, type HttpGet, type RegistryAnswer, type RegistryConfirmation, type RegistryUrls } from './registries';
import { newerPatch, registryVersion } from './versions';

/** What the check found for one pin. */
export type PinVerdict =
  | { readonly status: 'confirmed'; readonly source: string }
  | { readonly status: 'newer-patch'; readonly source: string; readonly newer: string }
  /** No reachable registry can say: the declared reason, or the registry's refusal. */
  | { readonly status: 'cannot-check'; readonly reason: string }
  /** `registry` is the base URL that was asked. */
  | { readonly status: 'missing'; readonly source: string; readonly registry: string; readonly detail: string }
  | { readonly status: 'registry-error'; readonly source: string; readonly registry: string; readonly detail: string }
  /** The pin declares no confirmation at all. */
  | { readonly status: 'undeclared' };

export interface PinResult {
  readonly pin: Pin;
  readonly verdict: PinVerdict;
}

export interface CheckOptions {
  readonly registries: RegistryUrls;
  readonly get: HttpGet;
  /** Registry requests under way at once. */
  readonly concurrency: number;
  /** Chart versions a chart mirror's index holds, by chart name: said of charts no registry carries. */
  readonly chartMirror?: { readonly where: string; readonly versions: ReadonlyMap<string, ReadonlySet<string>> };
}

/** Checks every pin against the registry its confirmation names; one request per release, however many pins share it. */
export async function checkPins(pins: readonly Pin[], options: CheckOptions): Promise<PinResult[]> {
  const answers = new Map<string, Promise<RegistryAnswer>>();
  const limit = limiter(options.concurrency);
  const ask = (confirm: RegistryConfirmation, version: string) => {
    const key = JSON.stringify([confirm, version]);
    let answer = answers.get(key);
    if (!answer) {
      answer = limit(() => askOnceMore(confirm, version, options));
      answers.set(key, answer);
    }
    return answer;
  };
  return Promise.all(pins.map(async (pin) => ({ pin, verdict: await verdictOf(pin, options, ask) })));
}

async function verdictOf(pin: Pin, options: CheckOptions, ask: (confirm: RegistryConfirmation, version: string) => Promise<RegistryAnswer>): Promise<PinVerdict> {
  const confirm = pin.confirm;
  if (!confirm) return { status: 'undeclared' };
  if ('unavailable' in confirm) return { status: 'cannot-check', reason: confirm.unavailable + mirrorNote(pin, options) };
  const version = registryVersion(confirm, pin.version);
  const source = describeSource(confirm, version);
  const registry = registryName(confirm, options.registries);
  const answer = await ask(confirm, version);
  switch (answer.kind) {
    case 'found': {
      const newer = newerPatch(version, answer.versions);
      return newer ? { status: 'newer-patch', source, newer } : { status: 'confirmed', source };
    }
    case 'not-found':
      return { status: 'missing', source, registry: registryUrl(confirm, options.registries), detail: answer.detail };
    case 'not-served':
      return { status: 'cannot-check', reason: `${registry} does not serve ${source} to this machine (${answer.detail}); it may exist` };
    case 'error':
      return { status: 'registry-error', source, registry, detail: answer.detail };
  }
}

function mirrorNote(pin: Pin, options: CheckOptions): string {
  const mirror = options.chartMirror;
  if (pin.kind !== 'chart' || !pin.chart || !mirror) return '';
  return mirror.versions.get(pin.chart)?.has(pin.version)
    ? `; ${pin.chart} ${pin.version} is in the chart mirror's index (${mirror.where}), a copy, not a registry`
    : `; ${pin.chart} ${pin.version} is not in the chart mirror's index (${mirror.where}) either`;
}

/** A registry that did not answer is asked once more before the check calls it down: one lost packet should not fail CI. */
async function askOnceMore(confirm: RegistryConfirmation, version: string, options: CheckOptions): Promise<RegistryAnswer> {
  const first = await askRegistry(confirm, version, options.registries, options.get);
  if (first.kind !== 'error') return first;
  return askRegistry(confirm, version, options.registries, options.get);
}

function limiter(concurrency: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    while (running >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await task();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}
