import { App as Cdk8sApp } from 'cdk8s';
import type { App as CdktfApp } from 'cdktf';
import { addBuildingBlockCharts } from '../charts/building-blocks';
import { addInformationMediatorCharts } from '../charts/information-mediator';
import { KitChart, LAYERS, type LayerName } from '../charts/kit-chart';
import { addPlatformCharts } from '../charts/platform';
import { decommissionedBuildingBlocks } from '../constructs/building-blocks/lifecycle';
import type { Environment } from '../constructs/environment/schema';
import { buildingBlockNamespace } from '../constructs/information-mediator/contract';
import { UpstreamHelmChart } from '../constructs/releases/upstream-helm-chart';
import { LayerStack, type NamespaceManifest, type PackagedChart } from './layer-stack';

/** Everything one environment is made of, before anything is written to disk. */
export interface CountryAssembly {
  readonly env: Pick<Environment, 'buildingBlocks' | 'cluster' | 'name' | 'terraformState'>;
  readonly charts: readonly KitChart[];
  readonly upstreamCharts: readonly UpstreamHelmChart[];
}

/** Builds the construct tree of one environment: the layers in order, each adding its charts. */
export function assembleCountry(env: Pick<Environment, 'buildingBlocks' | 'cluster' | 'country' | 'domain' | 'ha' | 'name' | 'platform' | 'registry' | 'stage' | 'terraformState' | 'tls' | 'xroad'>): CountryAssembly {
  const app = new Cdk8sApp({ outdir: 'unused', recordConstructMetadata: false });
  addPlatformCharts(app, env);
  addInformationMediatorCharts(app, env);
  addBuildingBlockCharts(app, env);

  const charts = app.node.findAll().filter(KitChart.isKitChart);
  const components = new Set<string>();
  for (const chart of charts) {
    if (components.has(chart.component)) throw new Error(`two charts are named "${chart.component}" in environment ${env.name}`);
    components.add(chart.component);
  }
  return { env, charts, upstreamCharts: app.node.findAll().filter(UpstreamHelmChart.isUpstreamHelmChart) };
}

/** The layer an upstream chart belongs to is the layer of the kit chart that declared it. */
export function layerOf(upstream: UpstreamHelmChart): LayerName {
  const chart = upstream.node.scopes.find(KitChart.isKitChart);
  if (!chart) throw new Error(`upstream chart ${upstream.props.releaseName} must be declared inside a KitChart`);
  return chart.layer;
}

/**
 * Adds the environment's three stacks to a cdktf app. Namespaces are all created by the platform
 * stack, so every later layer finds its namespace in place; upstream releases come before our charts.
 * A decommissioned building block's namespace and release are forgotten by Terraform, not destroyed:
 * deleting its data is the operator's deliberate step (README).
 */
export function addCountryStacks(
  app: CdktfApp,
  assembly: CountryAssembly,
  namespaces: readonly NamespaceManifest[],
  packaged: readonly (PackagedChart & { readonly layer: LayerName })[],
): LayerStack[] {
  const stacks: LayerStack[] = [];
  const decommissioned = decommissionedBuildingBlocks(assembly.env).map(buildingBlockNamespace);
  for (const layer of LAYERS) {
    const stack = new LayerStack(app, assembly.env, layer, [...stacks]);
    if (layer === 'platform') namespaces.forEach((namespace) => stack.addNamespace(namespace));
    if (layer === 'platform') decommissioned.forEach((namespace) => stack.forgetNamespace(namespace));
    if (layer === 'building-blocks') decommissioned.forEach((component) => stack.forgetPackagedChart(component));
    for (const upstream of assembly.upstreamCharts.filter((u) => layerOf(u) === layer)) stack.addUpstreamRelease(upstream.props);
    for (const chart of packaged.filter((c) => c.layer === layer)) stack.addPackagedChart(chart);
    stacks.push(stack);
  }
  return stacks;
}
