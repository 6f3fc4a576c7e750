import { ApiObject } from 'cdk8s';
import type { IConstruct } from 'constructs';

/** A ClusterSecretStore as ExternalSecrets name it in `secretStoreRef`. */
export interface StoreRef {
  readonly kind: string;
  readonly name: string;
}

type LabelSelector = { readonly matchLabels?: Readonly<Record<string, string>>; readonly matchExpressions?: readonly unknown[] };

interface ExternalSecretJson {
  readonly metadata: { readonly namespace?: string };
  readonly spec?: {
    readonly secretStoreRef?: StoreRef;
    readonly namespaceSelectors?: readonly LabelSelector[];
    readonly externalSecretSpec?: { readonly secretStoreRef?: StoreRef };
  };
}

/** One entry of a ClusterSecretStore's `spec.conditions`: the namespaces whose ExternalSecrets it serves. */
export interface StoreCondition {
  readonly namespaces?: readonly string[];
  readonly namespaceSelector?: LabelSelector;
}

/** Namespaces a store serves whether or not an ExternalSecret of the kit names it. */
export interface StoreReaders {
  /** By name, e.g. the namespace a Kubernetes store reads from (who can write there can read there already). */
  readonly namespaces?: readonly string[];
  /** By a label only the platform sets on namespaces (namespace labels are cluster-scoped: no namespace editor can add one). */
  readonly selectors?: readonly LabelSelector[];
}

/**
 * The `spec.conditions` of a ClusterSecretStore, read from the whole construct tree when manifests
 * are rendered: the namespace of every ExternalSecret that names the store, the namespace selectors
 * of every ClusterExternalSecret that names it, and the `readers` it always serves. Without
 * conditions external-secrets serves every namespace, so any namespace editor could copy the
 * store's secrets into their namespace; with them a store is exactly as open as its users.
 */
export function storeConditions(root: IConstruct, store: StoreRef, readers: StoreReaders): StoreCondition[] {
  const users = root.node
    .findAll()
    .filter((c): c is ApiObject => c instanceof ApiObject && c.apiVersion.startsWith('external-secrets.io/') && ['ExternalSecret', 'ClusterExternalSecret'].includes(c.kind))
    .map((o) => ({ kind: o.kind, json: o.toJson() as ExternalSecretJson }));
  const names = (ref: StoreRef | undefined) => ref?.kind === store.kind && ref.name === store.name;
  const namespaces = users.filter((u) => u.kind === 'ExternalSecret' && names(u.json.spec?.secretStoreRef)).map((u) => u.json.metadata.namespace ?? 'default');
  const selectors = users
    .filter((u) => u.kind === 'ClusterExternalSecret' && names(u.json.spec?.externalSecretSpec?.secretStoreRef))
    .flatMap((u) => u.json.spec?.namespaceSelectors ?? []);
  const unique = <T>(items: readonly T[]) => [...new Map(items.map((item) => [JSON.stringify(item), item])).values()];
  const named = [...new Set([...(readers.namespaces ?? []), ...namespaces])].sort();
  const conditions = [...(named.length > 0 ? [{ namespaces: named }] : []), ...unique([...selectors, ...(readers.selectors ?? [])]).map((namespaceSelector) => ({ namespaceSelector }))];
  // No condition at all would open the store to every namespace.
  if (conditions.length === 0) throw new Error(`ClusterSecretStore ${store.name} names no namespace it serves: give it readers`);
  return conditions;
}
