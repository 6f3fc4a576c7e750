/** What a change board reads first in a stack's Terraform JSON: its backend, namespaces and releases. */
export interface StackSummary {
  readonly stack: string;
  readonly backend: string;
  /** Namespaces the stack creates, and whether Terraform refuses to destroy them. */
  readonly namespaces: readonly { readonly name: string; readonly preventDestroy: boolean }[];
  readonly releases: readonly { readonly name: string; readonly namespace: string; readonly chart: string; readonly version?: string; readonly repository?: string }[];
}

interface TerraformNamespace {
  readonly metadata?: { readonly name?: string };
  readonly lifecycle?: { readonly prevent_destroy?: boolean };
}

interface TerraformJson {
  readonly terraform?: { readonly backend?: Record<string, unknown> };
  readonly resource?: {
    readonly kubernetes_namespace?: Record<string, TerraformNamespace>;
    readonly kubernetes_namespace_v1?: Record<string, TerraformNamespace>;
    readonly helm_release?: Record<string, { name?: string; namespace?: string; chart?: string; version?: string; repository?: string }>;
  };
}

export function summarizeStack(stack: string, json: unknown): StackSummary {
  const tf = (json ?? {}) as TerraformJson;
  return {
    stack,
    backend: Object.keys(tf.terraform?.backend ?? {})[0] ?? 'none',
    namespaces: Object.values({ ...tf.resource?.kubernetes_namespace, ...tf.resource?.kubernetes_namespace_v1 }).map((ns) => ({
      name: ns.metadata?.name ?? '?',
      preventDestroy: ns.lifecycle?.prevent_destroy === true,
    })),
    releases: Object.values(tf.resource?.helm_release ?? {}).map((release) => ({
      name: release.name ?? '?',
      namespace: release.namespace ?? '?',
      // A chart of ours is installed from the stack's own folder (stacks/kit-chart-asset.ts).
      chart: release.repository ? (release.chart ?? '?') : `local chart cdktf.out/stacks/${stack}/${(release.chart ?? '?').replace(/^\.\//, '')}`,
      version: release.version,
      repository: release.repository,
    })),
  };
}
