import { stringify } from 'yaml';
import type { Manifest } from './manifest';

/**
 * Each object's YAML, made once: the same objects are written as reviewable manifests and again
 * as the templates of their component's Helm chart. Synthesised objects are never changed after
 * rendering, so an object's text cannot go stale.
 */
const written = new WeakMap<Manifest, string>();

function manifestYaml(manifest: Manifest): string {
  let text = written.get(manifest);
  if (text === undefined) {
    text = stringify(manifest, { lineWidth: 0, minContentWidth: 0, version: '1.1' });
    written.set(manifest, text);
  }
  return text;
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
