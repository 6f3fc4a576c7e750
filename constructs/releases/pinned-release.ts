import { Construct } from 'constructs';
import { declareUpstreamException } from '../baseline/policy-exception';
import { declareUpstreamWorkloads, type UpstreamWorkload } from '../baseline/upstream-workloads';
import type { Environment } from '../environment/schema';
import { resolveChartRepository, resolveImageParts, type ImageParts } from '../images';
import { UpstreamHelmChart } from './upstream-helm-chart';
import type { PinnedChart } from '../platform/pinned-charts';

export interface PinnedReleaseProps<Images extends Readonly<Record<string, string>>> {
  readonly env: Pick<Environment, 'registry'>;
  /** The pinned chart (`PINNED_CHARTS.x`, or a catalogue entry's upstream chart). */
  readonly chart: PinnedChart & { readonly images: Images };
  /** Helm release name; the platform contract's `PLATFORM_RELEASES` name the platform's for other layers. */
  readonly releaseName: string;
  readonly namespace: string;
  /** Chart values, given every image resolved through the mirror (and digests) so values and image list agree. */
  readonly values: (images: { readonly [K in keyof Images]: ImageParts }) => Record<string, unknown>;
  /**
   * Roles of the images these values pull.
   * @default every image of the pinned chart
   */
  readonly pulls?: readonly (keyof Images)[];
  /** Why the kit installs this upstream chart; shown to reviewers. */
  readonly reason: string;
  /**
   * Pods the chart runs, for the NetworkPolicies the kit writes for them.
   * @default none: the namespace's own policies cover the chart's pods (a building block's upstream product)
   */
  readonly workloads?: readonly UpstreamWorkload[];
  /**
   * Exceptions to baseline checks that these values cannot avoid, by check id: a reason for every
   * object the chart renders, or reasons scoped to the objects they concern.
   * @default none: every baseline check applies to every object the chart renders
   */
  readonly exceptions?: Readonly<Record<string, string | ScopedException | readonly ScopedException[]>>;
  /** @default false */
  readonly providesCrds?: boolean;
  /** The release keeps data (volumes, stores): Terraform refuses to destroy it. @default false */
  readonly holdsData?: boolean;
  /**
   * Releases installed first (in this layer).
   * @default none: the release waits only for the layer's namespaces
   */
  readonly dependsOn?: readonly string[];
  /** @default 600 */
  readonly timeoutSeconds?: number;
  /** Values that change nothing Helm renders but matter all the same, by dotted path, with why (`UpstreamHelmChartProps.valuesNotRendered`). @default none */
  readonly valuesNotRendered?: Readonly<Record<string, string>>;
}

/** An exception for some of a chart's objects, named as the policy report names them (`Kind/namespace/name`). */
export interface ScopedException {
  readonly reason: string;
  readonly objects: readonly string[];
}

/**
 * The one way the kit installs a pinned upstream chart, in the platform layer and as a building
 * block's product: through the environment's mirror when it has one (chart and every image), values
 * given every image resolved, with its workloads and unavoidable exceptions declared.
 */
export class PinnedRelease<Images extends Readonly<Record<string, string>>> extends Construct {
  readonly releaseName: string;

  constructor(scope: Construct, id: string, props: PinnedReleaseProps<Images>) {
    super(scope, id);
    const { env, chart } = props;
    this.releaseName = props.releaseName;
    const images = Object.fromEntries(
      Object.entries(chart.images).map(([role, image]) => [role, resolveImageParts(env, image)]),
    ) as { [K in keyof Images]: ImageParts };
    const pulled = (props.pulls ?? (Object.keys(images) as (keyof Images)[])).map((role) => images[role].reference);
    const release = new UpstreamHelmChart(this, 'Resource', {
      releaseName: props.releaseName,
      namespace: props.namespace,
      repository: resolveChartRepository(env, chart.repository),
      chart: chart.chart,
      version: chart.version,
      // Plain data without shared references: YAML would otherwise write anchors and aliases into the values.
      values: JSON.parse(JSON.stringify(props.values(images))) as Record<string, unknown>,
      images: [...new Set(pulled)],
      reason: props.reason,
      providesCrds: props.providesCrds,
      holdsData: props.holdsData,
      dependsOn: props.dependsOn,
      timeoutSeconds: props.timeoutSeconds,
      valuesNotRendered: props.valuesNotRendered,
    });
    declareUpstreamWorkloads(release, props.workloads ?? []);
    for (const [checkId, exception] of Object.entries(props.exceptions ?? {})) {
      if (typeof exception === 'string') declareUpstreamException(release, checkId, exception);
      else for (const { reason, objects } of [exception].flat()) declareUpstreamException(release, checkId, reason, { objects });
    }
  }
}
