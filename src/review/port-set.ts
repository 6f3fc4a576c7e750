import { namedContainerPort, protocolOf, type ContainerPort, type NetworkPolicyPort } from '../validation/network-policy';

const ANY_PORT = 'any port';

/** Ports as NetworkPolicy rules allow them: every port, or a set of `PROTOCOL port` (ranges `PROTOCOL low-high`). */
export type PortSet = 'all' | Set<string>;

/** A policy port in reviewer's words; a named port shows its number on the target, where the target declares it. */
export function portText(rule: NetworkPolicyPort, targetPorts: readonly ContainerPort[]): string {
  const protocol = protocolOf(rule);
  if (rule.port === undefined) return `${protocol} ${ANY_PORT}`;
  const port = typeof rule.port === 'string' ? (namedContainerPort(rule.port, protocol, targetPorts)?.port ?? rule.port) : rule.port;
  return `${protocol} ${port}${rule.endPort ? `-${rule.endPort}` : ''}`;
}

export function union(a: PortSet | undefined, b: PortSet): PortSet {
  if (a === undefined) return b;
  if (a === 'all' || b === 'all') return 'all';
  return new Set([...a, ...b]);
}

/** The ports both sides permit, in reviewer's words. */
export function intersect(a: PortSet, b: PortSet): string[] {
  if (a === 'all' && b === 'all') return [ANY_PORT];
  if (a === 'all') return sortPorts(b as Set<string>);
  if (b === 'all') return sortPorts(a);
  const result = new Set<string>();
  for (const x of a) for (const y of b) {
    const common = commonPort(x, y);
    if (common) result.add(common);
  }
  return sortPorts(result);
}

function commonPort(x: string, y: string): string | undefined {
  const [px, vx] = x.split(' ');
  const [py, vy] = y.split(' ');
  if (px !== py) return undefined;
  const within = (range: string, port: string) => {
    if (range === ANY_PORT.split(' ')[0]) return true;
    const [low, high] = range.split('-').map(Number);
    return high !== undefined && Number(port) >= low && Number(port) <= high;
  };
  if (vx === vy || within(vy, vx)) return x;
  if (within(vx, vy)) return y;
  return undefined;
}

/** `TCP 80` before `TCP 443`. One collator: `localeCompare` with options builds a new one on every call. */
const PORT_ORDER = new Intl.Collator('en', { numeric: true });

function sortPorts(ports: Set<string>): string[] {
  return [...ports].sort(PORT_ORDER.compare);
}
