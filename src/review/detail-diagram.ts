import {
  dotHeader,
  drawnNetwork,
  namespaceRole,
  namespacesOf,
  OUTSIDE_CLIENTS,
  quote,
  ROLE_STYLE,
  wrap,
  type DiagramInput,
} from './diagram';
import type { FlowEnd, FlowRow } from './network-flows';

/** Characters per line of a port list on an arrow. */
const PORTS_PER_LINE = 20;

/** How a detailed diagram is drawn: top-down or left-to-right, with or without the ports on its arrows. */
export interface DetailStyle {
  readonly rankdir: 'TB' | 'LR';
  readonly ports: boolean;
  /** What one box beyond the diagram stands for: a namespace, or every namespace of a role. */
  readonly neighbours: 'namespace' | 'role';
}

/** `TCP 80, TCP 443, UDP 53` as `TCP 80, 443, UDP 53`, wrapped: the shortest label that says every port. */
function portsLabel(ports: Iterable<string>): string {
  const items: string[] = [];
  let protocol = '';
  for (const port of ports) {
    const [name, number] = port.split(' ');
    if (number !== undefined && name === protocol) items.push(number);
    else items.push(port);
    protocol = number === undefined ? '' : name;
  }
  return wrap(items, PORTS_PER_LINE);
}


/**
 * Pods of one namespace that may all reach one another on the same ports: drawn as a note on the
 * namespace instead of an arrow for every pair (twelve MOSIP releases would otherwise draw 132).
 */
function meshOf(namespace: string, endpoints: readonly FlowEnd[], flows: readonly FlowRow[]): { readonly members: ReadonlySet<string>; readonly ports: string } | undefined {
  const members = endpoints.filter((e) => e.namespace === namespace && (e.kind === 'workload' || e.kind === 'upstream-chart'));
  if (members.length < 3) return undefined;
  const inside = new Map(flows.filter((f) => f.from.namespace === namespace && f.to.namespace === namespace).map((f) => [`${f.from.id}\0${f.to.id}`, f.ports.join(', ')]));
  const ports = inside.get(`${members[0].id}\0${members[1].id}`);
  const complete = members.every((a) => members.every((b) => a === b || inside.get(`${a.id}\0${b.id}`) === ports));
  return complete && ports ? { members: new Set(members.map((m) => m.id)), ports } : undefined;
}

/**
 * A detailed diagram of some namespaces: each a box holding its workloads, databases and upstream
 * charts, with an arrow for every allowed flow labelled with its ports. What lies beyond is one box
 * per namespace (or per role, where that is too wide to print) and per block of outside addresses.
 */
export function detailDot(input: DiagramInput, namespaces: readonly string[], title: string, style: DetailStyle): string {
  const shown = new Set(namespaces);
  const { flows, endpoints } = drawnNetwork(input);
  const meshes = new Map(namespaces.flatMap((namespace) => {
    const mesh = meshOf(namespace, endpoints, flows);
    return mesh ? [[namespace, mesh] as const] : [];
  }));
  const inMesh = (flow: FlowRow) => flow.from.namespace === flow.to.namespace && meshes.get(flow.from.namespace ?? '')?.members.has(flow.from.id) && meshes.get(flow.from.namespace ?? '')?.members.has(flow.to.id);
  const relevant = flows.filter((f) => (shown.has(f.from.namespace ?? '') || shown.has(f.to.namespace ?? '')) && !inMesh(f));

  // An end outside the diagram's namespaces stands for its whole namespace (or role); addresses stay as they are.
  const roleOf = (namespace: string) => namespaceRole(namespace, input.namespaceLayers.get(namespace));
  const neighbourId = (namespace: string) => (style.neighbours === 'role' ? `role:${roleOf(namespace)}` : `namespace:${namespace}`);
  const neighbourNamespaces = new Map<string, Set<string>>();
  const drawnId = (endpoint: FlowEnd) => {
    if (!endpoint.namespace || shown.has(endpoint.namespace)) return endpoint.id;
    const id = neighbourId(endpoint.namespace);
    neighbourNamespaces.set(id, (neighbourNamespaces.get(id) ?? new Set()).add(endpoint.namespace));
    return id;
  };
  const arrows = new Map<string, { from: string; to: string; ports: Set<string> }>();
  for (const flow of relevant) {
    const from = drawnId(flow.from);
    const to = drawnId(flow.to);
    const key = `${from}\0${to}`;
    const arrow = arrows.get(key) ?? { from, to, ports: new Set<string>() };
    for (const port of flow.ports) arrow.ports.add(port);
    arrows.set(key, arrow);
  }

  const lines = dotHeader(title, style.rankdir);
  for (const namespace of namespacesOf(input, endpoints).filter((n) => shown.has(n))) {
    const role = ROLE_STYLE[namespaceRole(namespace, input.namespaceLayers.get(namespace))];
    const mesh = meshes.get(namespace);
    const label = `${namespace} (${role.title})${mesh ? `\nevery pod here may reach every other: ${mesh.ports}` : ''}`;
    lines.push(`  subgraph ${quote(`cluster_${namespace}`)} {`);
    lines.push(`    label=${quote(label)}; style="rounded,filled"; fillcolor=${quote(role.fill)}; color=${quote(role.border)};`);
    const inside = endpoints.filter((e) => e.namespace === namespace);
    for (const endpoint of inside) lines.push(`    ${endpointNode(endpoint)}`);
    if (inside.length === 0) lines.push(`    ${quote(`${namespace}/empty`)} [label="no workloads", shape=plaintext, style="", fontcolor="#59636e"];`);
    lines.push('  }');
  }
  for (const [id, inside] of [...neighbourNamespaces.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const names = [...inside].sort();
    const role = ROLE_STYLE[roleOf(names[0])];
    const label = style.neighbours === 'role' ? `${role.title}:\n${names.join('\n')}` : `${names[0]}\n(${role.title})`;
    lines.push(`  ${quote(id)} [label=${quote(label)}, style="rounded,filled,dashed", fillcolor=${quote(role.fill)}, color=${quote(role.border)}];`);
  }
  const addressIds = new Set([...arrows.values()].flatMap((a) => [a.from, a.to]));
  const outside = endpoints.filter((e) => !e.namespace && addressIds.has(e.id));
  const loadBalanced = [...input.loadBalanced.entries()].filter(([id]) => shown.has(endpoints.find((e) => e.id === id)?.namespace ?? '')).sort(([a], [b]) => a.localeCompare(b));
  if (outside.length > 0 || loadBalanced.length > 0) {
    lines.push('  subgraph "cluster_outside" {');
    lines.push(`    label=${quote(ROLE_STYLE.outside.title)}; style="rounded,dashed"; color=${quote(ROLE_STYLE.outside.border)};`);
    for (const endpoint of outside) lines.push(`    ${endpointNode(endpoint)}`);
    if (loadBalanced.length > 0) lines.push(`    ${quote(OUTSIDE_CLIENTS)} [label="clients", shape=ellipse, style="dashed"];`);
    lines.push('  }');
  }
  for (const [id, ports] of loadBalanced) {
    lines.push(`  ${quote(OUTSIDE_CLIENTS)} -> ${quote(id)} [style=dashed${style.ports ? `, label=${quote(`LoadBalancer\n${portsLabel(ports)}`)}` : ''}];`);
  }
  for (const arrow of [...arrows.values()].sort((a, b) => `${a.from}\0${a.to}`.localeCompare(`${b.from}\0${b.to}`))) {
    lines.push(`  ${quote(arrow.from)} -> ${quote(arrow.to)}${style.ports ? ` [label=${quote(portsLabel(arrow.ports))}]` : ''};`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** Hostnames are in the routes table below the diagrams: on a node they would make it too wide to print. */
function endpointNode(endpoint: FlowEnd): string {
  const isDatabase = endpoint.workload?.kind === 'Cluster';
  const label = [endpoint.label, ...(isDatabase ? ['PostgreSQL'] : [])].join('\n');
  const attributes = [`label=${quote(label)}`];
  if (isDatabase) attributes.push('shape=cylinder', 'style="filled"', 'fillcolor="#e3f4e8"', 'color="#2e8b57"');
  else if (endpoint.kind === 'upstream-chart') attributes.push('style="rounded,filled,dashed"', 'fillcolor="#fafafa"');
  else if (endpoint.kind !== 'workload') attributes.push('style="rounded,dashed"');
  return `${quote(endpoint.id)} [${attributes.join(', ')}];`;
}
