import type { PinConfirmation } from '../../constructs/pins';
import { newestRelease } from './versions';

/** Base URLs of the registries the kit's machines reach; a spec points them at a local server. */
export interface RegistryUrls {
  readonly maven: string;
  readonly npm: string;
  readonly goProxy: string;
  readonly pypi: string;
}

export const PUBLIC_REGISTRIES: RegistryUrls = {
  maven: 'https://repo1.maven.org/maven2',
  npm: 'https://registry.npmjs.org',
  goProxy: 'https://proxy.golang.org',
  pypi: 'https://pypi.org/pypi',
};

export type RegistryConfirmation = Exclude<PinConfirmation, { unavailable: string }>;

/** What one registry says of one release. */
export type RegistryAnswer =
  /** The release exists; `versions` are the others the registry lists (for newer patches), maybe not all. */
  | { readonly kind: 'found'; readonly versions: readonly string[] }
  /** The registry shows the release does not exist. */
  | { readonly kind: 'not-found'; readonly detail: string }
  /** The registry refuses to say, to this machine (403): the release may exist. */
  | { readonly kind: 'not-served'; readonly detail: string }
  /** No usable answer: connection refused, timeout, a server error, a body that is not the registry's format. */
  | { readonly kind: 'error'; readonly detail: string };

export interface HttpResponse {
  readonly status: number;
  readonly body: string;
}

/** One GET; rejects when no answer comes (network, timeout). */
export type HttpGet = (url: string, headers: Readonly<Record<string, string>>) => Promise<HttpResponse>;

export function httpGet(timeoutMs: number): HttpGet {
  return async (url, headers) => {
    const response = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
    return { status: response.status, body: await response.text() };
  };
}

/** The registry a confirmation names, in words, with what is looked up there. */
export function describeSource(confirm: RegistryConfirmation, version: string): string {
  if ('maven' in confirm) return `Maven Central ${confirm.maven} ${version}`;
  if ('npm' in confirm) return `npm ${confirm.npm}@${version}`;
  if ('pypi' in confirm) return `PyPI ${confirm.pypi} ${version}`;
  return `Go module ${confirm.goModule}@${version}`;
}

/** The base URL of the registry a confirmation names. */
export function registryUrl(confirm: RegistryConfirmation, urls: RegistryUrls): string {
  if ('maven' in confirm) return urls.maven;
  if ('npm' in confirm) return urls.npm;
  if ('pypi' in confirm) return urls.pypi;
  return urls.goProxy;
}

export function registryName(confirm: RegistryConfirmation, urls: RegistryUrls): string {
  if ('maven' in confirm) return `Maven Central (${urls.maven})`;
  if ('npm' in confirm) return `the npm registry (${urls.npm})`;
  if ('pypi' in confirm) return `PyPI (${urls.pypi})`;
  return `the Go module proxy (${urls.goProxy})`;
}

/** Asks the registry a confirmation names whether `version` exists, and what else it lists. */
export async function askRegistry(confirm: RegistryConfirmation, version: string, urls: RegistryUrls, get: HttpGet): Promise<RegistryAnswer> {
  try {
    if ('maven' in confirm) return await askMaven(confirm.maven, version, urls.maven, get);
    if ('npm' in confirm) return await askNpm(confirm.npm, version, urls.npm, get);
    if ('pypi' in confirm) return await askPypi(confirm.pypi, version, urls.pypi, get);
    return await askGoProxy(confirm.goModule, version, urls.goProxy, get);
  } catch (error) {
    if (error instanceof NotRegistryFormat) return { kind: 'error', detail: error.message };
    // fetch rejects with "fetch failed" and the reason (refused, reset, DNS) as its cause; a timeout is a TimeoutError.
    // (Read by shape: errors from fetch may come from another realm, where instanceof Error is false.)
    const failure = error as { message?: string; cause?: { message?: string } };
    const cause = failure.cause?.message ?? failure.message ?? String(error);
    return { kind: 'error', detail: `no answer (${cause})` };
  }
}

/** A 200 answer whose body is not what the registry serves. */
class NotRegistryFormat extends Error {}

/** An answer other than "here it is" or "no such thing". */
function unexpected(response: HttpResponse, url: string): RegistryAnswer {
  const text = response.body.trim().split('\n')[0].slice(0, 120);
  if (response.status === 403) return { kind: 'not-served', detail: `${url} answered 403${text ? ` "${text}"` : ''}` };
  return { kind: 'error', detail: `${url} answered ${response.status}${text ? ` "${text}"` : ''}` };
}

function listed(versions: readonly string[], version: string, what: string): RegistryAnswer {
  if (versions.includes(version)) return { kind: 'found', versions };
  const newest = newestRelease(versions);
  return { kind: 'not-found', detail: `${what} lists ${versions.length} version(s), not ${version}${newest ? `; newest release ${newest}` : ''}` };
}

async function askMaven(coordinates: string, version: string, base: string, get: HttpGet): Promise<RegistryAnswer> {
  const [group, artifact] = coordinates.split(':');
  const url = `${base}/${group.replace(/\./g, '/')}/${artifact}/maven-metadata.xml`;
  const response = await get(url, {});
  if (response.status === 404) return { kind: 'not-found', detail: `no artifact ${coordinates} (${url} answered 404)` };
  if (response.status !== 200) return unexpected(response, url);
  if (!response.body.includes('<metadata')) throw new NotRegistryFormat(`${url} answered 200 with a body that is not Maven metadata`);
  const versions = [...response.body.matchAll(/<version>\s*([^<\s]+)\s*<\/version>/g)].map((m) => m[1]);
  return listed(versions, version, 'its metadata');
}

async function askNpm(name: string, version: string, base: string, get: HttpGet): Promise<RegistryAnswer> {
  const url = `${base}/${name.replace('/', '%2f')}`;
  // The abbreviated document: versions without readmes (n8n's full document is tens of megabytes).
  const response = await get(url, { accept: 'application/vnd.npm.install-v1+json' });
  if (response.status === 404) return { kind: 'not-found', detail: `no package ${name} (${url} answered 404)` };
  if (response.status !== 200) return unexpected(response, url);
  const versions = Object.keys(parseJson<{ versions?: Record<string, unknown> }>(response.body, url).versions ?? {});
  return listed(versions, version, 'the package');
}

async function askPypi(name: string, version: string, base: string, get: HttpGet): Promise<RegistryAnswer> {
  const url = `${base}/${name}/json`;
  const response = await get(url, {});
  if (response.status === 404) return { kind: 'not-found', detail: `no project ${name} (${url} answered 404)` };
  if (response.status !== 200) return unexpected(response, url);
  const versions = Object.keys(parseJson<{ releases?: Record<string, unknown> }>(response.body, url).releases ?? {});
  return listed(versions, version, 'the project');
}

/** Module paths and versions on the proxy escape capitals as "!" and the lower-case letter. */
const goEscape = (text: string) => text.replace(/[A-Z]/g, (c) => `!${c.toLowerCase()}`);

async function askGoProxy(module: string, version: string, base: string, get: HttpGet): Promise<RegistryAnswer> {
  const root = `${base}/${goEscape(module)}/@v`;
  const url = `${root}/${goEscape(version)}.info`;
  const response = await get(url, {});
  // The proxy answers 404 or 410 for a module or version that does not exist (or is no valid version of that path).
  if (response.status === 404 || response.status === 410) {
    return { kind: 'not-found', detail: `${url} answered ${response.status}${response.body ? ` "${response.body.trim().split('\n')[0].slice(0, 120)}"` : ''}` };
  }
  if (response.status !== 200) return unexpected(response, url);
  parseJson<{ Version?: string }>(response.body, url);
  // The version list holds the versions the proxy has seen, which may not be all: newer patches are a lower bound.
  const list = await get(`${root}/list`, {});
  const versions = list.status === 200 ? list.body.split('\n').map((line) => line.trim()).filter(Boolean) : [];
  return { kind: 'found', versions };
}

function parseJson<T>(body: string, url: string): T {
  try {
    return JSON.parse(body) as T;
  } catch {
    throw new NotRegistryFormat(`${url} answered 200 with a body that is not JSON`);
  }
}
