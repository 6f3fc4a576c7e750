import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { namespaceBaseline } from '../baseline/namespace-sizing';
import { SecureNamespace } from '../baseline/secure-namespace';
import type { Environment } from '../environment/schema';
import { registryImageValues as image } from '../images';
import { addresses, AllowTraffic, apiServer, podsIn } from '../baseline/allow-traffic';
import { objectStoreLocation, objectStorePort } from '../data/object-store';
import { CLUSTER_ISSUERS, PLATFORM_RELEASES, SECURITY_LOG_LABEL } from './contract';
import { openBaoConfig, OPENBAO_SETUP, OPENBAO_TLS_DIR, OPENBAO_UNSEAL_DIR, TRANSIT_TOKEN_VARIABLE } from './openbao-config';
import { OPENBAO_BACKUP_STORE_SECRET, S3CMD_CONFIG_TEMPLATE, snapshotAgentValues, SNAPSHOT_AGENT_PODS, SNAPSHOT_RESTORE_PODS } from './openbao-snapshots';
import { ObjectStoreSecret, PLATFORM_STORE } from './platform-secret';
import { PINNED_CHARTS } from './pinned-charts';
import { PinnedRelease } from '../releases/pinned-release';
import { chartResources } from './workload-defaults';
import { resilience } from '../environment/resilience';
import { restrictedContainerSecurity, restrictedPodSecurity } from '../baseline/restricted-pod';

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

export interface OpenBaoProps {
  readonly env: Pick<Environment, 'cluster' | 'ha' | 'name' | 'platform' | 'recovery' | 'registry' | 'stage'>;
  /** Labels of the external-secrets controller pods, the only client besides OpenBao itself. */
  readonly clientPods: Readonly<Record<string, string>>;
  readonly clientNamespace: string;
  /** The service account external-secrets reads OpenBao with (its Kubernetes auth role binds it). */
  readonly clientServiceAccount: string;
}

/** Secret in OpenBao's namespace with the transit seal's token and the unseal server's CA. */
const OPENBAO_UNSEAL_SECRET = 'openbao-unseal';
const UNSEAL_TOKEN_KEY = 'TRANSIT_TOKEN';
const UNSEAL_CA_KEY = 'CA_CRT';

function portOf(address: string): number {
  const url = new URL(address);
  return url.port ? Number(url.port) : 443;
}

/**
 * OpenBao, the kit's secret store (an open-source Vault fork): TLS on its listener with a
 * certificate from the internal CA, Raft storage on the data class with three members outside the
 * sandbox, no agent injector (external-secrets delivers secrets), restricted security contexts.
 * With `platform.openbao.unseal.mode: transit` it unseals itself and sets itself up on its first
 * start (KV, Kubernetes auth, the roles of its clients); with `manual`, key holders do both (README,
 * "OpenBao"). The chart's snapshot agent puts a Raft snapshot on the backup target on a schedule.
 */
export class OpenBao extends Construct {
  constructor(scope: Construct, id: string, props: OpenBaoProps) {
    super(scope, id);
    const { env } = props;
    new SecureNamespace(this, 'Namespace', { name: OPENBAO.namespace, ...namespaceBaseline(env, 'medium') });
    const replicas = resilience(env).quorumReplicas;
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

    const unseal = env.platform.openbao.unseal;
    if (!unseal) throw new Error(`environment ${env.name}: OpenBao needs platform.openbao.unseal (the schema requires it with secretStore openbao)`);
    const config = openBaoConfig({
      port: OPENBAO.port,
      clusterPort: OPENBAO.clusterPort,
      raftPeers: Array.from({ length: replicas > 1 ? replicas : 0 }, (_, i) => `https://${OPENBAO.service}-${i}.${internal}:${OPENBAO.port}`),
      unseal,
      externalSecrets: { serviceAccount: props.clientServiceAccount, namespace: props.clientNamespace },
      namespace: OPENBAO.namespace,
      recovery: env.recovery !== undefined,
    });
    const transit = unseal.mode === 'transit' ? unseal : undefined;
    if (transit) {
      // The unseal token and the unseal server's CA, provided by the operators in govstack-secrets.
      new ApiObject(this, 'UnsealSecret', {
        apiVersion: 'external-secrets.io/v1',
        kind: 'ExternalSecret',
        metadata: { name: OPENBAO_UNSEAL_SECRET, namespace: OPENBAO.namespace },
        spec: {
          secretStoreRef: { ...PLATFORM_STORE },
          refreshInterval: '1h',
          target: { name: OPENBAO_UNSEAL_SECRET },
          data: [
            { secretKey: UNSEAL_TOKEN_KEY, remoteRef: { key: transit.tokenSecret, property: 'token' } },
            { secretKey: UNSEAL_CA_KEY, remoteRef: { key: transit.tokenSecret, property: 'ca.crt' } },
          ],
        },
      });
    }
    new ObjectStoreSecret(this, 'BackupStoreSecret', {
      env,
      namespace: OPENBAO.namespace,
      name: OPENBAO_BACKUP_STORE_SECRET,
      template: S3CMD_CONFIG_TEMPLATE,
    });
    new k8s.KubeServiceAccount(this, 'SnapshotAccount', {
      metadata: { name: OPENBAO_SETUP.snapshots.serviceAccount, namespace: OPENBAO.namespace },
      automountServiceAccountToken: false,
    });

    new PinnedRelease(this, 'Release', {
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
          resources: chartResources('100m', '256Mi', '512Mi'),
          extraLabels: { ...SECURITY_LOG_LABEL },
          extraEnvironmentVars: { BAO_CACERT: `${OPENBAO_TLS_DIR}/ca.crt` },
          ...(transit ? { extraSecretEnvironmentVars: [{ envName: TRANSIT_TOKEN_VARIABLE, secretName: OPENBAO_UNSEAL_SECRET, secretKey: UNSEAL_TOKEN_KEY }] } : {}),
          volumes: [
            { name: 'tls', secret: { secretName: OPENBAO.tlsSecret } },
            { name: 'tmp', emptyDir: {} },
            ...(transit ? [{ name: 'unseal-ca', secret: { secretName: OPENBAO_UNSEAL_SECRET, items: [{ key: UNSEAL_CA_KEY, path: 'ca.crt' }] } }] : []),
          ],
          volumeMounts: [
            { name: 'tls', mountPath: OPENBAO_TLS_DIR, readOnly: true },
            ...(transit ? [{ name: 'unseal-ca', mountPath: OPENBAO_UNSEAL_DIR, readOnly: true }] : []),
            // The chart renders the configuration into /tmp before starting the server.
            { name: 'tmp', mountPath: '/tmp' },
          ],
          statefulSet: {
            securityContext: {
              pod: restrictedPodSecurity(100, 1000),
              container: restrictedContainerSecurity(),
            },
          },
          // Restarts a server that stops answering; a sealed, uninitialised or standby server answers
          // 204 here, so a server waiting to be unsealed is not restarted in a loop.
          livenessProbe: { enabled: true, path: '/v1/sys/health?standbyok=true&sealedcode=204&uninitcode=204', failureThreshold: 3, periodSeconds: 10 },
          dataStorage: { enabled: true, size: '10Gi', storageClass: env.cluster.storageClasses.data },
          auditStorage: { enabled: true, size: '10Gi', storageClass: env.cluster.storageClasses.data },
          // The chart reads the standalone block only when HA is off.
          ...(replicas === 1 ? { standalone: { enabled: true, config } } : {}),
          ha: { enabled: replicas > 1, replicas, raft: { enabled: true, setNodeId: true, config } },
        },
        snapshotAgent: snapshotAgentValues(env, OPENBAO.namespace, images.snapshotAgent, OPENBAO.tlsSecret, openBaoAddress()),
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
        ...(transit
          ? {
              'SEC-02': {
                reason: `the transit seal takes its token only from the configuration file (a ConfigMap) or the environment (${TRANSIT_TOKEN_VARIABLE}, go-kms-wrapping's transit wrapper): the environment keeps it out of the ConfigMap`,
                objects: [`StatefulSet/${OPENBAO.namespace}/${PLATFORM_RELEASES.openbao}`],
              },
            }
          : {}),
        ...(env.recovery
          ? {}
          : {
              'REL-04': {
                reason: 'the chart\'s snapshot agent CronJob has no startingDeadlineSeconds setting (templates/snapshotagent-cronjob.yaml); a missed snapshot is taken at the next run',
                objects: [`CronJob/${OPENBAO.namespace}/${PLATFORM_RELEASES.openbao}-snapshot`],
              },
            }),
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
        // The snapshot agent, and in a recovery the Job restoring its snapshot.
        { peers: [podsIn(OPENBAO.namespace, env.recovery ? SNAPSHOT_RESTORE_PODS : SNAPSHOT_AGENT_PODS)], ports: [OPENBAO.port] },
      ],
      egress: [
        // Kubernetes auth verifies service account tokens with the API server; Raft members talk to each other.
        apiServer(env),
        { peers: [podsIn(OPENBAO.namespace, OPENBAO.podLabels)], ports: [OPENBAO.port, OPENBAO.clusterPort] },
        // The transit seal asks the unseal server to unwrap the root key at every start.
        ...(transit ? [{ peers: transit.cidrs.map(addresses), ports: [portOf(transit.address)] }] : []),
      ],
    });
    // The snapshot agent reaches OpenBao and the backup target only (a recovery runs none: README).
    const location = objectStoreLocation(env);
    if (!env.recovery) new AllowTraffic(this, 'Snapshots', {
      namespace: OPENBAO.namespace,
      pods: SNAPSHOT_AGENT_PODS,
      egress: [
        { peers: [podsIn(OPENBAO.namespace, OPENBAO.podLabels)], ports: [OPENBAO.port] },
        { peers: (env.platform.backups.target?.cidrs ?? []).map(addresses), ports: [objectStorePort(location)] },
      ],
    });
  }
}
