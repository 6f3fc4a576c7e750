import type { LayerName } from '../../charts/kit-chart';
import { XROAD_NAMESPACE } from '../../constructs/information-mediator/contract';
import { GATEWAY_NAMESPACE } from '../../constructs/platform/contract';
import type { FlowEnd, FlowRow } from './network-flows';

/**
 * What every architecture diagram shares: the roles namespaces are coloured by, what is drawn at
 * all, and DOT's graph defaults. The overview (overview-diagram.ts) and the detailed diagrams
 * (detail-diagram.ts) are built from the same input.
 */

/** What a namespace is for, as the diagrams colour it. */
export type NamespaceRole = 'ingress' | 'information-mediator' | 'building-block' | 'platform';

export const ROLE_STYLE: Readonly<Record<NamespaceRole | 'outside', { readonly fill: string; readonly border: string; readonly title: string }>> = {
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
  /** The environment's name, for titles. */
  readonly environment: string;
  readonly flows: readonly FlowRow[];
  /** Every endpoint to draw, including those without flows. */
  readonly endpoints: readonly FlowEnd[];
  readonly namespaceLayers: ReadonlyMap<string, LayerName>;
  /** Endpoints reachable from outside through a LoadBalancer Service, with the ports. */
  readonly loadBalanced: ReadonlyMap<string, readonly string[]>;
}

/** Cluster DNS is allowed everywhere; drawing it would hide every other flow. */
export function isDnsFlow(flow: FlowRow): boolean {
  return flow.to.namespace === 'kube-system' && flow.ports.every((port) => / 53$/.test(port));
}

/**
 * What the diagrams draw: every workload and upstream chart, whatever a flow names, and the flows
 * but DNS and a pod talking to itself. Address blocks that the same pods reach on the same ports
 * (the API server's three addresses) are one box, so that their arrows are drawn once.
 */
export function drawnNetwork(input: DiagramInput): DrawnNetwork {
  // Every diagram of an environment (the overview and each detailed one) draws the same network.
  let drawn = DRAWN.get(input);
  if (!drawn) {
    drawn = drawNetwork(input);
    DRAWN.set(input, drawn);
  }
  return drawn;
}

interface DrawnNetwork {
  readonly flows: readonly FlowRow[];
  readonly endpoints: readonly FlowEnd[];
}

const DRAWN = new WeakMap<DiagramInput, DrawnNetwork>();

function drawNetwork(input: DiagramInput): DrawnNetwork {
  const flows = input.flows.filter((flow) => !isDnsFlow(flow) && flow.from.id !== flow.to.id);
  const used = new Set(flows.flatMap((flow) => [flow.from.id, flow.to.id]));
  const endpoints = input.endpoints.filter((e) => e.kind === 'workload' || e.kind === 'upstream-chart' || used.has(e.id));

  // Each endpoint's peers, in one pass over the flows (an endpoint that is both ends of a flow was left out above).
  const peers = new Map<string, string[]>();
  const notePeer = (id: string, peer: string) => {
    const known = peers.get(id);
    if (known) known.push(peer);
    else peers.set(id, [peer]);
  };
  for (const f of flows) {
    notePeer(f.to.id, `from ${f.from.id} ${f.ports.join(',')}`);
    notePeer(f.from.id, `to ${f.to.id} ${f.ports.join(',')}`);
  }
  const peersOf = (address: FlowEnd) => [...(peers.get(address.id) ?? [])].sort().join('\n');
  const byPeers = new Map<string, FlowEnd[]>();
  for (const address of endpoints.filter((e) => e.kind === 'addresses')) {
    const key = peersOf(address);
    byPeers.set(key, [...(byPeers.get(key) ?? []), address]);
  }
  const replaced = new Map<string, FlowEnd>();
  for (const same of byPeers.values()) {
    if (same.length < 2) continue;
    const merged: FlowEnd = { ...same[0], id: same.map((e) => e.id).join('+'), label: `addresses\n${same.map((e) => e.id.replace(/^addresses:/, '')).join('\n')}` };
    for (const address of same) replaced.set(address.id, merged);
  }
  const drawn = (e: FlowEnd) => replaced.get(e.id) ?? e;
  const seen = new Set<string>();
  return {
    flows: flows.map((f) => ({ ...f, from: drawn(f.from), to: drawn(f.to) })).filter((f) => {
      const key = `${f.from.id}\0${f.to.id}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    }),
    endpoints: [...new Map(endpoints.map(drawn).map((e) => [e.id, e])).values()],
  };
}

/** Every namespace of the environment, those without workloads (yet) too. */
export function namespacesOf(input: DiagramInput, endpoints: readonly FlowEnd[]): string[] {
  return [...new Set([...input.namespaceLayers.keys(), ...endpoints.flatMap((e) => (e.namespace ? [e.namespace] : []))])].sort();
}

export const OUTSIDE_CLIENTS = 'outside:clients';

/**
 * Graph defaults. Every label is at least 10 pt, the size `printed-page.ts` keeps legible on
 * paper; Helvetica is the face whose widths Graphviz knows, and diagram-svg.ts pins each label
 * to the width laid out for it whatever font the reader's browser substitutes.
 */
export function dotHeader(title: string, rankdir: 'LR' | 'TB'): string[] {
  return [
    `digraph ${quote(title)} {`,
    `  graph [rankdir=${rankdir}, fontname="Helvetica", fontsize=12, nodesep=0.15, ranksep=0.4, newrank=true, bgcolor="transparent", margin=0];`,
    '  node [fontname="Helvetica", fontsize=10, shape=box, style="rounded,filled", fillcolor="#ffffff", color="#5f6368", margin="0.06,0.03"];',
    '  edge [fontname="Helvetica", fontsize=10, color="#4a4f57", fontcolor="#30343a", arrowsize=0.6];',
  ];
}

export function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** Joins items into lines of at most `width` characters, so that a long list makes a tall label, not a wide one. */
export function wrap(items: readonly string[], width: number, separator = ', '): string {
  const lines: string[] = [];
  for (const item of items) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last].length + separator.length + item.length <= width) lines[last] += `${separator}${item}`;
    else lines.push(item);
  }
  return lines.join(`${separator.trimEnd()}\n`);
}
