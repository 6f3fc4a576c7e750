import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { declarePolicyException } from '../baseline/policy-exception';
import { PostgresCluster } from '../data/postgres-cluster';
import type { Environment, XRoadMember } from '../environment/schema';
import { resolveImage } from '../images';
import { METALLB_POOL } from '../platform/contract';
import {
  CLIENT_PORTS,
  securityServer,
  securityServerNodeLabels,
  servingNodeRole,
  XROAD_PORTS,
  type SecurityServerNodeRole,
  type SecurityServerRef,
} from './contract';
import { port, quantity, XROAD_SERVER_EXCEPTIONS } from './pod-security';
import { SecurityServerInternalTls } from './internal-tls';
import { securityServerContainer, SIDECAR_ENV_SECRETS_REASON, type ExternalDatabase } from './security-server-node';
import { securityServerImage } from './sidecar-image';
import { resilience } from '../environment/resilience';
import type { SecureNamespace } from '../baseline/secure-namespace';

export interface SecurityServerProps {
  readonly env: Pick<Environment, 'cluster' | 'ha' | 'name' | 'platform' | 'registry' | 'stage' | 'xroad'>;
  readonly member: XRoadMember;
  /** The Information Mediator's namespace; a clustered server's database labels it as writing backups. */
  readonly namespace: SecureNamespace;
  /** Admin user the entrypoint creates; the password is in `credentialsSecret`. */
  readonly adminUser: string;
  /** Secret with `admin-password` and `token-pin`, generated in the cluster. */
  readonly credentialsSecret: string;
  /**
   * Secret with `privateKey` and `publicKey` for the primary-secondaries topology, which refuses to be built without it.
   * @default none: a single-node server has no secondaries to sync
   */
  readonly sshKeySecret?: string;
}

/** What the primary-secondaries topology adds to a single node: the external database and the sync key. */
interface ClusteredServer {
  readonly database: ExternalDatabase;
  readonly sshKeySecret: string;
}

/** Volume sizes: configuration is small; backups and message-log archives grow (kept 30 days upstream). */
const VOLUMES = { config: '2Gi', archive: '10Gi', localDatabase: '10Gi', externalDatabase: '20Gi' } as const;

/**
 * One member organisation's X-Road security server, in NIIS's Kubernetes topologies:
 * `single` — one pod with the database inside the container (sandbox);
 * `primary-secondaries` — a primary holding the configuration on a volume (ssh for sync,
 * backups, message-log archiving) and N secondaries that rsync it and serve messages, on an
 * external PostgreSQL 16 run by CloudNativePG (production).
 * Every volume uses the environment's data class (reclaim policy Retain).
 */
export class SecurityServer extends Construct {
  readonly ref: SecurityServerRef;
  /** Roles of the nodes that serve clients and other security servers. */
  readonly servingRole: SecurityServerNodeRole;
  /** Role of the node holding the configuration, its admin API and the volumes. */
  readonly configRole: SecurityServerNodeRole;
  readonly database?: PostgresCluster;

  constructor(scope: Construct, id: string, props: SecurityServerProps) {
    super(scope, id);
    const { env, member } = props;
    const ref = securityServer(member);
    this.ref = ref;
    const clustered = env.xroad.securityServer.topology === 'primary-secondaries';
    this.servingRole = servingNodeRole(env);
    this.configRole = clustered ? 'primary' : 'single';
    new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name: ref.clientService, namespace: ref.namespace },
      automountServiceAccountToken: false,
    });
    const image = (role: SecurityServerNodeRole) => resolveImage(env, securityServerImage(env.xroad.securityServer, role));

    let cluster: ClusteredServer | undefined;
    if (clustered) {
      if (!props.sshKeySecret) {
        throw new Error(`security server ${member.name}: the primary-secondaries topology needs sshKeySecret (the secondaries sync the configuration from the primary over ssh)`);
      }
      this.database = new PostgresCluster(this, 'Database', {
        env,
        name: `${ref.clientService}-db`,
        namespace: props.namespace,
        // X-Road creates its databases and roles itself as the superuser; this one stays empty.
        database: 'xroad',
        owner: 'xroad',
        storageSize: VOLUMES.externalDatabase,
        superuserAccess: true,
        resources: { cpu: '250m', memory: '1Gi' },
        clientPodLabels: ref.podLabels,
      });
      cluster = {
        sshKeySecret: props.sshKeySecret,
        database: {
          host: this.database.host,
          port: this.database.port,
          superuserSecret: this.database.superuserSecretName!,
          databasePrefix: member.name.replace(/-/g, '_'),
        },
      };
    }

    this.configNode(props, image(this.configRole), cluster);
    if (cluster) this.secondaries(props, image('secondary'), cluster.sshKeySecret);
    this.services(env, clustered);
  }

  /** The node holding `/etc/xroad` and `/var/lib/xroad` on retained volumes: a StatefulSet of one. */
  private configNode(props: SecurityServerProps, image: string, cluster: ClusteredServer | undefined): void {
    const { env } = props;
    const database = cluster?.database;
    const ref = this.ref;
    const role = this.configRole;
    const name = role === 'primary' ? `${ref.clientService}-primary` : ref.clientService;
    const labels = securityServerNodeLabels(ref, role);
    const claims: { name: string; size: string; mountPath: string }[] = [
      { name: 'etc-xroad', size: VOLUMES.config, mountPath: '/etc/xroad' },
      // Automatic configuration backups (daily, kept 30 days) and message-log archives.
      { name: 'var-lib-xroad', size: VOLUMES.archive, mountPath: '/var/lib/xroad' },
      ...(database ? [] : [{ name: 'postgresql', size: VOLUMES.localDatabase, mountPath: '/var/lib/postgresql/16/main' }]),
    ];
    const mounts: k8s.VolumeMount[] = claims.map((claim) => ({ name: claim.name, mountPath: claim.mountPath }));
    // Installed before the entrypoint, which then keeps it; the secondaries rsync it from here.
    const internalTls = new SecurityServerInternalTls(this, 'InternalTls', ref);
    const volumes: k8s.Volume[] = [];
    if (cluster) {
      mounts.push({ name: 'ssh', mountPath: '/etc/.ssh', readOnly: true });
      // The primary's entrypoint links authorized_keys of the sync user to /etc/.ssh/id_rsa.pub.
      volumes.push({ name: 'ssh', secret: { secretName: cluster.sshKeySecret, items: [{ key: 'publicKey', path: 'id_rsa.pub', mode: 0o644 }] } });
    }

    const statefulSet = new k8s.KubeStatefulSet(this, 'Resource', {
      metadata: { name, namespace: ref.namespace, labels },
      spec: {
        replicas: 1,
        serviceName: role === 'primary' ? ref.primaryService : ref.adminService,
        selector: { matchLabels: labels },
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
        template: {
          metadata: { labels },
          spec: {
            ...podBasics(ref),
            initContainers: [internalTls.initContainer(image, mounts.find((mount) => mount.mountPath === '/etc/xroad')!)],
            containers: [securityServerContainer({ env, role, image, adminUser: props.adminUser, credentialsSecret: props.credentialsSecret, database, volumeMounts: mounts })],
            volumes: [...volumes, ...internalTls.volumes()],
          },
        },
        volumeClaimTemplates: claims.map((claim) => ({
          metadata: { name: claim.name },
          spec: {
            accessModes: ['ReadWriteOnce'],
            storageClassName: env.cluster.storageClasses.data,
            resources: { requests: { storage: quantity(claim.size) } },
          },
        })),
      },
    });
    declareServerExceptions(statefulSet);
    // Production only: REL-01 asks for a second replica there.
    if (role === 'primary' && resilience(env).singleReplicaIsException) {
      declarePolicyException(
        statefulSet,
        'REL-01',
        'an X-Road cluster has exactly one primary (NIIS: the secondaries copy its configuration and would diverge from a second one); it serves only the admin API and configuration sync, while messages go through the secondaries, which keep serving from their last copy while it restarts',
      );
    }
  }

  /** Stateless message-serving nodes: config synced from the primary, spread over nodes, never all disrupted at once. */
  private secondaries(props: SecurityServerProps, image: string, sshKeySecret: string): void {
    const { env } = props;
    const ref = this.ref;
    const labels = securityServerNodeLabels(ref, 'secondary');
    const { spreadKey, spreadIsRequired } = resilience(env);
    const spread: k8s.PodAffinityTerm = { labelSelector: { matchLabels: labels }, topologyKey: spreadKey };
    const deployment = new k8s.KubeDeployment(this, 'Secondaries', {
      metadata: { name: `${ref.clientService}-secondary`, namespace: ref.namespace, labels },
      spec: {
        replicas: env.xroad.securityServer.secondaries,
        selector: { matchLabels: labels },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromNumber(1), maxSurge: k8s.IntOrString.fromNumber(1) } },
        template: {
          metadata: { labels },
          spec: {
            ...podBasics(ref),
            affinity: {
              podAntiAffinity:
                spreadIsRequired
                  ? { requiredDuringSchedulingIgnoredDuringExecution: [spread] }
                  : { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: spread }] },
            },
            containers: [
              securityServerContainer({
                env,
                role: 'secondary',
                image,
                adminUser: props.adminUser,
                credentialsSecret: props.credentialsSecret,
                primaryDns: `${ref.primaryService}.${ref.namespace}.svc.cluster.local`,
                volumeMounts: [{ name: 'ssh', mountPath: '/etc/.ssh', readOnly: true }],
              }),
            ],
            volumes: [
              {
                name: 'ssh',
                // Root-owned and 0644 as NIIS's guide mounts it: ssh (as xroad) checks key permissions only for keys it owns.
                secret: {
                  secretName: sshKeySecret,
                  items: [
                    { key: 'privateKey', path: 'id_rsa', mode: 0o644 },
                    { key: 'publicKey', path: 'id_rsa.pub', mode: 0o644 },
                  ],
                },
              },
            ],
          },
        },
      },
    });
    declareServerExceptions(deployment);
    new k8s.KubePodDisruptionBudget(this, 'SecondariesBudget', {
      metadata: { name: `${ref.clientService}-secondary`, namespace: ref.namespace },
      spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: labels } },
    });
  }

  private services(env: Pick<Environment, 'cluster'>, clustered: boolean): void {
    const ref = this.ref;
    const serving = securityServerNodeLabels(ref, this.servingRole);
    const config = securityServerNodeLabels(ref, this.configRole);
    const tcp = (name: string, number: number): k8s.ServicePort => ({ name, port: number, targetPort: port(number), protocol: 'TCP' });
    new k8s.KubeService(this, 'ClientService', {
      metadata: { name: ref.clientService, namespace: ref.namespace },
      spec: { type: 'ClusterIP', selector: serving, ports: [tcp('http', CLIENT_PORTS.http), tcp('https', CLIENT_PORTS.https)] },
    });

    const lbKind = env.cluster.loadBalancer.kind;
    const external = lbKind !== 'none';
    const annotations: Record<string, string> = {};
    // The global configuration holds one address per security server: publish it under a stable DNS name.
    if (external && ref.member.address) annotations['external-dns.alpha.kubernetes.io/hostname'] = ref.member.address;
    if (lbKind === 'metallb') {
      annotations['metallb.io/address-pool'] = METALLB_POOL;
      if (ref.member.loadBalancerIP) annotations['metallb.io/loadBalancerIPs'] = ref.member.loadBalancerIP;
    }
    new k8s.KubeService(this, 'MessagingService', {
      metadata: { name: ref.messagingService, namespace: ref.namespace, annotations },
      spec: {
        type: external ? 'LoadBalancer' : 'ClusterIP',
        selector: serving,
        ports: [tcp('messaging', XROAD_PORTS.messaging), tcp('ocsp', XROAD_PORTS.ocsp)],
        // TLS is passed through to X-Road; keeping client addresses lets NetworkPolicies check peer ranges.
        ...(external ? { externalTrafficPolicy: 'Local' } : {}),
        // MetalLB announces addresses itself and needs no node ports (NET-03).
        ...(lbKind === 'metallb' ? { allocateLoadBalancerNodePorts: false } : {}),
        // A lone server has no other node to fail over to; peers must reach it while it registers.
        ...(clustered ? {} : { publishNotReadyAddresses: true }),
      },
    });
    // The admin API must answer before the server is initialised (readiness on 5588 fails until then).
    new k8s.KubeService(this, 'AdminService', {
      metadata: { name: ref.adminService, namespace: ref.namespace },
      spec: { type: 'ClusterIP', selector: config, publishNotReadyAddresses: true, ports: [tcp('admin', XROAD_PORTS.admin)] },
    });
    if (clustered) {
      new k8s.KubeService(this, 'PrimaryService', {
        metadata: { name: ref.primaryService, namespace: ref.namespace },
        spec: { clusterIp: 'None', selector: config, publishNotReadyAddresses: true, ports: [tcp('ssh', XROAD_PORTS.ssh), tcp('admin', XROAD_PORTS.admin)] },
      });
    }
  }
}

function podBasics(ref: SecurityServerRef): Partial<k8s.PodSpec> {
  return {
    serviceAccountName: ref.clientService,
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
    terminationGracePeriodSeconds: 60,
  };
}

function declareServerExceptions(workload: ApiObject): void {
  for (const [check, reason] of Object.entries(XROAD_SERVER_EXCEPTIONS)) declarePolicyException(workload, check, reason);
  declarePolicyException(workload, 'SEC-02', SIDECAR_ENV_SECRETS_REASON);
}
