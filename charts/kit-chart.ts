import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';

/** The three layers a country is deployed in, in order; each is one Terraform stack. */
export const LAYERS = ['platform', 'information-mediator', 'building-blocks'] as const;
export type LayerName = (typeof LAYERS)[number];

export interface KitChartProps {
  /** Layer (and so Terraform stack) that installs this chart. */
  readonly layer: LayerName;
  /**
   * Component name: the reviewable file `manifests/<namespace>/<component>.yaml`, the local Helm
   * chart and its release are all named after it. Unique within an environment.
   */
  readonly component: string;
  /** Namespace where Helm keeps the release record; normally the component's own namespace. */
  readonly releaseNamespace: string;
  /**
   * Upstream releases (by name) whose CRDs or webhooks this chart's objects need first.
   * @default none: the chart's release waits for no upstream release
   */
  readonly requires?: readonly string[];
  /**
   * Whether the Helm release waits for its workloads to be Ready and its Jobs to finish (and rolls
   * back when they are not). Turn off only for workloads whose readiness depends on a step outside
   * the deployment, such as X-Road security servers awaiting registration by a national operator.
   * @default true
   */
  readonly waitUntilReady?: boolean;
  /**
   * Charts of the same layer (by component) whose releases must be installed first, e.g. a recovery's
   * restore after every platform service whose objects it brings back.
   * @default none
   */
  readonly installedAfter?: readonly string[];
}

/**
 * A cdk8s chart that is one deployable, reviewable unit of the kit.
 * Everything in it shares the kit's labels so reviewers and policies can trace an object to its component.
 */
/** Brands kit charts: cdk8s makes `instanceof` of any Chart subclass true for every Chart. */
const KIT_CHART = Symbol.for('govstack-kit.KitChart');

export class KitChart extends Chart {
  static isKitChart(x: unknown): x is KitChart {
    return typeof x === 'object' && x !== null && KIT_CHART in x;
  }

  readonly layer: LayerName;
  readonly component: string;
  readonly releaseNamespace: string;
  readonly waitUntilReady: boolean;
  readonly installedAfter: readonly string[];
  private readonly requirements: Set<string>;

  constructor(scope: Construct, props: KitChartProps) {
    if (!/^[a-z0-9]([-a-z0-9]{0,51}[a-z0-9])?$/.test(props.component)) {
      throw new Error(`component name "${props.component}" must be a DNS label of at most 53 characters (a Helm release name)`);
    }
    super(scope, props.component, {
      disableResourceNameHashes: true,
      labels: {
        'app.kubernetes.io/part-of': 'govstack',
        'app.kubernetes.io/managed-by': 'govstack-kit',
        'govstack.dev/layer': props.layer,
        'govstack.dev/component': props.component,
      },
    });
    this.layer = props.layer;
    this.component = props.component;
    this.releaseNamespace = props.releaseNamespace;
    this.requirements = new Set(props.requires ?? []);
    Object.defineProperty(this, KIT_CHART, { value: true });
    this.waitUntilReady = props.waitUntilReady ?? true;
    this.installedAfter = [...(props.installedAfter ?? [])];
  }

  /** Upstream releases (by name) this chart's objects need first, in a stable order. */
  get requires(): readonly string[] {
    return [...this.requirements].sort();
  }

  /**
   * Lets a construct anywhere in the chart declare, where it is made, an upstream release it needs
   * (e.g. a PostgreSQL cluster needs the CloudNativePG operator's CRDs).
   */
  require(...releaseNames: readonly string[]): void {
    for (const name of releaseNames) this.requirements.add(name);
  }

  /** The chart a construct belongs to. */
  static of(construct: Construct): KitChart {
    const chart = construct.node.scopes.find(KitChart.isKitChart);
    if (!chart) throw new Error(`${construct.node.path} must be created inside a KitChart`);
    return chart;
  }
}
