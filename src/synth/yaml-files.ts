import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { kitCacheDir } from '../upstream/cache-dir';
import type { Manifest } from './manifest';

const YAML_OPTIONS = { lineWidth: 0, minContentWidth: 0, version: '1.1' } as const;

/** The yaml library's release: its writer decides the text, so it is part of the memo's key. */
const YAML_VERSION = (JSON.parse(readFileSync(require.resolve('yaml/package.json'), 'utf8')) as { version: string }).version;

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
    const file = path.join(memoDir(), `${createHash('sha256').update(JSON.stringify(manifest)).digest('hex')}.yaml`);
    text = readIfPresent(file);
    if (text === undefined) {
      text = stringify(manifest, YAML_OPTIONS);
      keep(file, text);
    }
    written.set(manifest, text);
  }
  return text;
}

let memo: string | undefined;
function memoDir(): string {
  memo ??= kitCacheDir('yaml', YAML_VERSION);
  return memo;
}

function readIfPresent(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Written beside and renamed into place, so that two runs at once never read half a text. */
function keep(file: string, text: string): void {
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    const partial = `${file}.${process.pid}.partial`;
    writeFileSync(partial, text);
    renameSync(partial, file);
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
