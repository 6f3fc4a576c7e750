/** `dist/<env>/proof.json`: what the proof did against real engines, for people and for CI. */

export type StageName = 'dry-run' | 'restore' | 'apply' | 'second-plan' | 'disabled-block';
export const PROOF_STAGES: readonly StageName[] = ['dry-run', 'restore', 'apply', 'second-plan', 'disabled-block'];

export interface StageResult {
  readonly stage: StageName;
  /** `skipped` is a failure too: a stage that did not run proves nothing. */
  readonly status: 'passed' | 'failed' | 'skipped';
  readonly seconds: number;
  /** One line, e.g. "612 objects accepted, 0 rejected". */
  readonly summary: string;
}

export interface Rejection {
  /** `Kind/namespace/name`. */
  readonly object: string;
  /** Where it comes from: a manifest file under dist/<env>/manifests/, or `chart <release>`. */
  readonly source: string;
  readonly message: string;
}

export interface ProofReport {
  readonly environment: string;
  readonly provenAt: string;
  readonly ok: boolean;
  readonly kubernetes: { readonly server: string; readonly admissionDisabled: Readonly<Record<string, string>> };
  readonly toolchain: {
    readonly terraform: string;
    readonly providers: readonly { readonly name: string; readonly version: string; readonly builtFrom: string; readonly exact: boolean; readonly note: string }[];
  };
  readonly chartRepository: string;
  /** What the proof changed in the stacks, and why. */
  readonly overrides: readonly string[];
  readonly stages: readonly StageResult[];
  readonly dryRun?: DryRunResult;
  /**
   * The recovery `npm run restore -- --from <from>` synthesises, through the same server-side
   * dry-run; or why the restore command refuses the environment (no off-cluster backups).
   */
  readonly restore?: { readonly from: string; readonly refused?: string; readonly dryRun?: DryRunResult };
  readonly apply?: readonly { readonly stack: string; readonly status: 'applied' | 'failed' | 'skipped'; readonly seconds: number; readonly resources?: number; readonly error?: string }[];
  readonly secondPlan?: readonly { readonly stack: string; readonly status: 'no changes' | 'changes' | 'error' | 'skipped'; readonly changes?: readonly string[]; readonly error?: string }[];
  readonly disabledBlock?: {
    readonly block: string;
    readonly destroys: readonly { readonly stack: string; readonly address: string; readonly why: string }[];
    readonly errors: readonly { readonly stack: string; readonly error: string }[];
  };
}

export interface DryRunResult {
  readonly objects: number;
  readonly kitObjects: number;
  readonly upstreamObjects: number;
  readonly crds: number;
  readonly accepted: number;
  readonly rejected: readonly Rejection[];
  /** PodSecurity violations accepted because the object or its chart declares the exception. */
  readonly declaredPodSecurity: number;
  /** Other warnings (deprecations, …): recorded, not failures. */
  readonly warnings: readonly { readonly object: string; readonly warning: string }[];
}

export const PROOF_FILE = 'proof.json';
