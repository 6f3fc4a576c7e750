import type { Environment, XRoadMember } from '../environment/schema';

/**
 * What the rest of the kit may know about the Information Mediator: where each member's security
 * server is, how its pods are labelled, and how a building block addresses another one's service.
 * Building blocks use these functions instead of writing X-Road URLs or headers by hand.
 */

/** Namespace of all security servers (Pod Security baseline: the sidecar image runs as root). */
export const XROAD_NAMESPACE = 'xroad';

/** Ports of a security server (NIIS sidecar user guide §2.3). */
export const XROAD_PORTS = {
  /** Message exchange between security servers (TLS, passed through). */
  messaging: 5500,
  /** OCSP responses between security servers. */
  ocsp: 5577,
  /** Admin UI and REST API (HTTPS). */
  admin: 4000,
  /** Health check; fails until the server is initialised and registered. */
  health: 5588,
  /** Configuration sync from primary to secondaries (rsync over ssh). */
  ssh: 22,
} as const;

/**
 * Ports client information systems call their security server on (internal only). The kit's
 * clients use `https` alone: every subsystem it registers has connection type HTTPS, so X-Road
 * accepts a call only over TLS with a client certificate registered for the calling subsystem
 * (X-Road 7.8 MessageProcessorBase.verifyClientAuthentication). `http` stays open on the pod for
 * the kubelet's probes; no NetworkPolicy admits a client to it.
 */
export const CLIENT_PORTS = { http: 8080, https: 8443 } as const;

/**
 * The TLS client certificate a client namespace's pods present to their security server: a
 * cert-manager Certificate of this name in the namespace, from the internal CA, whose Secret holds
 * `tls.crt`, `tls.key`, `ca.crt` and, for Java clients, `keystore.p12` and `truststore.p12`. The
 * member's registration CronJob reads the issued certificate (public part only, from cert-manager's
 * CertificateRequests) and registers it as the subsystem's internal TLS certificate.
 */
export const XROAD_CLIENT_CERTIFICATE = { name: 'xroad-client', secretName: 'xroad-client-tls' } as const;

/** The label a namespace carries (value `"true"`) to let its pods call `member`'s security server as a client. */
export function xroadClientNamespaceLabel(member: XRoadMember): string {
  // One key per member, so a namespace can be a client of several; 16 + 30 characters fit a label name.
  return `govstack.dev/xroad-client-of-${member.name}`;
}

/**
 * Labels of a namespace whose pods call these members' security servers on the client ports: each
 * server's NetworkPolicy admits exactly the namespaces labelled as its member's clients. Building-block
 * namespaces carry the provider member's (`xroadClientNamespaceLabels(providerMember(env))`), the
 * e-services namespace each consumer member's; a country labels its own client namespaces the same way.
 */
export function xroadClientNamespaceLabels(...members: readonly XRoadMember[]): Record<string, string> {
  return Object.fromEntries(members.map((member) => [xroadClientNamespaceLabel(member), 'true']));
}

export type SecurityServerNodeRole = 'single' | 'primary' | 'secondary';

export interface SecurityServerRef {
  readonly member: XRoadMember;
  readonly namespace: string;
  /** Service for client information systems (8080 HTTP, 8443 HTTPS), inside the cluster only. */
  readonly clientService: string;
  /** Service for other security servers (5500, 5577): a LoadBalancer outside the sandbox. */
  readonly messagingService: string;
  /** Service for the admin UI and REST API (4000) of the node that holds the configuration. */
  readonly adminService: string;
  /** Headless Service giving the primary a stable name (secondaries sync from it over ssh). */
  readonly primaryService: string;
  /** Labels on every pod of this security server (primary and secondaries). */
  readonly podLabels: Readonly<Record<string, string>>;
}

export function securityServer(member: XRoadMember): SecurityServerRef {
  const name = `ss-${member.name}`;
  return {
    member,
    namespace: XROAD_NAMESPACE,
    clientService: name,
    messagingService: `${name}-messaging`,
    adminService: `${name}-admin`,
    primaryService: `${name}-primary`,
    podLabels: { 'app.kubernetes.io/name': 'xroad-security-server', 'govstack.dev/xroad-member': member.name },
  };
}

/**
 * Service account of the CronJob that registers a member's subsystems and services; each client
 * namespace of the member lets it read its issued client certificate.
 */
export function registrationServiceAccount(member: XRoadMember): string {
  return `${securityServer(member).clientService}-register-services`;
}

/** Security server code a member's server is initialised and registered with, e.g. `GOV-PLATFORM`. */
export function securityServerCode(member: XRoadMember): string {
  return member.name.toUpperCase();
}

/** Role of the nodes that serve clients and other security servers: secondaries when the topology has them. */
export function servingNodeRole(env: Pick<Environment, 'xroad'>): SecurityServerNodeRole {
  return env.xroad.securityServer.topology === 'primary-secondaries' ? 'secondary' : 'single';
}

/** Labels of the pods of one node role of a security server. */
export function securityServerNodeLabels(server: SecurityServerRef, role: SecurityServerNodeRole): Record<string, string> {
  return { ...server.podLabels, 'govstack.dev/xroad-node': role };
}

/**
 * The address this member's security server registers with the central server: its public DNS
 * name when it joins a national instance, the in-cluster name of its messaging Service otherwise.
 */
export function securityServerAddress(member: XRoadMember): string {
  const server = securityServer(member);
  return member.address ?? `${server.messagingService}.${server.namespace}.svc.cluster.local`;
}

/** The member whose subsystems host the government building blocks. */
export function providerMember(env: Pick<Environment, 'name' | 'xroad'>): XRoadMember {
  const provider = env.xroad.members.find((member) => member.role === 'provider');
  if (!provider) throw new Error(`environment ${env.name} declares no provider member`);
  return provider;
}

/** The member whose subsystem the e-services call from. */
export function consumerMember(env: Pick<Environment, 'name' | 'xroad'>): XRoadMember {
  const consumer = env.xroad.members.find((member) => member.role === 'consumer');
  if (!consumer) throw new Error(`environment ${env.name} declares no consumer member`);
  return consumer;
}

/** X-Road subsystem code of a building block: its id in capitals, e.g. `DIGITAL-REGISTRIES`. */
export function subsystemCode(buildingBlock: string): string {
  return buildingBlock.toUpperCase();
}

/** The caller name e-services use in API declarations (`allowedCallers`). */
export const E_SERVICES = 'e-services';

/** Namespace where a country deploys its e-services, the consumer members' X-Road clients (the kit deploys nothing there). */
export const E_SERVICES_NAMESPACE = 'e-services';

/** `INSTANCE/CLASS/CODE/SUBSYSTEM`: the X-Road client id a building block calls as (`X-Road-Client` header). */
export function xroadClientId(env: Pick<Environment, 'xroad'>, member: XRoadMember, subsystem: string): string {
  return [env.xroad.instance, member.memberClass, member.memberCode, subsystem].join('/');
}

/** The member and subsystem a caller (a building block id, or `e-services`) calls as, and the namespace it calls from. */
export function callerSubsystem(env: Pick<Environment, 'name' | 'xroad'>, caller: string): { readonly member: XRoadMember; readonly subsystem: string; readonly namespace: string } {
  return caller === E_SERVICES
    ? { member: consumerMember(env), subsystem: subsystemCode(caller), namespace: E_SERVICES_NAMESPACE }
    : { member: providerMember(env), subsystem: subsystemCode(caller), namespace: buildingBlockNamespace(caller) };
}

/** How a caller reaches a provider service through its own security server. */
export interface XRoadServiceEndpoint {
  /** Base URL of the service, through the caller's security server. */
  readonly url: string;
  /** Value of the `X-Road-Client` header the caller must send. */
  readonly xroadClient: string;
}

/**
 * The endpoint a caller (a building block calling as its own subsystem of the provider member, or
 * `e-services` calling as the consumer member) uses to call a building block's service, through
 * the caller's own security server.
 */
export function buildingBlockServiceEndpoint(
  env: Pick<Environment, 'name' | 'xroad'>,
  caller: string,
  provider: string,
  serviceCode: string,
): XRoadServiceEndpoint {
  const providing = providerMember(env);
  const calling = callerSubsystem(env, caller);
  const server = securityServer(calling.member);
  const target = [env.xroad.instance, providing.memberClass, providing.memberCode, subsystemCode(provider), serviceCode].join('/');
  return {
    url: `https://${server.clientService}.${server.namespace}.svc:${CLIENT_PORTS.https}/r1/${target}`,
    xroadClient: xroadClientId(env, calling.member, calling.subsystem),
  };
}

/** Namespace of a building block: each runs alone in its own (GovStack: nothing shared between them). */
export function buildingBlockNamespace(buildingBlock: string): string {
  return `bb-${buildingBlock}`;
}
