import type { ContainerPort, NetworkPolicyPort } from './types';

/** The protocol of a policy or container port; Kubernetes defaults it to TCP. */
export function protocolOf(port: { readonly protocol?: string }): string {
  return port.protocol ?? 'TCP';
}

/** The container port a named policy port means on a pod: the one of that name, for that protocol. */
export function namedContainerPort(name: string, protocol: string, ports: readonly ContainerPort[]): ContainerPort | undefined {
  return ports.find((p) => p.name === name && protocolOf(p) === protocol);
}

/**
 * Whether a policy port admits traffic to `port`/`protocol` of a pod listening on `destinationPorts`.
 * A number (or range up to `endPort`) admits whatever the pod declares; a name only the pod's port
 * of that name.
 */
export function portAdmits(policyPort: NetworkPolicyPort, port: number, protocol: string, destinationPorts: readonly ContainerPort[]): boolean {
  if (protocolOf(policyPort) !== protocol) return false;
  if (policyPort.port === undefined) return true;
  if (typeof policyPort.port === 'string') return namedContainerPort(policyPort.port, protocol, destinationPorts)?.port === port;
  return policyPort.endPort ? port >= policyPort.port && port <= policyPort.endPort : port === policyPort.port;
}

/**
 * Whether a pod listening on `ports` listens on a policy port (by name, number or range). Protocols
 * are not compared: not every source of pod ports (an upstream chart's declared workloads) states them.
 */
export function listensOn(ports: readonly ContainerPort[], policyPort: NetworkPolicyPort): boolean {
  if (policyPort.port === undefined) return true;
  if (typeof policyPort.port === 'string') return ports.some((p) => p.name === policyPort.port);
  const low = policyPort.port;
  const high = policyPort.endPort ?? policyPort.port;
  return ports.some((p) => p.port >= low && p.port <= high);
}
