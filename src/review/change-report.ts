import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { compareObjects, readManifestTree, type ObjectChange } from './object-changes';
import type { PlacedManifest } from './placed-manifest';
import { readUpstreamReleases } from './upstream-releases';

/**
 * What changed in an environment's objects with its most recent synthesis that changed any.
 * Re-running synthesis without changes keeps the report as it was, so identical runs give
 * identical bytes and the review bundle keeps telling the change board what the last change did.
 */
export interface ChangeReport {
  /** `first`: no earlier output was there to compare with; `previous`: compared with the output it replaced. */
  readonly basis: 'first' | 'previous';
  readonly changes: readonly ObjectChange[];
}

export const CHANGES_FILE = 'changes.json';

/**
 * Compares an environment's new objects (and upstream releases) with the output in `previousDir`
 * (`dist/<env>/`), which is about to be replaced.
 * @param currentDir the new output's `dist/<env>/` when its manifests and upstream releases are already
 *   written: files unchanged there are not parsed again
 */
export function changeReport(current: readonly PlacedManifest[], previousDir: string, currentDir?: string): ChangeReport {
  const previous = readManifestTree(path.join(previousDir, 'manifests'), currentDir ? { dir: path.join(currentDir, 'manifests'), objects: current } : undefined);
  if (!previous) return { basis: 'first', changes: [] };
  const changes = compareObjects([...previous, ...readUpstreamReleases(previousDir, currentDir ? { dir: currentDir, objects: current } : undefined)], current);
  if (changes.length > 0) return { basis: 'previous', changes };
  const file = path.join(previousDir, CHANGES_FILE);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ChangeReport) : { basis: 'previous', changes: [] };
}

export function changeReportJson(report: ChangeReport): string {
  return `${JSON.stringify({ basis: report.basis, changes: report.changes }, null, 2)}\n`;
}
