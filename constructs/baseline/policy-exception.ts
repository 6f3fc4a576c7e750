import type { ApiObject } from 'cdk8s';
import type { IConstruct } from 'constructs';

/**
 * Exceptions to the security baseline are declared in code, next to the object that needs them,
 * as annotations: the reason travels with the object into the manifests a review board reads,
 * and the policy suite accepts a violation only when its check id is declared here.
 */
export const POLICY_EXCEPTION_PREFIX = 'policy.govstack.dev/exception.';

/** Construct metadata type under which exceptions to an upstream chart's values are recorded. */
const UPSTREAM_EXCEPTION = 'govstack:policy-exception';

/** Declares that `object` is exempt from baseline check `checkId` (e.g. `POD-04`), and why. */
export function declarePolicyException(object: ApiObject, checkId: string, reason: string): void {
  assertDeclarable(checkId, reason, `${object.kind}/${object.name}`);
  object.metadata.addAnnotation(`${POLICY_EXCEPTION_PREFIX}${checkId}`, reason);
}

/**
 * Declares that an upstream chart (an `UpstreamHelmChart`), with the values the kit gives it, is
 * exempt from `checkId`: its objects are rendered by Helm, not by the kit, so the reason is
 * recorded on the construct and shown with the chart in the policy results and the review.
 */
export function declareUpstreamException(chart: IConstruct, checkId: string, reason: string, scope: UpstreamExceptionScope = {}): void {
  assertDeclarable(checkId, reason, `upstream chart ${chart.node.id}`);
  if (scope.objects?.length === 0) throw new Error(`the exception to ${checkId} on upstream chart ${chart.node.id} names an empty list of objects`);
  chart.node.addMetadata(UPSTREAM_EXCEPTION, { checkId, reason, objects: scope.objects ? [...scope.objects].sort() : undefined });
}

/** Which of a chart's rendered objects an exception covers. */
export interface UpstreamExceptionScope {
  /**
   * Object ids as the policy report names them (`Kind/namespace/name`, `Kind/name` when cluster-scoped).
   * @default every object the chart renders
   */
  readonly objects?: readonly string[];
}

/** An exception declared on an upstream chart: for every object it renders, or for the objects named. */
export interface UpstreamException {
  readonly check: string;
  readonly reason: string;
  readonly objects?: readonly string[];
}

/** The exceptions declared on a synthesised manifest, by check id. */
export function declaredExceptions(manifest: { metadata?: { annotations?: Record<string, string> } }): Map<string, string> {
  const found = new Map<string, string>();
  for (const [key, reason] of Object.entries(manifest.metadata?.annotations ?? {})) {
    if (key.startsWith(POLICY_EXCEPTION_PREFIX)) found.set(key.slice(POLICY_EXCEPTION_PREFIX.length), reason);
  }
  return found;
}

/** The exceptions declared on an upstream chart construct, chart-wide ones by check id. */
export function declaredUpstreamExceptions(chart: IConstruct): Map<string, string> {
  return new Map(upstreamExceptionsOf(chart).filter((e) => !e.objects).map((e) => [e.check, e.reason]));
}

/** Every exception declared on an upstream chart construct, scoped or chart-wide, in declaration order. */
export function upstreamExceptionsOf(chart: IConstruct): UpstreamException[] {
  return chart.node.metadata
    .filter((entry) => entry.type === UPSTREAM_EXCEPTION)
    .map((entry) => {
      const { checkId, reason, objects } = entry.data as { checkId: string; reason: string; objects?: string[] };
      return { check: checkId, reason, objects };
    });
}

function assertDeclarable(checkId: string, reason: string, subject: string): void {
  if (!/^[A-Z]+-\d{2}$/.test(checkId)) throw new Error(`policy check id "${checkId}" must look like "POD-04"`);
  if (reason.trim().length < 20) throw new Error(`the exception to ${checkId} on ${subject} needs a real reason`);
}
