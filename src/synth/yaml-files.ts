import { stringify } from 'yaml';
import type { Manifest } from './manifest';

/**
 * YAML exactly as reviewers and Helm read it: no folding of long lines, stable key order, and written
 * for YAML 1.1 (what Helm and kubectl parse), so strings such as `no` or `on` are quoted, not booleans.
 */
export function toYamlDocuments(manifests: readonly Manifest[], header: string): string {
  const body = manifests.map((manifest) => stringify(manifest, { lineWidth: 0, minContentWidth: 0, version: '1.1' })).join('---\n');
  return `${header
    .split('\n')
    .map((line) => `# ${line}`.trimEnd())
    .join('\n')}\n${body}`;
}
