import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { namespaceBaseline } from '../baseline/namespace-sizing';
import { SecureNamespace } from '../baseline/secure-namespace';
import type { Environment } from '../environment/schema';
import { registryImageValues as image } from '../images';
import { AllowTraffic, apiServer, podsIn } from '../baseline/allow-traffic';
import { CLUSTER_ISSUERS, PLATFORM_RELEASES, SECURITY_LOG_LABEL } from './contract';
import { PINNED_CHARTS } from './pinned-charts';
import { PlatformRelease } from './platform-release';
import { quorumReplicas, resources, restrictedContainerSecurity } from './workload-defaults';

/** Where OpenBao runs and how its pods are reached. */
export const OPENBAO = {
  namespace: 'openbao',
  service: PLATFORM_RELEASES.openbao,
  port: 8200,
  clusterPort: 8201,
  tlsSecret: 'openbao-server-tls',
  podLabels: { 'app.kubernetes.io/name': 'openbao', 'app.kubernetes.io/instance': PLATFORM_RELEASES.openbao, component: 'server' },
} as const;

export function openBaoAddress(): string {
  return `https://${OPENBAO.service}.${OPENBAO.namespace}.svc:${OPENBAO.port}`;
}

const TLS_DIR = '/openbao/tls';
/** Where the chart mounts the audit claim (its `server.auditStorage.mountPath` default). */
const AUDIT_DIR = '/openbao/audit';

export interface OpenBaoProps {
  readonly env: Environment;
  /** Labels of the external-secrets controller pods, the only client besides OpenBao itself. */
  readonly clientPods: Readonly<Record<string, string>>;
  readonly clientNamespace: string;
}

/**
 * OpenBao, the kit's secret store (an open-source Vault fork): TLS on its listener with a
 * certificate from the internal CA, Raft storage on the data class with three members outside the
 * sandbox, no agent injector (external-secrets delivers secrets), restricted security contexts.
 * Initialisation and unsealing stay with the operators (README, "Platform").
 */
export class OpenBao extends Construct {
  constructor(scope: Construct, id: string, props: OpenBaoProps) {
    super(scope, id);
    const { env } = props;
    new SecureNamespace(this, 'Namespace', { name: OPENBAO.namespace, ...namespaceBaseline(env, 'medium') });
    const replicas = quorumReplicas(env);
    const internal = `${OPENBAO.service}-internal`;
    new ApiObject(this, 'Certificate', {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name: OPENBAO.tlsSecret, namespace: OPENBAO.namespace },
      spec: {
        secretName: OPENBAO.tlsSecret,
        dnsNames: [
          OPENBAO.service,
          `${OPENBAO.service}.${OPENBAO.namespace}.svc`,
          `*.${internal}`,
          `*.${internal}.${OPENBAO.namespace}.svc`,
        ],
        ipAddresses: ['127.0.0.1'],
        privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
        issuerRef: CLUSTER_ISSUERS.internal,
      },
    });

    const listener = [
      'listener "tcp" {',
      '  address = "[::]:8200"',
      '  cluster_address = "[::]:8201"',
      `  tls_cert_file = "${TLS_DIR}/tls.crt"`,
      `  tls_key_file = "${TLS_DIR}/tls.key"`,
      '  tls_min_version = "tls13"',
      '}',
    ].join('\n');
    const raftJoins = Array.from({ length: replicas > 1 ? replicas : 0 }, (_, i) =>
      [
        '  retry_join {',
        `    leader_api_addr = "https://${OPENBAO.service}-${i}.${internal}:${OPENBAO.port}"`,
        `    leader_ca_cert_file = "${TLS_DIR}/ca.crt"`,
        '  }',
      ].join('\n'),
    );
    const raft = ['storage "raft" {', '  path = "/openbao/data"', ...raftJoins, '}'].join('\n');
    // Declared in the configuration (OpenBao 2.4+ refuses audit devices enabled through the API by
    // default), so every request is audited from the first start, on the audit claim.
    const audit = ['audit "file" "file" {', '  description = "every request and response"', '  options {', `    file_path = "${AUDIT_DIR}/audit.log"`, '  }', '}'].join('\n');
    const config = ['ui = true', listener, raft, audit, 'service_registration "kubernetes" {}', ''].join('\n');

    new PlatformRelease(this, 'Release', {
      holdsData: true, // the secret store: its Raft volumes hold every secret
      env,
      chart: PINNED_CHARTS.openbao,
      releaseName: PLATFORM_RELEASES.openbao,
      namespace: OPENBAO.namespace,
      reason: 'OpenBao keeps the country\'s secrets (key rotation, audit); external-secrets delivers them to the building blocks',
      dependsOn: [PLATFORM_RELEASES.certManager],
      values: (images) => ({
        global: { tlsDisable: false },
        injector: { enabled: false },
        server: {
          image: image(images.server),
          resources: resources('100m', '256Mi', '512Mi'),
          extraLabels: { ...SECURITY_LOG_LABEL },
          extraEnvironmentVars: { BAO_CACERT: `${TLS_DIR}/ca.crt` },
          volumes: [
            { name: 'tls', secret: { secretName: OPENBAO.tlsSecret } },
            { name: 'tmp', emptyDir: {} },
          ],
          volumeMounts: [
            { name: 'tls', mountPath: TLS_DIR, readOnly: true },
            // The chart renders the configuration into /tmp before starting the server.
            { name: 'tmp', mountPath: '/tmp' },
          ],
          statefulSet: {
            securityContext: {
              pod: { runAsNonRoot: true, runAsUser: 100, runAsGroup: 1000, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } },
              container: restrictedContainerSecurity(),
            },
          },
          // Restarts a server that stops answering; a sealed, uninitialised or standby server answers
          // 204 here, so a server waiting to be unsealed is not restarted in a loop.
          livenessProbe: { enabled: true, path: '/v1/sys/health?standbyok=true&sealedcode=204&uninitcode=204', failureThreshold: 3, periodSeconds: 10 },
          dataStorage: { enabled: true, size: '10Gi', storageClass: env.cluster.storageClasses.data },
          auditStorage: { enabled: true, size: '10Gi', storageClass: env.cluster.storageClasses.data },
          standalone: { enabled: replicas === 1, config },
          ha: { enabled: replicas > 1, replicas, raft: { enabled: true, setNodeId: true, config } },
        },
      }),
      exceptions: {
        'POD-05': {
          reason:
            'OpenBao runs as its image\'s openbao user (uid 100), which owns /openbao in the image, and writes its Raft and audit files readable by their owner only: under another uid an existing installation could not read its own volumes',
          objects: [`StatefulSet/${OPENBAO.namespace}/${PLATFORM_RELEASES.openbao}`],
        },
        'RBAC-04': {
          reason: 'OpenBao\'s Kubernetes auth method reviews service account tokens through the API, and its Kubernetes service registration labels its own pod with its seal and leader state',
          objects: [`StatefulSet/${OPENBAO.namespace}/${PLATFORM_RELEASES.openbao}`],
        },
      },
      workloads: [
        {
          name: 'server',
          podLabels: OPENBAO.podLabels,
          ports: [{ name: 'https', port: OPENBAO.port }, { name: 'https-internal', port: OPENBAO.clusterPort }],
          replicas,
        },
      ],
    });

    new AllowTraffic(this, 'Server', {
      namespace: OPENBAO.namespace,
      pods: OPENBAO.podLabels,
      ingress: [
        { peers: [podsIn(props.clientNamespace, props.clientPods)], ports: [OPENBAO.port] },
        { peers: [podsIn(OPENBAO.namespace, OPENBAO.podLabels)], ports: [OPENBAO.port, OPENBAO.clusterPort] },
      ],
      egress: [
        // Kubernetes auth verifies service account tokens with the API server; Raft members talk to each other.
        apiServer(env),
        { peers: [podsIn(OPENBAO.namespace, OPENBAO.podLabels)], ports: [OPENBAO.port, OPENBAO.clusterPort] },
      ],
    });
  }
}
