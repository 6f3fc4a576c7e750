import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import type { Environment } from '../../constructs/environment/schema';
import { assembleCountry } from '../../stacks/country';
import { renderComponents } from '../synth/render';
import { upstreamImage } from './offline';
import { compareObjects, fieldChanges, readManifestTree, type ObjectChange } from './object-changes';
import { placeManifests, type PlacedManifest } from './placed-manifest';
import { readUpstreamReleases, upstreamReleaseObject } from './upstream-releases';

/** One side of a comparison: an environment's settings and objects (its upstream releases included). */
export interface OutputSnapshot {
  readonly label: string;
  readonly settings: unknown;
  readonly objects: readonly PlacedManifest[];
}

function settingsOf(env: Environment): unknown {
  const { name, $schema, ...settings } = env;
  void name;
  void $schema;
  return JSON.parse(JSON.stringify(settings));
}

/** An environment as its sources synthesise now, rendered in memory (nothing is written). */
export function currentSnapshot(env: Environment): OutputSnapshot {
  const assembly = assembleCountry(env);
  const upstream = assembly.upstreamCharts.map((chart) => upstreamReleaseObject(chart.props, chart.props.images.map((image) => upstreamImage(env, image))));
  return { label: `${env.name} (sources now)`, settings: settingsOf(env), objects: [...placeManifests(renderComponents(assembly)), ...upstream] };
}

/** The last synthesis of an environment, read back from `dist/<env>/`; undefined when there is none. */
export function previousSnapshot(root: string, envName: string): OutputSnapshot | undefined {
  const dir = path.join(root, 'dist', envName);
  const objects = readManifestTree(path.join(dir, 'manifests'));
  if (!objects) return undefined;
  const resolved = path.join(dir, 'environment.resolved.yaml');
  return {
    label: `${envName} (last synthesis in dist/${envName}/)`,
    settings: existsSync(resolved) ? parse(readFileSync(resolved, 'utf8')) : {},
    objects: [...objects, ...readUpstreamReleases(dir)],
  };
}

export interface OutputDiff {
  readonly settings: readonly string[];
  readonly objects: readonly ObjectChange[];
}

/** What `after` has compared with `before`: settings that differ, objects added, removed and changed. */
export function diffOutputs(before: OutputSnapshot, after: OutputSnapshot): OutputDiff {
  return { settings: fieldChanges(before.settings, after.settings, ''), objects: compareObjects(before.objects, after.objects) };
}

const MARK: Readonly<Record<ObjectChange['change'], string>> = { added: '+', removed: '-', changed: '~' };

/** The diff as a reviewer reads it: settings first, then objects by component and namespace. */
export function formatOutputDiff(before: OutputSnapshot, after: OutputSnapshot, diff: OutputDiff): string {
  const lines = [`${after.label} compared with ${before.label}`, ''];
  lines.push(diff.settings.length === 0 ? 'Environment settings: identical.' : `Environment settings: ${diff.settings.length} differ`);
  for (const setting of diff.settings) lines.push(`  ${setting}`);
  const count = (change: ObjectChange['change']) => diff.objects.filter((c) => c.change === change).length;
  lines.push('', diff.objects.length === 0 ? 'Objects: identical.' : `Objects: ${count('added')} added (+), ${count('removed')} removed (-), ${count('changed')} changed (~)`);
  let component = '';
  let namespace = '';
  for (const change of diff.objects) {
    if (change.component !== component) {
      component = change.component;
      namespace = '';
      lines.push(`  component ${component}`);
    }
    if (change.namespace !== namespace) {
      namespace = change.namespace;
      lines.push(`    ${namespace}`);
    }
    lines.push(`      ${MARK[change.change]} ${change.object}`);
    for (const field of change.fields ?? []) lines.push(`          ${field}`);
  }
  return `${lines.join('\n')}\n`;
}
