import type { LayerName } from '../../charts/kit-chart';
import { declaredExceptions, upstreamExceptionsOf, type UpstreamException } from '../../constructs/baseline/policy-exception';
import { upstreamImage } from '../../constructs/images';
import type { Environment } from '../../constructs/environment/schema';
import type { UpstreamHelmChartProps } from '../../constructs/releases/upstream-helm-chart';
import { layerOf } from '../../stacks/country';
import { objectId } from '../synth/manifest';
import type { RenderedComponent } from '../synth/render';
import { capacityBill, type CapacityBill } from './capacity';
import { planDiagrams, type DiagramPlan } from './architecture-diagrams';
import { exposedRoutes, loadBalancedServices, type ExposedRoute, type LoadBalancedService } from './exposure';
import { collectReviewInputs, type ReviewInputs, type ReviewSubject } from './inputs';
import { allowedFlows, type NetworkView } from './network-flows';
import { imagesOf } from '../policy/checks/upstream';
import type { DeclaredException } from '../policy/types';
import type { Manifest } from '../synth/manifest';
import { renderedReleaseOf } from '../upstream/render';
import { chartList, imageList } from './offline';
import { placeManifests, type PlacedManifest } from './placed-manifest';
import { summarizeStack, type StackSummary } from './terraform-summary';
import { upstreamReleaseObject } from './upstream-releases';
import { operatorWorkloads } from './operator-workloads';
import { collectWorkloads, type Workload } from './workloads';

export interface UpstreamChartView extends UpstreamHelmChartProps {
  readonly layer: LayerName;
  /** Its images as the cluster pulls them: what the chart renders, and what it declares its operator starts at run time. */
  readonly pulledImages: readonly string[];
  /** What Helm renders from it with the kit's values; undefined when it did not render (see `renderError`). */
  readonly renderedObjects?: readonly Manifest[];
  readonly renderError?: string;
  /** Exceptions declared on it, with the objects they cover (all when not named). */
  readonly exceptions: readonly UpstreamException[];
}

/** Everything the review bundle says about one environment, computed from its synthesised objects. */
export interface ReviewModel {
  readonly env: Environment;
  readonly components: readonly RenderedComponent[];
  readonly placed: readonly PlacedManifest[];
  readonly upstreamCharts: readonly UpstreamChartView[];
  /** The upstream releases as reviewable pseudo-objects (see `upstream-releases.ts`). */
  readonly upstreamReleases: readonly PlacedManifest[];
  readonly workloads: readonly Workload[];
  readonly capacity: CapacityBill;
  readonly network: NetworkView;
  readonly routes: readonly ExposedRoute[];
  readonly loadBalanced: readonly LoadBalancedService[];
  readonly images: readonly string[];
  readonly charts: readonly string[];
  readonly declaredExceptions: readonly DeclaredException[];
  readonly inputs: ReviewInputs;
  readonly stacks: readonly StackSummary[];
  readonly namespaceLayers: ReadonlyMap<string, LayerName>;
  /** The architecture diagrams to lay out (see architecture-diagrams.ts). */
  readonly diagrams: DiagramPlan;
}

export function buildReviewModel(subject: ReviewSubject): ReviewModel {
  const { env, components, assembly, stacks } = subject.synthesis;
  const placed = placeManifests(components);
  const manifests = placed.map((p) => p.manifest);
  const upstreamCharts: UpstreamChartView[] = assembly.upstreamCharts.map((upstream) => {
    const rendered = renderedReleaseOf(subject.synthesis.rendered, upstream.props);
    const renderedObjects = rendered && !rendered.error ? rendered.objects : undefined;
    return {
      ...upstream.props,
      layer: layerOf(upstream),
      pulledImages: [...new Set([...(renderedObjects ?? []).flatMap(imagesOf), ...upstream.props.images.map((image) => upstreamImage(env, image))])].sort(),
      renderedObjects,
      renderError: rendered?.error,
      exceptions: upstreamExceptionsOf(upstream),
    };
  });
  const workloads = collectWorkloads(placed);
  // Capacity counts what the charts render (defaults of the namespace's LimitRange included), not estimates.
  const renderedPlaced = upstreamCharts.flatMap((chart) => (chart.renderedObjects ?? []).map((manifest) => ({ component: `upstream-${chart.releaseName}`, manifest })));
  const network = allowedFlows(manifests, workloads, upstreamCharts);
  const routes = exposedRoutes(manifests, workloads);
  const loadBalanced = loadBalancedServices(manifests, workloads);
  const namespaceLayers = new Map<string, LayerName>();
  for (const component of components) {
    for (const manifest of component.manifests) {
      const namespace = manifest.kind === 'Namespace' ? manifest.metadata.name : manifest.metadata.namespace;
      if (namespace && !namespaceLayers.has(namespace)) namespaceLayers.set(namespace, component.layer);
    }
  }
  for (const chart of upstreamCharts) if (!namespaceLayers.has(chart.namespace)) namespaceLayers.set(chart.namespace, chart.layer);

  const lbPorts = new Map<string, string[]>();
  for (const service of loadBalanced) for (const id of service.workloads) lbPorts.set(id, [...(lbPorts.get(id) ?? []), ...service.ports]);

  return {
    env,
    components,
    placed,
    upstreamCharts,
    // As declared (what `diff` recomputes from the sources without rendering); UPS-03 keeps it complete.
    upstreamReleases: upstreamCharts.map((chart) => upstreamReleaseObject(chart, chart.images.map((image) => upstreamImage(env, image)))),
    workloads,
    capacity: capacityBill(
      env,
      [...manifests, ...renderedPlaced.map((p) => p.manifest)],
      collectWorkloads([...placed, ...renderedPlaced]),
      upstreamCharts.filter((chart) => !chart.renderedObjects),
      operatorWorkloads([...placed, ...renderedPlaced], upstreamCharts, env.cluster.nodeSize.cpu),
    ),
    network,
    routes,
    loadBalanced,
    images: imageList(workloads, upstreamCharts),
    charts: chartList(upstreamCharts),
    declaredExceptions: manifests.flatMap((manifest) =>
      [...declaredExceptions(manifest)].map(([check, reason]) => ({ check, object: objectId(manifest), reason })),
    ),
    inputs: collectReviewInputs(subject),
    stacks: stacks.map((stack) => summarizeStack(stack, subject.synthesis.terraform[stack])),
    namespaceLayers,
    diagrams: planDiagrams({
      environment: env.name,
      flows: network.flows,
      endpoints: network.endpoints,
      namespaceLayers,
      loadBalanced: lbPorts,
    }),
  };
}

/** The bundle's view of "what changed" needs the model's objects and the upstream releases together. */
export function comparableObjects(model: ReviewModel): PlacedManifest[] {
  return [...model.placed, ...model.upstreamReleases];
}

