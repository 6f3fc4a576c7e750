import { Construct } from 'constructs';
import type { Environment } from '../environment/schema';
import { gatewayProxyPodLabels, GATEWAYS } from '../platform/contract';
import { CLIENT_PORTS, E_SERVICES_NAMESPACE, securityServerNodeLabels, xroadClientNamespaceLabel, XROAD_PORTS } from './contract';
import { addresses, AllowTraffic, apiServer, namespacesLabelled, namespacesNamed, pods, podsIn, type TrafficPeer, type TrafficRule } from '../baseline/allow-traffic';
import { BOOTSTRAP_POD_LABELS, CENTRAL_SERVER_PORTS, CENTRAL_SERVER_POD_LABELS, TEST_CA_PORTS, TEST_CA_POD_LABELS } from './pod-labels';
import type { SecurityServer } from './security-server';
import { registrationPodLabels } from './service-registration';
import type { ServiceCatalogue } from './service-catalogue';

export interface SecurityServerNetworkPoliciesProps {
  readonly env: Pick<Environment, 'ha' | 'platform' | 'stage' | 'xroad'>;
  readonly server: SecurityServer;
  readonly catalogue: ServiceCatalogue;
}

const ANYWHERE = '0.0.0.0/0';
/** Every security server pod of the instance in this cluster. */
const ALL_SECURITY_SERVERS = { 'app.kubernetes.io/name': 'xroad-security-server' };

/**
 * Exactly the flows a security server needs: its clients (the namespaces labelled as its member's)
 * to the TLS client port 8443 only; other security servers to and from 5500/5577; out to the central server
 * (80/443/4001/4002) and OCSP/TSA; its own database;
 * the building blocks it provides services of; the admin API only from the internal gateway and the
 * kit's own Jobs; ssh from its secondaries to its primary. The database construct admits only this
 * server's pods. The namespace denies everything else.
 */
export class SecurityServerNetworkPolicies extends Construct {
  constructor(scope: Construct, id: string, props: SecurityServerNetworkPoliciesProps) {
    super(scope, id);
    const { env, server, catalogue } = props;
    const ref = server.ref;
    const ns = ref.namespace;
    const development = env.xroad.centralServer.mode === 'development';
    const serving = securityServerNodeLabels(ref, server.servingRole);
    const config = securityServerNodeLabels(ref, server.configRole);
    // Outside the sandbox, other members' security servers are anywhere in the national instance.
    const remotePeers: TrafficPeer[] = development ? [] : env.xroad.securityServer.peerCidrs.map(addresses);

    const hostedSubsystems = new Set((catalogue.subsystems[ref.member.name] ?? []).map((s) => s.id));
    // Building-block namespaces carry the provider's label, the e-services namespace each consumer's.
    // A member hosting no subsystem (a provider with no building block enabled) has no clients to admit.
    if (hostedSubsystems.size > 0) this.allowClients(ref, serving);
    new AllowTraffic(this, 'Messaging', {
      name: `${ref.clientService}-messaging`,
      namespace: ns,
      pods: serving,
      ingress: [{ peers: [pods(ALL_SECURITY_SERVERS), ...remotePeers], ports: [XROAD_PORTS.messaging, XROAD_PORTS.ocsp] }],
    });
    new AllowTraffic(this, 'Admin', {
      name: `${ref.clientService}-admin`,
      namespace: ns,
      pods: config,
      ingress: [
        {
          peers: [
            podsIn(GATEWAYS.internal.namespace, gatewayProxyPodLabels('internal')),
            pods(registrationPodLabels(ref)),
            ...(development ? [pods(BOOTSTRAP_POD_LABELS)] : []),
          ],
          ports: [XROAD_PORTS.admin],
        },
      ],
    });
    new AllowTraffic(this, 'RegistrationEgress', {
      name: `${ref.clientService}-register-services`,
      namespace: ns,
      pods: registrationPodLabels(ref),
      // The API server: the client certificates issued in the client namespaces (see XRoadClientCertificate).
      egress: [{ peers: [pods(config)], ports: [XROAD_PORTS.admin] }, apiServer(env)],
    });

    const providedServices = catalogue.services.filter((service) => hostedSubsystems.has(service.provider.id));
    const egress: TrafficRule[] = [
      { peers: [pods(ALL_SECURITY_SERVERS), ...remotePeers], ports: [XROAD_PORTS.messaging, XROAD_PORTS.ocsp] },
      development
        ? { peers: [pods(CENTRAL_SERVER_POD_LABELS)], ports: [CENTRAL_SERVER_PORTS.http, CENTRAL_SERVER_PORTS.https, CENTRAL_SERVER_PORTS.registration, CENTRAL_SERVER_PORTS.management] }
        : // The central server, OCSP responders and TSAs are named by URL in the global configuration, not by address.
          { peers: [addresses(ANYWHERE)], ports: [CENTRAL_SERVER_PORTS.http, CENTRAL_SERVER_PORTS.https, CENTRAL_SERVER_PORTS.registration, CENTRAL_SERVER_PORTS.management] },
      ...(development ? [{ peers: [pods(TEST_CA_POD_LABELS)], ports: [TEST_CA_PORTS.caAndOcsp, TEST_CA_PORTS.tsa] }] : []),
      ...(server.database ? [{ peers: [pods(server.database.podLabels)], ports: [server.database.port] }] : []),
      ...providedServices.map((service) => ({ peers: [namespacesNamed([service.namespace])], ports: [service.port] })),
    ];
    const out = new AllowTraffic(this, 'Egress', { name: `${ref.clientService}-egress`, namespace: ns, pods: ref.podLabels, egress });
    if (!development) {
      out.declareEgressAnywhere(
        env,
        'the central server, OCSP responders and time-stamping authorities are named by URL in the global configuration the national operator publishes, and other members\' security servers (xroad.securityServer.peerCidrs, anywhere by default) authenticate by certificate; only X-Road\'s ports, never the metadata service',
      );
    }

    if (server.configRole === 'primary') {
      const secondaries = securityServerNodeLabels(ref, 'secondary');
      new AllowTraffic(this, 'ConfigSync', {
        name: `${ref.clientService}-config-sync`,
        namespace: ns,
        pods: config,
        ingress: [{ peers: [pods(secondaries)], ports: [XROAD_PORTS.ssh] }],
      });
      new AllowTraffic(this, 'ConfigSyncEgress', {
        name: `${ref.clientService}-config-sync-egress`,
        namespace: ns,
        pods: secondaries,
        egress: [{ peers: [pods(config)], ports: [XROAD_PORTS.ssh] }],
      });
    }
  }

  /**
   * Clients reach the server's TLS client port from the namespaces labelled as its member's, and
   * nothing reaches the plain HTTP port (the kubelet's probes are not subject to NetworkPolicies).
   *
   * What this policy can and cannot enforce: it admits namespaces to a port, and every subsystem
   * of the member is called on the same port of the same pods, so it cannot tell one building block
   * from another: any pod of a building-block namespace may open a connection to 8443. Which
   * subsystem a call is made as is decided by X-Road: each subsystem has connection type HTTPS and
   * only its own namespace's client certificate registered, so a building block sending another's
   * `X-Road-Client` header is refused (X-Road 7.8 MessageProcessorBase.verifyClientAuthentication).
   * Keeping the plain port closed means a misregistered subsystem (connection type HTTP) is not
   * reachable without TLS either.
   */
  private allowClients(ref: SecurityServer['ref'], serving: Readonly<Record<string, string>>): void {
    const clients = new AllowTraffic(this, 'Clients', {
      name: `${ref.clientService}-clients`,
      namespace: ref.namespace,
      pods: serving,
      ingress: [{ peers: [namespacesLabelled(xroadClientNamespaceLabel(ref.member), 'true')], ports: [CLIENT_PORTS.https] }],
    });
    if (ref.member.role === 'consumer') {
      clients.declareException(
        'NET-02',
        `the consumer member's clients are the country's e-services: the kit creates their namespace ${E_SERVICES_NAMESPACE}, labelled as this member's clients, and deploys nothing into it, so no pod of that namespace is in the kit's output`,
      );
    }
  }
}
