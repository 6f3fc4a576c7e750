/**
 * What a plan must never do when a building block is switched off: destroy a namespace (deleting
 * one deletes everything in it) or a release that keeps data (`lifecycle.prevent_destroy`, which
 * the kit sets on every release it marks as holding data).
 */

/** The part of `terraform show -json <plan>` this reads. */
export interface PlanJson {
  readonly resource_changes?: readonly {
    readonly address: string;
    readonly type: string;
    readonly name: string;
    readonly change: { readonly actions: readonly string[] };
  }[];
}

export interface ForbiddenDestroy {
  readonly stack: string;
  readonly address: string;
  readonly why: string;
}

/** Addresses in a stack's Terraform JSON that keep data: every namespace and every release with prevent_destroy. */
export function protectedAddresses(stack: Readonly<Record<string, unknown>>): Map<string, string> {
  const resources = (stack.resource ?? {}) as Record<string, Record<string, { lifecycle?: { prevent_destroy?: boolean } }>>;
  const found = new Map<string, string>();
  for (const name of Object.keys(resources.kubernetes_namespace_v1 ?? {})) {
    found.set(`kubernetes_namespace_v1.${name}`, 'a namespace: destroying it deletes everything in it');
  }
  for (const [name, release] of Object.entries(resources.helm_release ?? {})) {
    if (release.lifecycle?.prevent_destroy) found.set(`helm_release.${name}`, 'a release that keeps data (prevent_destroy)');
  }
  return found;
}

/**
 * Destroys (delete, or delete-and-create) in a plan of the changed configuration, of anything
 * the applied configuration protects.
 */
export function forbiddenDestroys(stackName: string, plan: PlanJson, appliedStack: Readonly<Record<string, unknown>>): ForbiddenDestroy[] {
  const guarded = protectedAddresses(appliedStack);
  return (plan.resource_changes ?? [])
    .filter((change) => change.change.actions.includes('delete') && (guarded.has(change.address) || change.type === 'kubernetes_namespace_v1'))
    .map((change) => ({
      stack: stackName,
      address: change.address,
      why: `${guarded.get(change.address) ?? 'a namespace: destroying it deletes everything in it'}; the plan would ${change.change.actions.join(' and ')} it`,
    }));
}

/** Terraform refuses to plan the destroy of a resource still configured with prevent_destroy: that too is a destroy the change asks for. */
export function refusedDestroys(stackName: string, planOutput: string): ForbiddenDestroy[] {
  const found: ForbiddenDestroy[] = [];
  const pattern = /Instance cannot be destroyed[\s\S]*?on \S+ line \d+[^\n]*\n[\s\S]*?Resource (\S+) has lifecycle\.prevent_destroy set/g;
  for (let match = pattern.exec(planOutput); match; match = pattern.exec(planOutput)) {
    found.push({ stack: stackName, address: match[1], why: 'Terraform refused: the plan would destroy it and it has prevent_destroy' });
  }
  return found;
}
