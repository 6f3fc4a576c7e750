import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { version as YAML_VERSION } from 'yaml/package.json';
import { kitCacheDir, readCacheFile, writeCacheFile } from '../upstream/cache-dir';
import type { Manifest } from './manifest';

const YAML_OPTIONS = { lineWidth: 0, minContentWidth: 0, version: '1.1' } as const;

/**
 * Each object's YAML, made once: the same objects are written as reviewable manifests and again
 * as the templates of their component's Helm chart. Synthesised objects are never changed after
 * rendering, so an object's text cannot go stale.
 */
const written = new WeakMap<Manifest, string>();

/**
 * The YAML of an object, kept across runs by a hash of its JSON (the object's content and key order,
 * which are all the writer reads) under the kit's cache folder: writing YAML is most of what a
 * synthesis spends outside the constructs, and a re-synthesis mostly writes the same objects again.
 * Delete the folder at any time; it is rebuilt on the next run.
 */
function manifestYaml(manifest: Manifest): string {
  let text = written.get(manifest);
  if (text === undefined) {
    text = rememberedYaml(manifest, YAML_OPTIONS);
    written.set(manifest, text);
  }
  return text;
}

/**
 * `stringify(value, options)`, kept across runs by a hash of the options and the value's JSON (its
 * content and key order, which are all the writer reads) under the kit's cache folder.
 */
export function rememberedYaml(value: unknown, options: Readonly<Record<string, unknown>>): string {
  const file = path.join(memoDir(), `${createHash('sha256').update(JSON.stringify([options, value])).digest('hex')}.yaml`);
  let text = readCacheFile(file);
  if (text === undefined) {
    text = stringify(value, options);
    keep(file, text);
  }
  return text;
}

let memo: string | undefined;
/** One folder per yaml release: its writer decides the text. */
function memoDir(): string {
  memo ??= kitCacheDir('yaml', YAML_VERSION);
  return memo;
}

function keep(file: string, text: string): void {
  try {
    writeCacheFile(file, text);
  } catch {
    // A read-only or full cache folder costs time, never the synthesis.
  }
}

/**
 * YAML exactly as reviewers and Helm read it: no folding of long lines, stable key order, and written
 * for YAML 1.1 (what Helm and kubectl parse), so strings such as `no` or `on` are quoted, not booleans.
 */
export function toYamlDocuments(manifests: readonly Manifest[], header: string): string {
  const body = manifests.map(manifestYaml).join('---\n');
  return `${header
    .split('\n')
    .map((line) => `# ${line}`.trimEnd())
    .join('\n')}\n${body}`;
}
