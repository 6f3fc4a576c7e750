import type { Environment, XRoadMember } from '../environment/schema';

/**
 * What the rest of the kit may know about the Information Mediator: where each member's security
 * server is, how its pods are labelled, and how a building block addresses another one's service.
 * Building blocks use these functions instead of writing X-Road URLs or headers by hand.
 */

/** Namespace of all security servers (Pod Security baseline: the sidecar image runs as root). */
export const XROAD_NAMESPACE = 'xroad';

export interface SecurityServerRef {
  readonly member: XRoadMember;
  readonly namespace: string;
  /** Service for client information systems (8080 HTTP, 8443 HTTPS), inside the cluster only. */
  readonly clientService: string;
  /** Labels on every pod of this security server (primary and secondaries). */
  readonly podLabels: Readonly<Record<string, string>>;
}

export const CLIENT_PORTS = { http: 8080, https: 8443 } as const;

export function securityServer(member: XRoadMember): SecurityServerRef {
  return {
    member,
    namespace: XROAD_NAMESPACE,
    clientService: `ss-${member.name}`,
    podLabels: { 'app.kubernetes.io/name': 'xroad-security-server', 'govstack.dev/xroad-member': member.name },
  };
}

/** The member whose subsystems host the government building blocks. */
export function providerMember(env: Environment): XRoadMember {
  const provider = env.xroad.members.find((member) => member.role === 'provider');
  if (!provider) throw new Error(`environment ${env.name} declares no provider member`);
  return provider;
}

/** The member whose subsystem the e-services call from. */
export function consumerMember(env: Environment): XRoadMember {
  const consumer = env.xroad.members.find((member) => member.role === 'consumer');
  if (!consumer) throw new Error(`environment ${env.name} declares no consumer member`);
  return consumer;
}

/** X-Road subsystem code of a building block: its id in capitals, e.g. `DIGITAL-REGISTRIES`. */
export function subsystemCode(buildingBlock: string): string {
  return buildingBlock.toUpperCase();
}

/** `INSTANCE/CLASS/CODE/SUBSYSTEM`: the X-Road client id a building block calls as (`X-Road-Client` header). */
export function xroadClientId(env: Environment, member: XRoadMember, subsystem: string): string {
  return [env.xroad.instance, member.memberClass, member.memberCode, subsystem].join('/');
}

/** How a caller reaches a provider service through its own security server. */
export interface XRoadServiceEndpoint {
  /** Base URL of the service, through the caller's security server. */
  readonly url: string;
  /** Value of the `X-Road-Client` header the caller must send. */
  readonly xroadClient: string;
}

/**
 * The endpoint a building block (calling as its own subsystem of the provider member, through the
 * provider's security server) uses to call another building block's service.
 */
export function buildingBlockServiceEndpoint(
  env: Environment,
  caller: string,
  provider: string,
  serviceCode: string,
): XRoadServiceEndpoint {
  const member = providerMember(env);
  const server = securityServer(member);
  const target = [env.xroad.instance, member.memberClass, member.memberCode, subsystemCode(provider), serviceCode].join('/');
  return {
    url: `http://${server.clientService}.${server.namespace}.svc:${CLIENT_PORTS.http}/r1/${target}`,
    xroadClient: xroadClientId(env, member, subsystemCode(caller)),
  };
}

/** Namespace of a building block: each runs alone in its own (GovStack: nothing shared between them). */
export function buildingBlockNamespace(buildingBlock: string): string {
  return `bb-${buildingBlock}`;
}
