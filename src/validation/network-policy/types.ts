/**
 * The parts of the Kubernetes NetworkPolicy API (networking.k8s.io/v1) and of pods that the kit
 * reasons about, as they appear in synthesised manifests: everything optional, as in the API.
 */

/** Labels of an object (a pod, a namespace). */
export type Labels = Readonly<Record<string, string>>;

export interface LabelSelectorRequirement {
  readonly key: string;
  readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  readonly values?: readonly string[];
}

export interface LabelSelector {
  readonly matchLabels?: Labels;
  readonly matchExpressions?: readonly LabelSelectorRequirement[];
}

export interface IpBlock {
  readonly cidr: string;
  readonly except?: readonly string[];
}

export interface NetworkPolicyPeer {
  readonly podSelector?: LabelSelector;
  readonly namespaceSelector?: LabelSelector;
  readonly ipBlock?: IpBlock;
}

export interface NetworkPolicyPort {
  /** @default 'TCP' */
  readonly protocol?: string;
  /** A number, or the name of a container port of the destination pod; absent: every port. */
  readonly port?: number | string;
  readonly endPort?: number;
}

export interface NetworkPolicyRule {
  readonly from?: readonly NetworkPolicyPeer[];
  readonly to?: readonly NetworkPolicyPeer[];
  readonly ports?: readonly NetworkPolicyPort[];
}

export interface NetworkPolicySpec {
  readonly podSelector?: LabelSelector;
  readonly policyTypes?: readonly string[];
  readonly ingress?: readonly NetworkPolicyRule[];
  readonly egress?: readonly NetworkPolicyRule[];
}

/** A port a pod's container listens on. */
export interface ContainerPort {
  readonly name?: string;
  readonly port: number;
  /** @default 'TCP' */
  readonly protocol?: string;
}

/**
 * A pod as selectors see it. `labels` is undefined for pods the kit cannot see (an upstream chart's,
 * a whole namespace's): any pod selector is then taken to select them.
 */
export interface PodIdentity {
  readonly namespace: string;
  readonly labels?: Labels;
}
