import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import type { UpstreamHelmChartProps } from '../../constructs/releases/upstream-helm-chart';
import type { Manifest } from '../synth/manifest';
import { rememberedYaml } from '../synth/yaml-files';
import { fileHoldsText } from './object-changes';
import type { PlacedManifest } from './placed-manifest';

/**
 * Upstream charts are reviewed by their values: each is written to
 * `dist/<env>/upstream-charts/<release>.yaml` (repository, chart, version, images, reason, values),
 * and read back as a pseudo-object so that "what changed" sees a version bump or a changed value.
 */
export const UPSTREAM_FOLDER = 'upstream-charts';
const KIND = 'UpstreamHelmRelease';

export function upstreamReleaseObject(props: UpstreamHelmChartProps, images: readonly string[]): PlacedManifest {
  const manifest: Manifest = {
    apiVersion: 'review.govstack.dev/v1',
    kind: KIND,
    metadata: { name: props.releaseName, namespace: props.namespace },
    spec: { repository: props.repository, chart: props.chart, version: props.version, images: [...images], reason: props.reason, values: props.values },
  };
  return { component: `upstream-${props.releaseName}`, manifest: JSON.parse(JSON.stringify(manifest)) as Manifest };
}

export function upstreamReleaseFile(release: PlacedManifest, envName: string): string {
  return [
    `# Upstream Helm chart installed by Terraform (helm_release "${release.manifest.metadata.name}") in environment "${envName}".`,
    '# Not rendered by the kit: review the values below; the chart itself is the pinned upstream version.',
    rememberedYaml(release.manifest, { lineWidth: 0, sortMapEntries: true }),
  ].join('\n');
}

/**
 * The upstream releases of a synthesis, read back from `<distDir>/upstream-charts/`.
 * @param written a newer synthesis's releases, already written to `written.dir`: a file equal to its
 *   namesake there holds that release, which is taken instead of parsing the file again
 */
export function readUpstreamReleases(distDir: string, written?: { readonly dir: string; readonly objects: readonly PlacedManifest[] }): PlacedManifest[] {
  const folder = path.join(distDir, UPSTREAM_FOLDER);
  if (!existsSync(folder)) return [];
  const writtenByFile = new Map((written?.objects ?? []).filter((placed) => placed.manifest.kind === KIND).map((placed) => [upstreamReleaseFileName(placed), placed]));
  return readdirSync(folder)
    .filter((file) => file.endsWith('.yaml'))
    .sort()
    .map((file) => {
      const text = readFileSync(path.join(folder, file), 'utf8');
      const same = writtenByFile.get(file);
      if (same && written && fileHoldsText(path.join(written.dir, UPSTREAM_FOLDER, file), text)) return same;
      const manifest = parse(text) as Manifest;
      return { component: `upstream-${manifest.metadata.name}`, manifest };
    });
}

/** The file an upstream release is written to, under `upstream-charts/`. */
export function upstreamReleaseFileName(release: PlacedManifest): string {
  return `${release.manifest.metadata.name}.yaml`;
}
