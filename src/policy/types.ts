import type { Environment } from '../../constructs/environment/schema';
import type { UpstreamWorkload } from '../../constructs/baseline/upstream-workloads';
import type { UpstreamHelmChartProps } from '../../constructs/releases/upstream-helm-chart';
import type { Manifest } from '../synth/manifest';
import type { TerraformJson } from '../synth/terraform-json';
import type { RenderedRelease } from '../upstream/render';
import type { KnownNetwork } from './known-network';
import type { PodSource } from './workloads';

/** Severity proposed by the baseline: high, medium, low. Every undeclared violation fails, whatever its severity. */
export type Severity = 'H' | 'M' | 'L';

/** An upstream Helm release as the policy suite sees it: what is statically known without rendering it. */
export type UpstreamChartFacts = Pick<UpstreamHelmChartProps, 'releaseName' | 'namespace' | 'repository' | 'chart' | 'version' | 'values' | 'images' | 'holdsData'> & {
  /** Exceptions declared for the chart as a whole, by check id. */
  readonly exceptions: Readonly<Record<string, string>>;
  /** Exceptions declared for some of the objects the chart renders, by object id. */
  readonly scopedExceptions?: readonly { readonly check: string; readonly reason: string; readonly objects: readonly string[] }[];
  /** Its pods' labels and ports, when declared; NetworkPolicies selecting them are checked against these. */
  readonly workloads?: readonly UpstreamWorkload[];
};

export type { TerraformJson } from '../synth/terraform-json';

/** Everything the suite evaluates: it is a pure function of this. */
export interface PolicyInput {
  readonly env: Environment;
  /** Every synthesised Kubernetes object of the environment, all layers. */
  readonly manifests: readonly Manifest[];
  readonly upstreamCharts: readonly UpstreamChartFacts[];
  /**
   * Every upstream release as Helm renders it with the kit's values: its objects go through every
   * check like the kit's own, under the exceptions declared on its chart.
   */
  readonly rendered: readonly RenderedRelease[];
  /** Terraform JSON by stack name. */
  readonly terraform: Readonly<Record<string, TerraformJson>>;
}

/** The input, indexed once for all checks. */
export interface PolicyContext extends PolicyInput {
  /** The kit's objects and every object the upstream charts render: what the cluster will hold. */
  readonly manifests: readonly Manifest[];
  /** Upstream charts Helm did not render (their objects are unknown; judged by what they declare). */
  readonly unrenderedCharts: readonly UpstreamChartFacts[];
  /** The release an object was rendered from; undefined for the kit's own objects. */
  upstreamReleaseOf(manifest: Manifest): UpstreamChartFacts | undefined;
  ofKind(...kinds: string[]): Manifest[];
  /** Namespace objects the kit creates. */
  readonly namespaces: readonly Manifest[];
  readonly pods: readonly PodSource[];
  readonly network: KnownNetwork;
  subjectOf(manifest: Manifest): Subject;
  /** The subject of an object or upstream release by its id (what `KnownPod.owner` holds). */
  subjectById(id: string): Subject;
  subjectOfChart(chart: UpstreamChartFacts): Subject;
  /** A Terraform resource or block: no exceptions, Terraform checks are never waived. */
  subjectOfTerraform(stack: string, address: string): Subject;
}

/** What a check looked at: an object, an upstream release or a Terraform resource. */
export interface Subject {
  /** `Kind/namespace/name`, `HelmRelease/namespace/release` or `terraform/<stack>/<address>`. */
  readonly id: string;
  /** Exceptions declared on it, by check id. */
  readonly exceptions: ReadonlyMap<string, string>;
  /**
   * Where its exceptions are declared when that is not the subject itself: an object rendered from
   * an upstream chart carries the exceptions of its release (`HelmRelease/<namespace>/<release>`).
   */
  readonly declaredOn?: string;
}

/** A check's verdict on one subject: no violations means it passes. */
export interface Evaluation {
  readonly subject: Subject;
  readonly violations: readonly string[];
}

export interface PolicyCheck {
  /** e.g. `POD-04`. */
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  /** Where the check comes from (Pod Security Standards, CIS, NSA, GovStack, …). */
  readonly sources: string;
  evaluate(context: PolicyContext): Evaluation[];
}

export type ResultStatus = 'pass' | 'fail' | 'exception';

export interface PolicyResult {
  readonly check: string;
  readonly object: string;
  readonly status: ResultStatus;
  /** What is wrong (fail and exception). */
  readonly detail?: string;
  /** The declared reason (exception). */
  readonly reason?: string;
}

export interface DeclaredException {
  readonly check: string;
  readonly object: string;
  readonly reason: string;
}

export interface PolicyReport {
  readonly environment: string;
  readonly results: readonly PolicyResult[];
  /** Declared exceptions no violation needed: kept visible so they do not outlive their reason unnoticed. */
  readonly unusedExceptions: readonly DeclaredException[];
  /** True when nothing failed. */
  readonly ok: boolean;
}
