import { Construct } from 'constructs';
import { namespaceBaseline } from '../baseline/namespace-sizing';
import { SecureNamespace } from '../baseline/secure-namespace';
import type { Environment, Size } from '../environment/schema';
import {
  CLIENT_PORTS,
  E_SERVICES,
  E_SERVICES_NAMESPACE,
  securityServer,
  securityServerNodeLabels,
  servingNodeRole,
  xroadClientNamespaceLabels,
  XROAD_NAMESPACE,
} from './contract';
import { AllowTraffic, podsIn } from '../baseline/allow-traffic';
import { XRoadClientCertificate } from './client-certificate';

export interface EServicesNamespaceProps {
  readonly env: Pick<Environment, 'cluster' | 'name' | 'platform' | 'xroad'>;
  /**
   * Quota size of the namespace (the environment's `platform.namespaceQuotas`).
   * @default 'medium'
   */
  readonly size?: Size;
}

/**
 * Where a country deploys its e-services, the consumer members' X-Road clients. The kit deploys
 * nothing here; it gives the namespace the baseline (Pod Security restricted, default deny, quota),
 * labels it as a client of each consumer member, issues the E-SERVICES subsystem's client
 * certificate, and lets its pods call those members' security servers on the TLS client port. E-services find a building block's service with
 * `buildingBlockServiceEndpoint(env, 'e-services', …)`; their other traffic (ingress from a gateway,
 * their own backends) is allowed by the policies the country deploys next to them.
 */
export class EServicesNamespace extends Construct {
  readonly name = E_SERVICES_NAMESPACE;

  constructor(scope: Construct, id: string, props: EServicesNamespaceProps) {
    super(scope, id);
    const { env } = props;
    const consumers = env.xroad.members.filter((member) => member.role === 'consumer');
    new SecureNamespace(this, 'Namespace', {
      name: this.name,
      ...namespaceBaseline(env, props.size ?? 'medium'),
      labels: xroadClientNamespaceLabels(...consumers),
    });
    const role = servingNodeRole(env);
    new AllowTraffic(this, 'SecurityServers', {
      name: 'xroad-security-servers',
      namespace: this.name,
      pods: {},
      egress: [
        {
          peers: consumers.map((member) => podsIn(XROAD_NAMESPACE, securityServerNodeLabels(securityServer(member), role))),
          // TLS with the client certificate only: the plain port would be refused for an HTTPS subsystem anyway.
          ports: [CLIENT_PORTS.https],
        },
      ],
    });
    // The E-SERVICES subsystem's client certificate (Secret xroad-client-tls): the country's e-services mount it.
    new XRoadClientCertificate(this, 'XRoadClientCertificate', { env, caller: E_SERVICES });
  }
}
