import type { Manifest } from '../synth/manifest';

/**
 * A small evaluator of Kubernetes NetworkPolicies over synthesised manifests, so tests can state
 * which flows are allowed ("a consumer may reach its security server on 8080") rather than count
 * objects. Semantics follow the Kubernetes API (networking.k8s.io/v1):
 * - a pod is isolated for a direction only when a policy selecting it lists that policy type;
 *   a flow must be allowed by the source's egress and by the destination's ingress;
 * - `policyTypes` defaults to Ingress, plus Egress when the policy has egress rules;
 * - a peer with only `podSelector` means pods of the policy's namespace; `namespaceSelector` and
 *   `podSelector` in one peer must both match; an absent `from`/`to` or `ports` matches everything;
 * - named ports resolve against the destination pod's container ports; `endPort` gives a range.
 * Two choices where the API leaves it to the network plugin: `ipBlock` matches only addresses
 * outside the cluster (external endpoints), never pods; traffic from the node (kubelet probes) is
 * not modelled.
 */

export interface ContainerPortInfo {
  readonly name?: string;
  readonly port: number;
  readonly protocol: string;
}

/** A pod as a workload template describes it. */
export interface PodEndpoint {
  readonly kind: 'pod';
  /** `Kind/namespace/name` of the workload that runs the pod, e.g. `Deployment/xroad/ss-a`. */
  readonly workload: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly ports: readonly ContainerPortInfo[];
}

/** An address outside the cluster: the internet, a data-centre network, the API server. */
export interface ExternalEndpoint {
  readonly kind: 'external';
  readonly ip: string;
}

export type Endpoint = PodEndpoint | ExternalEndpoint;

export interface Flow {
  readonly from: Endpoint;
  readonly to: Endpoint;
  readonly port: number;
  /** @default 'TCP' */
  readonly protocol?: 'TCP' | 'UDP' | 'SCTP';
}

interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly { key: string; operator: string; values?: readonly string[] }[];
}
interface PolicyPeer {
  readonly podSelector?: LabelSelector;
  readonly namespaceSelector?: LabelSelector;
  readonly ipBlock?: { readonly cidr: string; readonly except?: readonly string[] };
}
interface PolicyPort {
  readonly protocol?: string;
  readonly port?: number | string;
  readonly endPort?: number;
}
interface PolicyRule {
  readonly from?: readonly PolicyPeer[];
  readonly to?: readonly PolicyPeer[];
  readonly ports?: readonly PolicyPort[];
}
interface Policy {
  readonly name: string;
  readonly namespace: string;
  readonly podSelector: LabelSelector;
  readonly types: readonly ('Ingress' | 'Egress')[];
  readonly ingress: readonly PolicyRule[];
  readonly egress: readonly PolicyRule[];
}

const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/**
 * Pods that custom resources create, for kinds whose pods never appear as a template: CloudNativePG
 * runs its instances with `cnpg.io/cluster: <name>` and serves PostgreSQL on 5432, status on 8000.
 */
const CUSTOM_RESOURCE_PODS: Readonly<Record<string, (manifest: Manifest) => Omit<PodEndpoint, 'kind' | 'workload' | 'namespace'>>> = {
  'postgresql.cnpg.io/Cluster': (manifest) => ({
    labels: { 'cnpg.io/cluster': manifest.metadata.name, 'cnpg.io/podRole': 'instance' },
    ports: [
      { name: 'postgresql', port: 5432, protocol: 'TCP' },
      { name: 'status', port: 8000, protocol: 'TCP' },
    ],
  }),
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- manifests are plain JSON of many shapes
type Json = Record<string, any>;

function podTemplateOf(manifest: Manifest): Json | undefined {
  const spec = manifest.spec as Json | undefined;
  switch (manifest.kind) {
    case 'Pod':
      return manifest as Json;
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'Job':
      return spec?.template;
    case 'CronJob':
      return spec?.jobTemplate?.spec?.template;
    default:
      return undefined;
  }
}

/** Every pod the manifests would run, one per workload (replicas share labels, so one stands for all). */
export function podsOf(manifests: readonly Manifest[]): PodEndpoint[] {
  const pods: PodEndpoint[] = [];
  for (const manifest of manifests) {
    const namespace = manifest.metadata.namespace ?? 'default';
    const workload = `${manifest.kind}/${namespace}/${manifest.metadata.name}`;
    const custom = CUSTOM_RESOURCE_PODS[`${manifest.apiVersion.split('/')[0]}/${manifest.kind}`];
    if (custom) {
      pods.push({ kind: 'pod', workload, namespace, ...custom(manifest) });
      continue;
    }
    const template = podTemplateOf(manifest);
    if (!template) continue;
    const containers: Json[] = [...(template.spec?.initContainers ?? []), ...(template.spec?.containers ?? [])];
    pods.push({
      kind: 'pod',
      workload,
      namespace,
      labels: { ...(template.metadata?.labels ?? {}) },
      ports: containers.flatMap((c) => (c.ports ?? []).map((p: Json) => ({ name: p.name, port: p.containerPort, protocol: p.protocol ?? 'TCP' }))),
    });
  }
  return pods;
}

function policiesOf(manifests: readonly Manifest[]): Policy[] {
  return manifests
    .filter((m) => m.kind === 'NetworkPolicy')
    .map((m) => {
      const spec = (m.spec ?? {}) as Json;
      const egress: PolicyRule[] = spec.egress ?? [];
      const types = spec.policyTypes ?? ['Ingress', ...(spec.egress ? ['Egress'] : [])];
      return { name: m.metadata.name, namespace: m.metadata.namespace ?? 'default', podSelector: spec.podSelector ?? {}, types, ingress: spec.ingress ?? [], egress };
    });
}

export function selectorMatches(selector: LabelSelector | undefined, labels: Readonly<Record<string, string>>): boolean {
  if (!selector) return true;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (labels[key] !== value) return false;
  for (const expression of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, expression.key);
    const values = expression.values ?? [];
    const ok =
      expression.operator === 'In' ? has && values.includes(labels[expression.key])
      : expression.operator === 'NotIn' ? !has || !values.includes(labels[expression.key])
      : expression.operator === 'Exists' ? has
      : expression.operator === 'DoesNotExist' ? !has
      : false;
    if (!ok) return false;
  }
  return true;
}

function ipToNumber(ip: string): number {
  return ip.split('.').reduce((sum, octet) => sum * 256 + Number(octet), 0);
}

export function cidrContains(cidr: string, ip: string): boolean {
  const [base, bits] = cidr.split('/');
  const block = 2 ** (32 - Number(bits ?? 32));
  return Math.floor(ipToNumber(base) / block) === Math.floor(ipToNumber(ip) / block);
}

export interface NetworkPolicyModelOptions {
  /** Pods that run outside the manifests (upstream charts, other components), e.g. a gateway proxy. */
  readonly extraPods?: readonly PodEndpoint[];
  /** Labels of namespaces not created by the manifests, beyond the automatic `kubernetes.io/metadata.name`. */
  readonly namespaceLabels?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** A verdict with the policies that decided it, for readable test failures. */
export interface FlowVerdict {
  readonly allowed: boolean;
  /** Whether the source is isolated for egress, and the policies whose rules allow the flow. */
  readonly egress: { readonly isolated: boolean; readonly allowedBy: readonly string[] };
  readonly ingress: { readonly isolated: boolean; readonly allowedBy: readonly string[] };
}

export class NetworkPolicyModel {
  readonly pods: readonly PodEndpoint[];
  private readonly policies: readonly Policy[];
  private readonly namespaceLabels: Map<string, Record<string, string>>;

  constructor(manifests: readonly Manifest[], options: NetworkPolicyModelOptions = {}) {
    this.pods = [...podsOf(manifests), ...(options.extraPods ?? [])];
    this.policies = policiesOf(manifests);
    this.namespaceLabels = new Map();
    for (const m of manifests.filter((m) => m.kind === 'Namespace')) this.namespaceLabels.set(m.metadata.name, { ...(m.metadata.labels ?? {}) });
    for (const [name, labels] of Object.entries(options.namespaceLabels ?? {})) {
      this.namespaceLabels.set(name, { ...(this.namespaceLabels.get(name) ?? {}), ...labels });
    }
  }

  /** The pod of a workload, by `Kind/namespace/name`. */
  pod(workload: string): PodEndpoint {
    const found = this.pods.find((p) => p.workload === workload);
    if (!found) throw new Error(`no pod of workload ${workload}; known: ${this.pods.map((p) => p.workload).join(', ')}`);
    return found;
  }

  labelsOfNamespace(namespace: string): Record<string, string> {
    return { ...(this.namespaceLabels.get(namespace) ?? {}), [NAMESPACE_NAME_LABEL]: namespace };
  }

  allows(flow: Flow): boolean {
    return this.explain(flow).allowed;
  }

  explain(flow: Flow): FlowVerdict {
    const egress = flow.from.kind === 'pod' ? this.verdict(flow.from, 'Egress', flow.to, flow) : { isolated: false, allowedBy: [] };
    const ingress = flow.to.kind === 'pod' ? this.verdict(flow.to, 'Ingress', flow.from, flow) : { isolated: false, allowedBy: [] };
    const passes = (side: { isolated: boolean; allowedBy: readonly string[] }) => !side.isolated || side.allowedBy.length > 0;
    return { allowed: passes(egress) && passes(ingress), egress, ingress };
  }

  private verdict(subject: PodEndpoint, type: 'Ingress' | 'Egress', peer: Endpoint, flow: Flow) {
    const selecting = this.policies.filter(
      (p) => p.namespace === subject.namespace && p.types.includes(type) && selectorMatches(p.podSelector, subject.labels),
    );
    const destination = flow.to;
    const allowedBy = selecting
      .filter((policy) =>
        (type === 'Ingress' ? policy.ingress : policy.egress).some((rule) => {
          const peers = type === 'Ingress' ? rule.from : rule.to;
          const peerOk = !peers || peers.length === 0 || peers.some((p) => this.peerMatches(p, policy.namespace, peer));
          const portOk = !rule.ports || rule.ports.length === 0 || rule.ports.some((p) => portMatches(p, flow, destination));
          return peerOk && portOk;
        }),
      )
      .map((policy) => `${policy.namespace}/${policy.name}`);
    return { isolated: selecting.length > 0, allowedBy };
  }

  private peerMatches(peer: PolicyPeer, policyNamespace: string, endpoint: Endpoint): boolean {
    if (peer.ipBlock) {
      if (endpoint.kind !== 'external') return false;
      return cidrContains(peer.ipBlock.cidr, endpoint.ip) && !(peer.ipBlock.except ?? []).some((cidr) => cidrContains(cidr, endpoint.ip));
    }
    if (endpoint.kind !== 'pod') return false;
    const namespaceOk = peer.namespaceSelector
      ? selectorMatches(peer.namespaceSelector, this.labelsOfNamespace(endpoint.namespace))
      : endpoint.namespace === policyNamespace;
    return namespaceOk && selectorMatches(peer.podSelector, endpoint.labels);
  }
}

function portMatches(port: PolicyPort, flow: Flow, destination: Endpoint): boolean {
  const protocol = flow.protocol ?? 'TCP';
  if ((port.protocol ?? 'TCP') !== protocol) return false;
  if (port.port === undefined) return true;
  if (typeof port.port === 'string') {
    return destination.kind === 'pod' && destination.ports.some((p) => p.name === port.port && p.port === flow.port && p.protocol === protocol);
  }
  return port.endPort ? flow.port >= port.port && flow.port <= port.endPort : flow.port === port.port;
}
