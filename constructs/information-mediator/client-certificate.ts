import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import type { Environment } from '../environment/schema';
import { CLUSTER_ISSUERS } from '../platform/contract';
import { callerSubsystem, registrationServiceAccount, securityServer, XROAD_CLIENT_CERTIFICATE } from './contract';

export interface XRoadClientCertificateProps {
  readonly env: Pick<Environment, 'name' | 'xroad'>;
  /** The caller whose subsystem the namespace's pods call as: a building block id, or `e-services`. */
  readonly caller: string;
  /**
   * How long a certificate is valid; cert-manager renews it a third of that before it ends.
   * @default 2160h (90 days)
   */
  readonly duration?: string;
}

/** Hours in `duration` (cert-manager's Go duration, as the kit writes it: whole hours). */
function hours(duration: string): number {
  const match = /^(\d+)h$/.exec(duration);
  if (!match) throw new Error(`client certificate duration "${duration}" must be whole hours, e.g. 2160h`);
  return Number(match[1]);
}

/**
 * The TLS client certificate one X-Road client namespace calls its security server with, and the
 * right of that member's registration CronJob to read what was issued.
 *
 * X-Road authenticates a client information system of a subsystem with connection type HTTPS by
 * the exact certificate it presents on the client port (8443): it must be one of the subsystem's
 * internal TLS certificates (X-Road 7.8 MessageProcessorBase.verifyClientAuthentication). The key
 * never leaves this namespace: cert-manager writes it into the Secret `xroad-client-tls` here, and
 * the registration reads only the issued certificates from cert-manager's CertificateRequests.
 * `revisionHistoryLimit: 2` keeps the previous certificate's request after a renewal, so the
 * registration keeps the previous certificate registered (pods still present it until they restart)
 * and removes every other one, a certificate added by hand included.
 */
export class XRoadClientCertificate extends Construct {
  readonly namespace: string;

  constructor(scope: Construct, id: string, props: XRoadClientCertificateProps) {
    super(scope, id);
    const { env } = props;
    const { member, subsystem, namespace } = callerSubsystem(env, props.caller);
    this.namespace = namespace;
    const duration = props.duration ?? '2160h';
    // The subject only names the certificate for people reading it: X-Road compares whole certificates.
    const commonName = [env.xroad.instance, member.memberClass, member.memberCode, subsystem].join('/');
    if (commonName.length > 64) throw new Error(`X-Road client id ${commonName} is longer than a certificate's common name may be (64)`);

    new ApiObject(this, 'Resource', {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name: XROAD_CLIENT_CERTIFICATE.name, namespace },
      spec: {
        secretName: XROAD_CLIENT_CERTIFICATE.secretName,
        commonName,
        duration,
        renewBefore: `${Math.floor(hours(duration) / 3)}h`,
        // RSA as X-Road's own internal TLS keys; a new key at every renewal.
        privateKey: { algorithm: 'RSA', size: 3072, rotationPolicy: 'Always' },
        usages: ['digital signature', 'key encipherment', 'client auth'],
        issuerRef: { ...CLUSTER_ISSUERS.internal },
        revisionHistoryLimit: 2,
      },
    });

    const name = `${registrationServiceAccount(member)}-certificate-reader`;
    new k8s.KubeRole(this, 'RegistrationReader', {
      metadata: { name, namespace },
      // Public certificates only: a CertificateRequest holds the CSR and the issued certificate, never a key.
      rules: [{ apiGroups: ['cert-manager.io'], resources: ['certificaterequests'], verbs: ['list'] }],
    });
    new k8s.KubeRoleBinding(this, 'RegistrationReaderBinding', {
      metadata: { name, namespace },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [{ kind: 'ServiceAccount', name: registrationServiceAccount(member), namespace: securityServer(member).namespace }],
    });
  }
}
