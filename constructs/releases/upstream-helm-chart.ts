import { Construct } from 'constructs';

export interface UpstreamHelmChartProps {
  /** Helm release name; unique within the environment. */
  readonly releaseName: string;
  /** Namespace the chart installs into (created by the kit's baseline beforehand). */
  readonly namespace: string;
  /** `https://…` chart repository or `oci://…` registry path. */
  readonly repository: string;
  readonly chart: string;
  /** Exact chart version; never a range. */
  readonly version: string;
  /** Values passed to the chart. Never a secret: reference Secrets by name instead. */
  readonly values: Readonly<Record<string, unknown>>;
  /** Every image the chart pulls with these values, `repository:tag`, for the offline bundle and policy checks. */
  readonly images: readonly string[];
  /** Why this is an upstream chart rather than manifests the kit renders; shown to reviewers. */
  readonly reason: string;
  /**
   * True when the release keeps data (volumes, an object store, a secret store): Terraform then
   * refuses to destroy it, so a removed block or a forced replacement cannot take the data along.
   * @default false
   */
  readonly holdsData?: boolean;
  /**
   * True when the chart installs CRDs that later charts' objects need. Recorded for readers only:
   * ordering comes from `dependsOn` and `KitChartProps.requires`.
   * @default false
   */
  readonly providesCrds?: boolean;
  /**
   * Values the chart does not render into any object but still needs, by dotted path, with why:
   * e.g. a value only a hook or the product reads at run time. Every other value the kit sets must
   * change what the chart renders (`npm run silent-values` removes each in turn and renders again).
   * @default none
   */
  readonly valuesNotRendered?: Readonly<Record<string, string>>;
  /**
   * Other upstream releases (by release name) that must be installed first.
   * @default none: the release waits only for the layer's namespaces
   */
  readonly dependsOn?: readonly string[];
  /**
   * Seconds Helm waits for the release to become ready.
   * @default 600
   */
  readonly timeoutSeconds?: number;
}

/**
 * A pinned third-party Helm chart installed with `helm_release`. It renders nothing in the cdk8s
 * tree: the country assembly finds it there and hands it to the Terraform stack of its layer, so
 * the construct that needs a chart declares it in place, next to the objects that depend on it.
 */
export class UpstreamHelmChart extends Construct {
  static isUpstreamHelmChart(x: unknown): x is UpstreamHelmChart {
    return x instanceof UpstreamHelmChart;
  }

  constructor(
    scope: Construct,
    id: string,
    readonly props: UpstreamHelmChartProps,
  ) {
    super(scope, id);
    if (!/^\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/.test(props.version.replace(/^v/, ''))) {
      throw new Error(`upstream chart ${props.chart} must be pinned to an exact version, got "${props.version}"`);
    }
    for (const image of props.images) {
      if (!/:[^/]+$/.test(image) || image.endsWith(':latest')) {
        throw new Error(`image "${image}" of chart ${props.chart} must carry an explicit tag other than latest`);
      }
    }
  }
}
