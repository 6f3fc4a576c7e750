import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { HarnessError } from '../harness-error';

/** Maven Central, the registry Java products are taken from (`GOVSTACK_MAVEN_REPOSITORY` names a mirror). */
export function mavenRepository(): string {
  return (process.env.GOVSTACK_MAVEN_REPOSITORY ?? 'https://repo1.maven.org/maven2').replace(/\/$/, '');
}

/** The URL of a Maven artifact: group:artifact:version with its classifier-less extension. */
export function mavenArtifactUrl(group: string, artifact: string, version: string, extension: string): string {
  return `${mavenRepository()}/${group.replace(/\./g, '/')}/${artifact}/${version}/${artifact}-${version}.${extension}`;
}

/**
 * Downloads a Maven artifact into `folder` once, checked against the SHA-1 Maven Central publishes
 * beside it; a missing artifact names its coordinates and the registry.
 */
export async function fetchMavenArtifact(group: string, artifact: string, version: string, extension: string, folder: string, log: (line: string) => void): Promise<string> {
  const file = path.join(folder, `${artifact}-${version}.${extension}`);
  if (existsSync(file)) return file;
  mkdirSync(folder, { recursive: true });
  const url = mavenArtifactUrl(group, artifact, version, extension);
  log(`downloading ${url}`);
  const [body, sha1] = await Promise.all([download(url), download(`${url}.sha1`).then((b) => b.toString('utf8').trim().split(/\s+/)[0])]);
  const actual = createHash('sha1').update(body).digest('hex');
  if (actual !== sha1) throw new HarnessError(`${url}: SHA-1 ${actual} differs from the registry's ${sha1} (a truncated or altered download)`);
  writeFileSync(`${file}.partial`, body);
  renameSync(`${file}.partial`, file);
  return file;
}

async function download(url: string): Promise<Buffer> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(600_000) });
  } catch (error) {
    throw new HarnessError(`cannot download ${url}: ${(error as Error).message} (is the registry reachable from here?)`);
  }
  if (response.status === 404) throw new HarnessError(`${url} does not exist (404): the registry has no such release`);
  if (!response.ok) throw new HarnessError(`cannot download ${url}: HTTP ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}
