import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { imagePullPolicy } from '../images';
import { CLUSTER_ISSUERS } from '../platform/contract';
import type { SecurityServerRef } from './contract';
import { helperResources } from './pod-security';
import { script } from './script-files';

const SCRIPT = 'install-internal-tls.sh';
const MOUNTS = { secret: '/internal-tls', script: '/scripts' } as const;

/** Name of the Certificate, and of its Secret, that is the security server's internal TLS certificate. */
export function internalTlsName(ref: SecurityServerRef): string {
  return `${ref.clientService}-internal-tls`;
}

/** The names clients reach the security server's client port by, shortest to fully qualified. */
export function internalTlsDnsNames(ref: SecurityServerRef): string[] {
  const name = ref.clientService;
  return [name, `${name}.${ref.namespace}`, `${name}.${ref.namespace}.svc`, `${name}.${ref.namespace}.svc.cluster.local`];
}

/**
 * The security server's internal TLS certificate from the cluster's CA, so that clients verify
 * the server on its client port 8443 with the `ca.crt` of their own `xroad-client-tls` Secret
 * instead of trusting a self-signed certificate exported by hand.
 *
 * X-Road 7.8.0 keeps it as `/etc/xroad/ssl/internal.{crt,key,p12}`; the sidecar's entrypoint
 * (`_entrypoint_common.sh`) generates a self-signed set only while `internal.crt` is missing, and
 * no package script it reconfigures touches them (`xroad-proxy.preinst`, which would, runs only on
 * package installation). The proxy loads `internal.p12` (alias and password `internal`,
 * `InternalSSLKey`) for the TLS of the client port, and as its client key towards HTTPS services.
 * An init container of the node holding `/etc/xroad` converts cert-manager's Secret into those
 * files at every start; secondaries get them with the rest of `/etc/xroad` from the primary.
 *
 * Renewal: cert-manager renews the Secret four months before the year ends; a pod installs the new
 * certificate when it next starts (X-Road itself would re-read the keystore within a minute,
 * `CachingServerConfImpl`, but nothing rewrites the files while the pod runs).
 */
export class SecurityServerInternalTls extends Construct {
  readonly secretName: string;
  private readonly scriptConfigMap: string;

  constructor(scope: Construct, id: string, ref: SecurityServerRef) {
    super(scope, id);
    const name = internalTlsName(ref);
    this.secretName = name;
    this.scriptConfigMap = `${name}-script`;
    const dnsNames = internalTlsDnsNames(ref);

    new ApiObject(this, 'Certificate', {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name, namespace: ref.namespace },
      spec: {
        secretName: name,
        commonName: dnsNames[2],
        dnsNames,
        duration: '8760h',
        renewBefore: '2920h',
        // PKCS#8 as X-Road's generate_certificate.sh writes internal.key; RSA as X-Road's own.
        privateKey: { algorithm: 'RSA', size: 3072, encoding: 'PKCS8', rotationPolicy: 'Always' },
        // The proxy also presents this key as a TLS client: to HTTPS services of its members and to op-monitor.
        usages: ['digital signature', 'key encipherment', 'server auth', 'client auth'],
        issuerRef: { ...CLUSTER_ISSUERS.internal },
      },
    });
    new k8s.KubeConfigMap(this, 'Script', {
      metadata: { name: this.scriptConfigMap, namespace: ref.namespace },
      data: { [SCRIPT]: script(SCRIPT) },
    });
  }

  /** Volumes the init container reads: the issued Secret (key readable by root only) and the script. */
  volumes(): k8s.Volume[] {
    return [
      { name: 'internal-tls', secret: { secretName: this.secretName, defaultMode: 0o400, items: [{ key: 'tls.crt', path: 'tls.crt' }, { key: 'tls.key', path: 'tls.key' }] } },
      { name: 'internal-tls-script', configMap: { name: this.scriptConfigMap } },
    ];
  }

  /**
   * The init container writing the files into the configuration volume, with the security server's
   * own image (OpenSSL, and the `xroad` user the files belong to). Root only to give the files to
   * `xroad` in a directory `xroad` owns: CHOWN, DAC_OVERRIDE and FOWNER, nothing else.
   */
  initContainer(image: string, configVolume: k8s.VolumeMount): k8s.Container {
    return {
      name: 'install-internal-tls',
      image,
      imagePullPolicy: imagePullPolicy(image),
      command: ['/bin/bash', `${MOUNTS.script}/${SCRIPT}`],
      env: [
        { name: 'INTERNAL_TLS_SOURCE', value: MOUNTS.secret },
        { name: 'INTERNAL_TLS_TARGET', value: `${configVolume.mountPath}/ssl` },
      ],
      securityContext: {
        runAsNonRoot: false,
        runAsUser: 0,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'], add: ['CHOWN', 'DAC_OVERRIDE', 'FOWNER'] },
        seccompProfile: { type: 'RuntimeDefault' },
      },
      resources: helperResources('50m', '64Mi', '128Mi'),
      volumeMounts: [
        { name: configVolume.name, mountPath: configVolume.mountPath },
        { name: 'internal-tls', mountPath: MOUNTS.secret, readOnly: true },
        { name: 'internal-tls-script', mountPath: MOUNTS.script, readOnly: true },
      ],
    };
  }
}
