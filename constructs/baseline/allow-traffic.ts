import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import type { k8s } from 'cdk8s-plus-28';
import type { Environment } from '../environment/schema';
import { insideAny } from '../environment/formats';
import { declarePolicyException } from './policy-exception';
import { resilience } from '../environment/resilience';

/** The label Kubernetes gives every namespace, its name: NetworkPolicies select other namespaces by it. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** One side of an allowed connection: pods (in a namespace), or an address block. */
export type TrafficPeer = k8s.NetworkPolicyPeer;

/**
 * The instance metadata service of every major cloud and of OpenStack: it hands out the node's
 * credentials to whatever asks from the node's network. No pod the kit runs needs it.
 */
export const CLOUD_METADATA_ADDRESS = '169.254.169.254';

/**
 * An address block a pod may send to, never the metadata service: a block holding its address
 * (the "anywhere" of ACME, X-Road peers, a cloud object store) excepts it.
 */
export function egressBlock(cidr: string): { cidr: string; except?: string[] } {
  const metadata = `${CLOUD_METADATA_ADDRESS}/32`;
  return cidr !== metadata && insideAny(CLOUD_METADATA_ADDRESS, [cidr]) ? { cidr, except: [metadata] } : { cidr };
}

export interface TrafficRule {
  readonly peers: readonly TrafficPeer[];
  /** TCP ports (numbers or container port names), or `{ port, protocol }`; empty allows every port (declare NET-02 with the reason). */
  readonly ports: readonly (number | string | { readonly port: number; readonly protocol: 'TCP' | 'UDP' })[];
}

/** Rules known when the construct is built, or computed when manifests are rendered (from what other layers added). */
export type TrafficRules = readonly TrafficRule[] | (() => readonly TrafficRule[]);

export interface AllowTrafficProps {
  /**
   * Name of the NetworkPolicy.
   * @default `allow-<id in kebab case>`
   */
  readonly name?: string;
  readonly namespace: string;
  /** Labels of the pods the policy applies to; `{}` for every pod of the namespace. */
  readonly pods: Readonly<Record<string, string>>;
  /**
   * Peers the pods accept traffic from.
   * @default no ingress rule: the policy leaves the pods' ingress to the namespace's default-deny and other policies
   */
  readonly ingress?: TrafficRules;
  /**
   * Peers the pods may send traffic to.
   * @default no egress rule: the policy leaves the pods' egress to the namespace's default-deny and other policies
   */
  readonly egress?: TrafficRules;
}

/**
 * An explicit allow on top of the namespace's default-deny: which pods, from or to which peers,
 * on which ports. Every rule names peers and ports (NET-02). A rule whose peer list is empty is
 * left out rather than rendered: `from: []` would admit everyone. Egress to an address block
 * never includes the cloud metadata service (`egressBlock`).
 */
export class AllowTraffic extends Construct {
  private readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: AllowTrafficProps) {
    super(scope, id);
    const render = (rules: TrafficRules, side: 'from' | 'to') => {
      const build = (list: readonly TrafficRule[]) =>
        list.filter((rule) => rule.peers.length > 0).map((rule) => ({
          [side]: rule.peers.map((peer) => {
            const copy = JSON.parse(JSON.stringify(peer)) as TrafficPeer;
            return side === 'to' && copy.ipBlock && !copy.ipBlock.except ? { ...copy, ipBlock: egressBlock(copy.ipBlock.cidr) } : copy;
          }),
          ...(rule.ports.length > 0 ? { ports: rule.ports.map(portOf) } : {}),
        }));
      return typeof rules === 'function' ? Lazy.any({ produce: () => build(rules()) }) : build(rules);
    };
    const policyTypes = [...(props.ingress ? ['Ingress'] : []), ...(props.egress ? ['Egress'] : [])];
    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: props.name ?? `allow-${kebab(id)}`, namespace: props.namespace },
      spec: {
        podSelector: { matchLabels: { ...props.pods } },
        policyTypes,
        ...(props.ingress ? { ingress: render(props.ingress, 'from') } : {}),
        ...(props.egress ? { egress: render(props.egress, 'to') } : {}),
      },
    });
  }

  /** Declares an exception on the NetworkPolicy (e.g. NET-02 for traffic on ports assigned at run time). */
  declareException(checkId: string, reason: string): void {
    declarePolicyException(this.resource, checkId, reason);
  }

  /** Says why the policy sends to any address (`anyAddress()`), where NET-06 asks: outside the sandbox. */
  declareEgressAnywhere(env: Pick<Environment, 'ha' | 'platform' | 'stage'>, reason: string): void {
    if (resilience(env).egressAnywhereNeedsReason) declarePolicyException(this.resource, 'NET-06', reason);
  }
}

function portOf(port: TrafficRule['ports'][number]): { protocol: string; port: number | string } {
  return typeof port === 'object' ? { protocol: port.protocol, port: port.port } : { protocol: 'TCP', port };
}

function kebab(id: string): string {
  return id.replace(/[A-Z]/g, (c, i: number) => `${i === 0 ? '' : '-'}${c.toLowerCase()}`);
}

/** Pods with `labels` in `namespace` (every pod there when `labels` is empty). */
export function podsIn(namespace: string, labels: Readonly<Record<string, string>> = {}): TrafficPeer {
  return { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: namespace } }, podSelector: { matchLabels: { ...labels } } };
}

/** Pods with `labels` in any namespace carrying `namespaceLabels`. */
export function podsInNamespacesLabelled(namespaceLabels: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>> = {}): TrafficPeer {
  return { namespaceSelector: { matchLabels: { ...namespaceLabels } }, podSelector: { matchLabels: { ...labels } } };
}

/** The Kubernetes API server, at the addresses the environment names (controllers, webhooks). */
export function apiServer(env: Pick<Environment, 'platform'>): TrafficRule {
  return { peers: env.platform.apiServer.cidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: env.platform.apiServer.ports };
}

/**
 * Any address: for endpoints outside the cluster whose addresses the kit cannot know (ACME).
 * Egress there is NET-06's concern outside the sandbox: declare why with the policy's
 * `declareEgressAnywhere`.
 */
export function anyAddress(): TrafficPeer {
  return { ipBlock: { cidr: '0.0.0.0/0' } };
}

/** Pods with these labels in the policy's own namespace. */
export function pods(labels: Readonly<Record<string, string>>): TrafficPeer {
  return { podSelector: { matchLabels: { ...labels } } };
}

/** Every pod of the named namespaces. */
export function namespacesNamed(names: readonly string[]): TrafficPeer {
  return { namespaceSelector: { matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: 'In', values: [...names].sort() }] } };
}

/** Every pod of the namespaces carrying this label. */
export function namespacesLabelled(key: string, value: string): TrafficPeer {
  return { namespaceSelector: { matchLabels: { [key]: value } } };
}

/** Addresses outside the cluster. */
export function addresses(cidr: string): TrafficPeer {
  return { ipBlock: { cidr } };
}
