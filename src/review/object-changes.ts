import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { CLUSTER_SCOPED_FOLDER, objectId, type Manifest } from '../synth/manifest';
import type { PlacedManifest } from './placed-manifest';

/** One object that differs between two syntheses. */
export interface ObjectChange {
  readonly change: 'added' | 'removed' | 'changed';
  /** `Kind/namespace/name`. */
  readonly object: string;
  readonly component: string;
  /** Namespace, or `_cluster` for cluster-scoped objects. */
  readonly namespace: string;
  /** For changed objects: each differing field, `path: before → after`. */
  readonly fields?: readonly string[];
}

const MAX_FIELDS = 12;
const MAX_VALUE = 60;

/** Objects added, removed and changed from `before` to `after`, matched by kind, namespace and name. */
export function compareObjects(before: readonly PlacedManifest[], after: readonly PlacedManifest[]): ObjectChange[] {
  const index = (placed: readonly PlacedManifest[]) => new Map(placed.map((p) => [objectId(p.manifest), p]));
  const old = index(before);
  const fresh = index(after);
  const changes: ObjectChange[] = [];
  const describe = (change: ObjectChange['change'], placed: PlacedManifest, fields?: string[]): ObjectChange => ({
    change,
    object: objectId(placed.manifest),
    component: placed.component,
    namespace: placed.manifest.metadata.namespace ?? '_cluster',
    ...(fields ? { fields } : {}),
  });
  for (const [id, placed] of fresh) {
    const previous = old.get(id);
    if (!previous) changes.push(describe('added', placed));
    // The same object: read back from a file equal to the one just written (readManifestTree).
    else if (previous.manifest !== placed.manifest) {
      const fields = fieldChanges(plain(previous.manifest), plain(placed.manifest), '');
      if (fields.length > 0) {
        const shown = fields.length > MAX_FIELDS ? [...fields.slice(0, MAX_FIELDS), `… and ${fields.length - MAX_FIELDS} more fields`] : fields;
        changes.push(describe('changed', placed, shown));
      }
    }
  }
  for (const [id, placed] of old) if (!fresh.has(id)) changes.push(describe('removed', placed));
  return changes.sort((a, b) => `${a.component}\0${a.namespace}\0${a.object}`.localeCompare(`${b.component}\0${b.namespace}\0${b.object}`));
}

/** Objects whose manifests were written to `dir` (a `manifests/` folder): a file there holds those of its component and namespace. */
export interface WrittenManifests {
  readonly dir: string;
  readonly objects: readonly PlacedManifest[];
}

/**
 * The objects of a previous synthesis, read back from `dist/<env>/manifests/<namespace>/<component>.yaml`.
 * A file byte for byte equal to the same file in `written` holds the same objects, which are taken
 * from there instead of parsing the file again (what has not changed is most of a synthesis).
 */
export function readManifestTree(manifestsDir: string, written?: WrittenManifests): PlacedManifest[] | undefined {
  if (!existsSync(manifestsDir)) return undefined;
  const placed: PlacedManifest[] = [];
  for (const folder of readdirSync(manifestsDir).sort()) {
    const folderPath = path.join(manifestsDir, folder);
    for (const file of readdirSync(folderPath).filter((f) => f.endsWith('.yaml')).sort()) {
      const component = file.slice(0, -'.yaml'.length);
      const text = readFileSync(path.join(folderPath, file), 'utf8');
      if (written && fileHoldsText(path.join(written.dir, folder, file), text)) {
        placed.push(...written.objects.filter((p) => p.component === component && (p.manifest.metadata.namespace ?? CLUSTER_SCOPED_FOLDER) === folder));
        continue;
      }
      for (const document of parseAllDocuments(text)) {
        const manifest = document.toJS() as Manifest | null;
        if (manifest) placed.push({ component, manifest });
      }
    }
  }
  return placed;
}

/** Whether `file` exists and holds exactly `text`. */
export function fileHoldsText(file: string, text: string): boolean {
  return existsSync(file) && readFileSync(file, 'utf8') === text;
}

function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}

/** Leaf-level differences, `path: before → after`; list items with a `name` are matched by name, so reordering reads as what it is. */
export function fieldChanges(before: unknown, after: unknown, at: string): string[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => fieldChanges(before[key], after[key], at ? `${at}.${key}` : key));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const named = (items: unknown[]) => items.every((item) => isRecord(item) && typeof item.name === 'string');
    if (named(before) && named(after)) {
      const byName = (items: unknown[]) => new Map(items.map((item) => [(item as { name: string }).name, item]));
      const old = byName(before);
      const fresh = byName(after);
      const names = [...new Set([...old.keys(), ...fresh.keys()])];
      return names.flatMap((name) => fieldChanges(old.get(name), fresh.get(name), `${at}[${name}]`));
    }
    if (before.length === after.length) return before.flatMap((item, i) => fieldChanges(item, after[i], `${at}[${i}]`));
  }
  return [`${at}: ${show(before)} → ${show(after)}`];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function show(value: unknown): string {
  if (value === undefined) return '(none)';
  const text = isRecord(value) || Array.isArray(value) ? (Array.isArray(value) ? `[${value.length} items]` : '{…}') : JSON.stringify(value);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}
