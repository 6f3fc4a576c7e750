import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { NAMESPACE_NAME_LABEL } from '../baseline/secure-namespace';

/** Small builders for the NetworkPolicies of the Information Mediator, so each policy reads as who may reach whom. */

export type Peer = k8s.NetworkPolicyPeer;

export const peers = {
  /** Pods with these labels in the policy's own namespace. */
  pods: (labels: Readonly<Record<string, string>>): Peer => ({ podSelector: { matchLabels: { ...labels } } }),
  /** Pods with these labels in the named namespace. */
  podsIn: (namespace: string, labels: Readonly<Record<string, string>>): Peer => ({
    namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: namespace } },
    podSelector: { matchLabels: { ...labels } },
  }),
  /** Every pod of the named namespaces. */
  namespaces: (names: readonly string[]): Peer => ({
    namespaceSelector: { matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: 'In', values: [...names].sort() }] },
  }),
  /** Every pod of namespaces carrying this label. */
  namespacesLabelled: (key: string, value: string): Peer => ({ namespaceSelector: { matchLabels: { [key]: value } } }),
  /** Addresses outside the cluster. */
  cidr: (cidr: string): Peer => ({ ipBlock: { cidr } }),
};

export function tcpPorts(...numbers: number[]): k8s.NetworkPolicyPort[] {
  return numbers.map((number) => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(number) }));
}

export interface Rule {
  readonly peers: readonly Peer[];
  readonly ports: readonly number[];
}

export interface AllowPolicyProps {
  readonly name: string;
  readonly namespace: string;
  /** Pods the policy applies to. */
  readonly pods: Readonly<Record<string, string>>;
  readonly ingress?: readonly Rule[];
  readonly egress?: readonly Rule[];
}

/** One allow-list NetworkPolicy on top of the namespace's default deny; rules without peers are left out. */
export class AllowPolicy extends Construct {
  readonly resource: k8s.KubeNetworkPolicy;

  constructor(scope: Construct, id: string, props: AllowPolicyProps) {
    super(scope, id);
    const rules = (list: readonly Rule[] | undefined) =>
      (list ?? []).filter((rule) => rule.peers.length > 0).map((rule) => ({ from: [...rule.peers], to: [...rule.peers], ports: tcpPorts(...rule.ports) }));
    const ingress = rules(props.ingress).map(({ from, ports }) => ({ from, ports }));
    const egress = rules(props.egress).map(({ to, ports }) => ({ to, ports }));
    this.resource = new k8s.KubeNetworkPolicy(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace },
      spec: {
        podSelector: { matchLabels: { ...props.pods } },
        policyTypes: [...(props.ingress ? ['Ingress'] : []), ...(props.egress ? ['Egress'] : [])],
        ...(ingress.length > 0 ? { ingress } : {}),
        ...(egress.length > 0 ? { egress } : {}),
      },
    });
  }
}
