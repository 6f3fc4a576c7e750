import type { ApiObject } from 'cdk8s';

/**
 * Exceptions to the security baseline are declared in code, next to the object that needs them,
 * as annotations: the reason travels with the object into the manifests a review board reads,
 * and the policy suite accepts a violation only when its check id is declared here.
 */
export const POLICY_EXCEPTION_PREFIX = 'policy.govstack.dev/exception.';

/** Declares that `object` is exempt from baseline check `checkId` (e.g. `POD-04`), and why. */
export function declarePolicyException(object: ApiObject, checkId: string, reason: string): void {
  if (!/^[A-Z]+-\d{2}$/.test(checkId)) throw new Error(`policy check id "${checkId}" must look like "POD-04"`);
  if (reason.trim().length < 20) throw new Error(`the exception to ${checkId} on ${object.kind}/${object.name} needs a real reason`);
  object.metadata.addAnnotation(`${POLICY_EXCEPTION_PREFIX}${checkId}`, reason);
}

/** The exceptions declared on a synthesised manifest, by check id. */
export function declaredExceptions(manifest: { metadata?: { annotations?: Record<string, string> } }): Map<string, string> {
  const found = new Map<string, string>();
  for (const [key, reason] of Object.entries(manifest.metadata?.annotations ?? {})) {
    if (key.startsWith(POLICY_EXCEPTION_PREFIX)) found.set(key.slice(POLICY_EXCEPTION_PREFIX.length), reason);
  }
  return found;
}
