import { dotHeader, drawnNetwork, namespaceRole, namespacesOf, OUTSIDE_CLIENTS, quote, ROLE_STYLE, type DiagramInput, type NamespaceRole } from './diagram';
import type { FlowEnd } from './network-flows';

/** The boxes of the overview, in reading order: how traffic enters, what serves it, what carries it. */
const ROLE_ORDER: readonly NamespaceRole[] = ['ingress', 'building-block', 'information-mediator', 'platform'];
const ROLE_HEADING: Readonly<Record<NamespaceRole, string>> = {
  ingress: 'Ingress',
  'building-block': 'Building blocks',
  'information-mediator': 'Information Mediator',
  platform: 'Platform',
};

/**
 * The overview: one box per namespace inside a box per role, and an unlabelled arrow wherever some
 * pod of one may reach some pod of the other. Clients reaching a LoadBalancer are drawn; addresses
 * outside the cluster (the API server's, the nodes', the internet) are not, since nearly every
 * namespace reaches the API server and their arrows would hide the rest: they, the ports and the
 * pods themselves are in the detailed diagrams.
 */
export function overviewDot(input: DiagramInput, title: string, rankdir: 'TB' | 'LR'): string {
  const { flows, endpoints } = drawnNetwork(input);
  const namespaces = namespacesOf(input, endpoints);
  const boxOf = (endpoint: FlowEnd) => (endpoint.namespace ? `namespace:${endpoint.namespace}` : endpoint.id);
  const arrows = new Set<string>();
  for (const flow of flows) {
    if (!flow.from.namespace || !flow.to.namespace) continue;
    const from = boxOf(flow.from);
    const to = boxOf(flow.to);
    if (from !== to) arrows.add(`${from}\0${to}`);
  }
  for (const id of input.loadBalanced.keys()) {
    const endpoint = endpoints.find((e) => e.id === id);
    if (endpoint) arrows.add(`${OUTSIDE_CLIENTS}\0${boxOf(endpoint)}`);
  }

  const lines = dotHeader(title, rankdir);
  const roleOf = (namespace: string) => namespaceRole(namespace, input.namespaceLayers.get(namespace));
  for (const role of ROLE_ORDER) {
    const inRole = namespaces.filter((namespace) => roleOf(namespace) === role);
    if (inRole.length === 0) continue;
    const style = ROLE_STYLE[role];
    lines.push(`  subgraph ${quote(`cluster_role_${role}`)} {`);
    lines.push(`    label=${quote(ROLE_HEADING[role])}; style="rounded"; color=${quote(style.border)};`);
    for (const namespace of inRole) {
      const pods = endpoints.filter((e) => e.namespace === namespace && (e.kind === 'workload' || e.kind === 'upstream-chart')).length;
      const label = `${namespace}\n${pods === 0 ? 'no workloads' : `${pods} workload${pods === 1 ? '' : 's'}`}`;
      lines.push(`    ${quote(`namespace:${namespace}`)} [label=${quote(label)}, fillcolor=${quote(style.fill)}, color=${quote(style.border)}];`);
    }
    lines.push('  }');
  }
  if (input.loadBalanced.size > 0) lines.push(`  ${quote(OUTSIDE_CLIENTS)} [label="clients outside\nthe cluster", shape=ellipse, style="dashed", color=${quote(ROLE_STYLE.outside.border)}];`);
  for (const arrow of [...arrows].sort()) {
    const [from, to] = arrow.split('\0');
    lines.push(`  ${quote(from)} -> ${quote(to)}${from === OUTSIDE_CLIENTS ? ' [style=dashed]' : ''};`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
