/**
 * The only changes the proof makes to a stack, in `proof_override.tf.json` beside its
 * `cdk.tf.json` (Terraform and OpenTofu merge `*_override.tf.json` over the configuration,
 * attribute by attribute, and a backend block there replaces the stack's backend):
 * - state in a local file of the proof's temporary folder: the environment's own backend (pg, s3,
 *   a management cluster) is the real one's and unreachable here;
 * - Helm neither waits for readiness nor rolls back on it (`atomic` implies waiting), and runs no
 *   hooks: no node runs pods, so no pod ever becomes ready and no hook Job ever completes.
 * Everything else — providers, charts, values, dependencies, lifecycle — is the stack as shipped.
 */
export const PROOF_OVERRIDE_FILE = 'proof_override.tf.json';

/** How long the proof gives the API server to serve CRDs a release created, before applying again. */
export const CRD_SETTLE_SECONDS = 10;

/** Why each override exists, for proof.json and the review. */
export const OVERRIDE_REASONS: readonly string[] = [
  'state backend replaced by a local file in a temporary folder (the environment\'s own backend is not reachable here)',
  'helm_release: wait, atomic and wait_for_jobs off, hooks not run (disable_webhooks): no node runs pods, so nothing becomes ready and no hook Job completes',
  `terraform apply run once more (after ${CRD_SETTLE_SECONDS} s) when a release's objects reached the API server before the CRDs an earlier release of the stack had just created were served: with wait off nothing waits for them, as waiting for the operator's pods does on a cluster`,
];

/**
 * Whether an apply failed only because a custom resource's kind was not served yet (Helm's
 * "ensure CRDs are installed first"): the CRDs were created by an earlier release moments before.
 */
export function failedOnCrdNotYetServed(output: string): boolean {
  return /no matches\s+for kind[\s\S]*?ensure CRDs are installed first/.test(output);
}

export function proofOverride(stack: Readonly<Record<string, unknown>>, statePath: string): Record<string, unknown> {
  const releases = ((stack.resource as { helm_release?: Record<string, unknown> } | undefined)?.helm_release ?? {}) as Record<string, unknown>;
  const override: Record<string, unknown> = { terraform: { backend: { local: { path: statePath } } } };
  const names = Object.keys(releases).sort();
  if (names.length > 0) {
    override.resource = {
      helm_release: Object.fromEntries(names.map((name) => [name, { wait: false, atomic: false, wait_for_jobs: false, disable_webhooks: true }])),
    };
  }
  return override;
}
