import { TerraformStack, type ITerraformDependable } from 'cdktf';
import type { Construct } from 'constructs';
import { stringify } from 'yaml';
import type { LayerName } from '../charts/kit-chart';
import type { Environment } from '../constructs/environment/schema';
import { HelmProvider, HelmRelease, KubernetesNamespace, KubernetesProvider } from '../constructs/providers';
import type { UpstreamHelmChartProps } from '../constructs/releases/upstream-helm-chart';
import { KitChartAsset, type ChartFile } from './kit-chart-asset';
import { addStateBackend } from './state-backend';
import { terraformLiteral } from './terraform-literal';

/** A namespace as synthesised by cdk8s; Terraform creates it so that it can refuse to destroy it. */
export interface NamespaceManifest {
  readonly metadata: { readonly name: string; readonly labels?: Record<string, string>; readonly annotations?: Record<string, string> };
}

/** A chart of ours, packaged as a local Helm chart. */
export interface PackagedChart {
  readonly component: string;
  readonly releaseNamespace: string;
  /** Chart.yaml and the templates, written where Terraform installs the chart from (kit-chart-asset.ts). */
  readonly files: readonly ChartFile[];
  /** Upstream release names whose CRDs or webhooks must exist first. */
  readonly requires: readonly string[];
  /** False when Helm must not wait for readiness (see `KitChartProps.waitUntilReady`). */
  readonly waitUntilReady: boolean;
  /** Our charts of the same layer, by component, whose releases come first. */
  readonly installedAfter?: readonly string[];
  /** True when uninstalling it would delete data; Terraform then refuses to destroy the release. */
  readonly holdsData: boolean;
}

/** Helm settings shared by every release: atomic installs with history for rollback (GovStack 6.2 req-5). */
const RELEASE_DEFAULTS = {
  atomic: true,
  cleanupOnFail: true,
  wait: true,
  waitForJobs: true,
  createNamespace: false,
  maxHistory: 5,
} as const;

/**
 * One Terraform stack per environment and layer, named `<env>-<layer>`, with its own state key,
 * the Kubernetes and Helm providers bound to the environment's kube context, and helm_releases
 * for the layer's upstream charts and for our own charts packaged as local Helm charts.
 */
export class LayerStack extends TerraformStack {
  readonly layer: LayerName;
  private readonly upstreamReleases = new Map<string, HelmRelease>();
  private readonly packagedReleases = new Map<string, HelmRelease>();
  private readonly namespaces: KubernetesNamespace[] = [];
  private readonly forgotten: string[] = [];

  /**
   * @param earlier the stacks of the layers before this one; they are deployed first, so releases
   *   there may be required without a `depends_on` across state files.
   */
  constructor(
    scope: Construct,
    env: Pick<Environment, 'cluster' | 'name' | 'terraformState'>,
    layer: LayerName,
    private readonly earlier: readonly LayerStack[],
  ) {
    super(scope, `${env.name}-${layer}`);
    this.layer = layer;
    for (const stack of earlier) this.addDependency(stack);
    addStateBackend(this, env, layer);
    new KubernetesProvider(this, 'kubernetes', { configContext: env.cluster.kubeContext });
    new HelmProvider(this, 'helm', { kubernetes: { configContext: env.cluster.kubeContext } });
  }

  /** Creates a namespace; deleting one deletes everything in it, so Terraform refuses to. */
  addNamespace(manifest: NamespaceManifest): void {
    const { name, labels, annotations } = manifest.metadata;
    this.namespaces.push(
      new KubernetesNamespace(this, namespaceId(name), {
        metadata: { name, labels: { ...labels }, annotations: { ...annotations } },
        lifecycle: { preventDestroy: true },
      }),
    );
  }

  addUpstreamRelease(props: UpstreamHelmChartProps): void {
    const dependsOn: ITerraformDependable[] = [...this.namespaces];
    for (const name of props.dependsOn ?? []) dependsOn.push(...this.dependencyOn(name, props.releaseName));
    const release = new HelmRelease(this, `release-${props.releaseName}`, {
      ...RELEASE_DEFAULTS,
      name: props.releaseName,
      namespace: props.namespace,
      repository: props.repository,
      chart: props.chart,
      version: props.version,
      // YAML 1.1, as Helm parses values: strings such as `no` stay strings. Data, not a Terraform template.
      values: [terraformLiteral(stringify(props.values, { sortMapEntries: true, lineWidth: 0, version: '1.1' }))],
      timeout: props.timeoutSeconds ?? 600,
      description: props.reason,
      dependsOn,
      ...dataProtection(props.holdsData ?? false),
    });
    this.upstreamReleases.set(props.releaseName, release);
  }

  addPackagedChart(chart: PackagedChart): void {
    const asset = new KitChartAsset(this, `chart-${chart.component}`, chart.files);
    const after = (chart.installedAfter ?? []).map((component) => {
      const release = this.packagedReleases.get(component);
      if (!release) throw new Error(`${chart.component} is installed after ${component}, which stack ${this.node.id} does not install before it`);
      return release;
    });
    const release = new HelmRelease(this, releaseId(chart.component), {
      ...RELEASE_DEFAULTS,
      wait: chart.waitUntilReady,
      waitForJobs: chart.waitUntilReady,
      name: chart.component,
      namespace: chart.releaseNamespace,
      chart: `./${asset.path}`,
      timeout: 900,
      description: `GovStack kit component ${chart.component} (manifests rendered by the kit)`,
      dependsOn: [...this.namespaces, ...chart.requires.flatMap((name) => this.dependencyOn(name, chart.component)), ...after],
      ...dataProtection(chart.holdsData),
    });
    this.packagedReleases.set(chart.component, release);
  }

  /**
   * Has Terraform forget a namespace the kit no longer creates, without deleting it: `prevent_destroy`
   * does not protect a resource whose block is gone, so a `removed` block with `destroy = false`
   * (Terraform 1.7+) takes it out of the state and leaves it, and its data, to the operator.
   */
  forgetNamespace(name: string): void {
    this.forget(`${KubernetesNamespace.tfResourceType}.${namespaceId(name)}`);
  }

  /** Has Terraform forget the release of one of our charts without uninstalling it (see `forgetNamespace`). */
  forgetPackagedChart(component: string): void {
    this.forget(`${HelmRelease.tfResourceType}.${releaseId(component)}`);
  }

  private forget(address: string): void {
    this.forgotten.push(address);
    this.addOverride('removed', this.forgotten.map((from) => ({ from, lifecycle: { destroy: false } })));
  }

  /** The release to depend on within this stack, or nothing when an earlier stack installs it. */
  private dependencyOn(name: string, neededBy: string): HelmRelease[] {
    const release = this.upstreamReleases.get(name);
    if (release) return [release];
    if (this.earlier.some((stack) => stack.installs(name))) return [];
    throw new Error(`${neededBy} needs upstream release "${name}", which neither stack ${this.node.id} nor an earlier one installs`);
  }

  installs(releaseName: string): boolean {
    return this.upstreamReleases.has(releaseName);
  }
}

/** Terraform names of our namespaces and releases: a changed one would destroy and recreate the resource. */
const namespaceId = (name: string) => `namespace-${name}`;
const releaseId = (component: string) => `release-${component}`;

/**
 * A release that keeps data must not be destroyed by a plan: not when its block is edited into a
 * replacement, nor by `cdktf destroy`. (A removed block is not protected; the policy suite checks presence.)
 */
function dataProtection(holdsData: boolean): { lifecycle?: { preventDestroy: true } } {
  return holdsData ? { lifecycle: { preventDestroy: true } } : {};
}
