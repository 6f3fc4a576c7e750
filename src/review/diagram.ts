import type { LayerName } from '../../charts/kit-chart';
import { XROAD_NAMESPACE } from '../../constructs/information-mediator/contract';
import { GATEWAY_NAMESPACE } from '../../constructs/platform/contract';
import type { Endpoint, Flow } from './network-flows';

/** What a namespace is for, as the diagram colours it. */
export type NamespaceRole = 'ingress' | 'information-mediator' | 'building-block' | 'platform';

const ROLE_STYLE: Readonly<Record<NamespaceRole | 'outside', { readonly fill: string; readonly border: string; readonly title: string }>> = {
  ingress: { fill: '#f3e8fd', border: '#8e44ad', title: 'ingress' },
  'information-mediator': { fill: '#fff1e0', border: '#d9822b', title: 'Information Mediator' },
  'building-block': { fill: '#e6f0fb', border: '#2f6fb3', title: 'building block' },
  platform: { fill: '#f1f2f4', border: '#7a828e', title: 'platform' },
  outside: { fill: '#ffffff', border: '#9aa0a6', title: 'outside the cluster' },
};

export function namespaceRole(namespace: string, layer: LayerName | undefined): NamespaceRole {
  if (namespace === GATEWAY_NAMESPACE) return 'ingress';
  if (namespace === XROAD_NAMESPACE || layer === 'information-mediator') return 'information-mediator';
  if (layer === 'building-blocks') return 'building-block';
  return 'platform';
}

export interface DiagramInput {
  readonly title: string;
  readonly flows: readonly Flow[];
  /** Every endpoint to draw, including those without flows. */
  readonly endpoints: readonly Endpoint[];
  readonly namespaceLayers: ReadonlyMap<string, LayerName>;
  /** Hostnames routed to each endpoint (by endpoint id), shown on the node. */
  readonly hostnames: ReadonlyMap<string, readonly string[]>;
  /** Endpoints reachable from outside through a LoadBalancer Service, with the ports. */
  readonly loadBalanced: ReadonlyMap<string, readonly string[]>;
}

/** Cluster DNS is allowed everywhere; drawing it would hide every other flow. */
export function isDnsFlow(flow: Flow): boolean {
  return flow.to.namespace === 'kube-system' && flow.ports.every((port) => / 53$/.test(port));
}

const OUTSIDE_CLIENTS = 'outside:clients';

/**
 * The architecture as Graphviz DOT: one box per namespace coloured by its role, the workloads,
 * data services and upstream charts inside, and an arrow for every flow the NetworkPolicies allow.
 */
export function architectureDot(input: DiagramInput): string {
  const drawnFlows = input.flows.filter((flow) => !isDnsFlow(flow) && flow.from.id !== flow.to.id);
  const used = new Set(drawnFlows.flatMap((flow) => [flow.from.id, flow.to.id]));
  const endpoints = input.endpoints.filter((e) => e.kind === 'workload' || e.kind === 'upstream-chart' || used.has(e.id));
  const lines = [
    `digraph ${quote(input.title)} {`,
    '  graph [rankdir=LR, fontname="Helvetica", fontsize=11, nodesep=0.25, ranksep=0.8, newrank=true, bgcolor="transparent"];',
    '  node [fontname="Helvetica", fontsize=10, shape=box, style="rounded,filled", fillcolor="#ffffff", color="#5f6368"];',
    '  edge [fontname="Helvetica", fontsize=9, color="#4a4f57", fontcolor="#30343a", arrowsize=0.7];',
  ];
  // Every namespace of the environment is drawn, those without workloads (yet) as empty boxes.
  const namespaces = [...new Set([...input.namespaceLayers.keys(), ...endpoints.flatMap((e) => (e.namespace ? [e.namespace] : []))])].sort();
  for (const namespace of namespaces) {
    const role = namespaceRole(namespace, input.namespaceLayers.get(namespace));
    const style = ROLE_STYLE[role];
    lines.push(`  subgraph ${quote(`cluster_${namespace}`)} {`);
    lines.push(`    label=${quote(`${namespace} (${style.title})`)}; style="rounded,filled"; fillcolor=${quote(style.fill)}; color=${quote(style.border)};`);
    const inside = endpoints.filter((e) => e.namespace === namespace);
    for (const endpoint of inside) lines.push(`    ${node(endpoint, input.hostnames.get(endpoint.id))}`);
    if (inside.length === 0) lines.push(`    ${quote(`${namespace}/empty`)} [label="no workloads", shape=plaintext, style="", fontcolor="#59636e"];`);
    lines.push('  }');
  }
  const outside = endpoints.filter((e) => !e.namespace);
  if (outside.length > 0 || input.loadBalanced.size > 0) {
    lines.push(`  subgraph "cluster_outside" {`);
    lines.push(`    label=${quote(ROLE_STYLE.outside.title)}; style="rounded,dashed"; color=${quote(ROLE_STYLE.outside.border)};`);
    for (const endpoint of outside) lines.push(`    ${node(endpoint, undefined)}`);
    if (input.loadBalanced.size > 0) lines.push(`    ${quote(OUTSIDE_CLIENTS)} [label="clients", shape=ellipse, style="dashed"];`);
    lines.push('  }');
  }
  for (const [id, ports] of [...input.loadBalanced.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`  ${quote(OUTSIDE_CLIENTS)} -> ${quote(id)} [style=dashed, label=${quote(`LoadBalancer ${ports.join(', ')}`)}];`);
  }
  for (const flow of drawnFlows) {
    lines.push(`  ${quote(flow.from.id)} -> ${quote(flow.to.id)} [label=${quote(flow.ports.join(', '))}];`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

function node(endpoint: Endpoint, hostnames: readonly string[] | undefined): string {
  const isDatabase = endpoint.workload?.kind === 'Cluster';
  const label = [endpoint.label, ...(isDatabase ? ['PostgreSQL (CloudNativePG)'] : []), ...(hostnames ?? []).map((h) => `https://${h}`)].join('\n');
  const attributes = [`label=${quote(label)}`];
  if (isDatabase) attributes.push('shape=cylinder', 'style="filled"', 'fillcolor="#e3f4e8"', 'color="#2e8b57"');
  else if (endpoint.kind === 'upstream-chart') attributes.push('style="rounded,filled,dashed"', 'fillcolor="#fafafa"');
  else if (endpoint.kind !== 'workload') attributes.push('style="rounded,dashed"');
  return `${quote(endpoint.id)} [${attributes.join(', ')}];`;
}

function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}
