import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { LAYERS } from '../../charts/kit-chart';
import type { Environment } from '../../constructs/environment/schema';
import type { UpstreamHelmChartProps } from '../../constructs/releases/upstream-helm-chart';
import { assembleCountry } from '../../stacks/country';
import type { TerraformJson } from '../../src/policy/types';
import type { Manifest } from '../../src/synth/manifest';
import { chartSourceFromSetting, CHART_SOURCE_SETTING, renderReleases, upstreamReleasesOf, type RenderedRelease } from '../../src/upstream';
import { shippedEnvironments } from './shipped';
import { synthStacks } from './stacks';

/**
 * Where specs take upstream charts from: `GOVSTACK_CHART_SOURCE` when set, otherwise the offline
 * chart mirror CI clones beside the repository (`../shared/chart-mirror`), otherwise each chart's
 * own repository (needs internet).
 */
function specChartSource() {
  const beside = path.resolve(__dirname, '../../../shared/chart-mirror');
  return chartSourceFromSetting(process.env[CHART_SOURCE_SETTING] || (existsSync(path.join(beside, 'index.yaml')) ? beside : undefined));
}

/** An upstream release of a shipped environment: as the kit declares it, and as its chart renders it. */
export interface ShippedRelease {
  readonly env: Environment;
  /** The layer whose stack installs the release; earlier layers' stacks are applied first. */
  readonly layer: string;
  /** The release as the construct declares it (declared images, exceptions are read from here). */
  readonly release: UpstreamHelmChartProps;
  /** The release as Terraform installs it, rendered with the real Helm (exactly its values from the Terraform JSON). */
  readonly rendered: RenderedRelease;
  /** Every object the chart renders; fails the spec, with Helm's message, when the chart refuses the values. */
  readonly objects: readonly Manifest[];
}

const rendered = new Map<string, Promise<ShippedRelease[]>>();

/** Every upstream release of one shipped environment, in installation order, rendered once per spec file. */
export function renderShipped(env: Environment): Promise<ShippedRelease[]> {
  if (!rendered.has(env.name)) rendered.set(env.name, render(env));
  return rendered.get(env.name)!;
}

async function render(env: Environment): Promise<ShippedRelease[]> {
  const byLayer = synthStacks(env);
  const stacks = LAYERS.map((layer) => `${env.name}-${layer}`);
  const terraform = Object.fromEntries(LAYERS.map((layer) => [`${env.name}-${layer}`, JSON.parse(byLayer[layer]) as TerraformJson]));
  const releases = await renderReleases(upstreamReleasesOf(terraform, stacks), { kubernetesVersion: env.cluster.kubernetesVersion, source: specChartSource() });
  const declared = new Map(assembleCountry(env).upstreamCharts.map((chart) => [chart.props.releaseName, chart.props]));
  return releases.map((release) => ({
    env,
    layer: release.stack.slice(env.name.length + 1),
    release: declared.get(release.releaseName)!,
    rendered: release,
    get objects(): readonly Manifest[] {
      if (release.error) throw new Error(`the chart of ${release.releaseName} (${release.chart} ${release.version}) refuses the kit's values in ${env.name}: ${release.error}`);
      return release.objects;
    },
  }));
}

/** The shipped environments' releases named `releaseName`, rendered. */
export async function renderShippedRelease(releaseName: string): Promise<ShippedRelease[]> {
  const all = await Promise.all(shippedEnvironments().map((env) => renderShipped(env)));
  return all.flat().filter((shipped) => shipped.release.releaseName === releaseName);
}

/** Shipped environments with the release named `releaseName`, without rendering (for `it.each` tables). */
export function environmentsWith(releaseName: string): Environment[] {
  return shippedEnvironments().filter((env) => assembleCountry(env).upstreamCharts.some((chart) => chart.props.releaseName === releaseName));
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
