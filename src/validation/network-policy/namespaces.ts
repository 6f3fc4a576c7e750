import { NAMESPACE_NAME_LABEL } from '../../../constructs/baseline/allow-traffic';
import type { Manifest } from '../../synth/manifest';
import { selectorMatches } from './label-selector';
import type { LabelSelector, Labels } from './types';

/**
 * The labels of the namespaces a set of manifests knows, for namespaceSelectors. Kubernetes gives
 * every namespace the label `kubernetes.io/metadata.name: <name>`, so a namespace nobody describes
 * still has that one.
 */
export class NamespaceLabels {
  /** The namespaces the manifests create, with labels given for others merged in. */
  static of(manifests: readonly Manifest[], extra: Readonly<Record<string, Labels>> = {}): NamespaceLabels {
    const known = new Map<string, Labels>();
    for (const namespace of manifests.filter((m) => m.kind === 'Namespace')) known.set(namespace.metadata.name, { ...namespace.metadata.labels });
    for (const [name, labels] of Object.entries(extra)) known.set(name, { ...known.get(name), ...labels });
    return new NamespaceLabels(known);
  }

  /** Labels of each known namespace, the name label included: looked up once per peer and pod pair. */
  private readonly known: ReadonlyMap<string, Labels>;

  constructor(known: Iterable<readonly [string, Labels]>) {
    this.known = new Map([...known].map(([name, labels]) => [name, withNameLabel(name, labels)]));
  }

  has(name: string): boolean {
    return this.known.has(name);
  }

  of(name: string): Labels {
    return this.known.get(name) ?? withNameLabel(name, {});
  }

  /** The known namespaces `selector` selects, in the order they became known. */
  matching(selector: LabelSelector): string[] {
    return [...this.known].filter(([, labels]) => selectorMatches(selector, labels)).map(([name]) => name);
  }
}

function withNameLabel(name: string, labels: Labels): Labels {
  return { ...labels, [NAMESPACE_NAME_LABEL]: name };
}

/**
 * The namespace names a selector pins by `kubernetes.io/metadata.name` (matchLabels or an `In`
 * expression), if it does: those can be named even where no manifest creates the namespace
 * (kube-system for DNS).
 */
export function pinnedNamespaceNames(selector: LabelSelector): readonly string[] | undefined {
  const name = selector.matchLabels?.[NAMESPACE_NAME_LABEL];
  if (name) return [name];
  return selector.matchExpressions?.find((e) => e.key === NAMESPACE_NAME_LABEL && e.operator === 'In')?.values;
}
