import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { namespaceBaseline } from '../baseline/namespace-sizing';
import { SecureNamespace } from '../baseline/secure-namespace';
import type { Environment } from '../environment/schema';
import type { ImageParts } from '../images';
import { AllowTraffic, apiServer, podsIn } from '../baseline/allow-traffic';
import { LONGHORN_PROVISIONER, MONITORING, PLATFORM_RELEASES } from './contract';
import { PINNED_CHARTS } from './pinned-charts';
import { PinnedRelease, type ScopedException } from '../releases/pinned-release';
import { resilience } from '../environment/resilience';

export const LONGHORN_NAMESPACE = 'longhorn-system';

/** What Longhorn does with the pods of a node that is down (its `node-down-pod-deletion-policy` setting). */
export const LONGHORN_NODE_DOWN_POLICY = 'delete-both-statefulset-and-deployment-pod';

/** `{ repository, tag }` without the registry, which Longhorn's chart takes once for all images. */
function image(parts: ImageParts): { repository: string; tag: string } {
  return { repository: parts.path, tag: parts.tagAndDigest };
}

function sharedRegistry(images: readonly ImageParts[]): string {
  const registries = [...new Set(images.map((parts) => parts.registry))];
  if (registries.length !== 1) throw new Error(`longhorn's chart takes one registry for all its images, but they come from ${registries.join(', ')}`);
  return registries[0];
}

export interface StorageProps {
  readonly env: Pick<Environment, 'cluster' | 'ha' | 'platform' | 'registry' | 'stage'>;
}

/**
 * The data storage class (reclaim policy Retain: deleting a claim never deletes government data)
 * and, on-prem with `platform.storage: longhorn`, Longhorn itself, whose own default class is
 * switched off and set to Retain too.
 */
export class Storage extends Construct {
  constructor(scope: Construct, id: string, props: StorageProps) {
    super(scope, id);
    const { env } = props;
    const replicas = resilience(env).quorumReplicas;
    new k8s.KubeStorageClass(this, 'DataClass', {
      metadata: { name: env.cluster.storageClasses.data },
      provisioner: env.cluster.storageProvisioner,
      reclaimPolicy: 'Retain',
      allowVolumeExpansion: true,
      volumeBindingMode: 'WaitForFirstConsumer',
      ...(env.cluster.storageProvisioner === LONGHORN_PROVISIONER ? { parameters: { numberOfReplicas: String(replicas), staleReplicaTimeout: '30' } } : {}),
    });
    if (env.platform.storage === 'longhorn') this.addLonghorn(env, replicas);
  }

  private addLonghorn(env: Pick<Environment, 'cluster' | 'platform' | 'registry'>, replicas: number): void {
    new SecureNamespace(this, 'LonghornNamespace', {
      name: LONGHORN_NAMESPACE,
      ...namespaceBaseline(env, 'large'),
      podSecurity: 'privileged',
      podSecurityExceptionReason:
        'Longhorn\'s manager, engines and CSI plugin attach block devices on every node: privileged containers and host paths (Longhorn installs only into longhorn-system)',
    });
    new PinnedRelease(this, 'Longhorn', {
      holdsData: true, // uninstalling Longhorn detaches every volume it provides
      env,
      chart: PINNED_CHARTS.longhorn,
      releaseName: PLATFORM_RELEASES.longhorn,
      namespace: LONGHORN_NAMESPACE,
      reason: 'Longhorn provides replicated block storage on the data centre\'s own disks (nodes need open-iscsi); its chart is the supported install',
      providesCrds: true,
      timeoutSeconds: 900,
      values: (images) => ({
        // The chart prefixes every image with the first of global.imageRegistry, the Rancher system
        // registry, or docker.io: a per-image registry is never read, and a registry inside the
        // repository would end up behind docker.io. So the one registry goes here, paths below.
        global: { imageRegistry: sharedRegistry(Object.values(images)) },
        image: {
          longhorn: {
            engine: image(images.engine),
            manager: image(images.manager),
            ui: image(images.ui),
            instanceManager: image(images.instanceManager),
            shareManager: image(images.shareManager),
            backingImageManager: image(images.backingImageManager),
            supportBundleKit: image(images.supportBundleKit),
          },
          csi: {
            attacher: image(images.csiAttacher),
            provisioner: image(images.csiProvisioner),
            nodeDriverRegistrar: image(images.csiNodeDriverRegistrar),
            resizer: image(images.csiResizer),
            snapshotter: image(images.csiSnapshotter),
            livenessProbe: image(images.csiLivenessProbe),
          },
        },
        // The kit's data class is the one claims use; Longhorn's own class must not lose data either.
        persistence: { defaultClass: false, reclaimPolicy: 'Retain', defaultClassReplicaCount: replicas },
        csi: { attacherReplicaCount: replicas, provisionerReplicaCount: replicas, resizerReplicaCount: replicas, snapshotterReplicaCount: replicas },
        longhornUI: { replicas: 1 },
        // The chart's default, do-nothing, leaves a pod whose volume is attached to a node that died
        // Terminating there forever: a StatefulSet never replaces it and its volume never moves.
        // Longhorn force-deletes such pods so that they start elsewhere with their volume.
        defaultSettings: { nodeDownPodDeletionPolicy: LONGHORN_NODE_DOWN_POLICY },
        metrics: { serviceMonitor: { enabled: false } },
      }),
      workloads: [
        { name: 'manager', podLabels: { app: 'longhorn-manager' }, ports: [{ name: 'manager', port: 9500 }, { name: 'admission-wh', port: 9502 }] },
      ],
      exceptions: {
        'POD-02': 'Longhorn attaches and replicates block devices on each node: its manager and CSI plugin must run privileged with host paths, in their own namespace',
        ...longhornExceptions(),
      },
    });
    // Engines, replicas and instance managers talk over ports Longhorn assigns at run time.
    const internal = new AllowTraffic(this, 'LonghornInternal', {
      namespace: LONGHORN_NAMESPACE,
      pods: {},
      ingress: [{ peers: [podsIn(LONGHORN_NAMESPACE)], ports: [] }],
      egress: [{ peers: [podsIn(LONGHORN_NAMESPACE)], ports: [] }, apiServer(env)],
    });
    internal.declareException(
      'NET-02',
      'Longhorn\'s engines, replicas and instance managers connect on ports Longhorn assigns at run time (instance-manager port ranges); traffic stays inside longhorn-system',
    );
    new AllowTraffic(this, 'LonghornWebhooks', {
      namespace: LONGHORN_NAMESPACE,
      pods: { app: 'longhorn-manager' },
      ingress: [
        { peers: apiServer(env).peers, ports: [9502] },
        ...(env.platform.observability.enabled ? [{ peers: [podsIn(MONITORING.namespace, MONITORING.prometheusPodLabels)], ports: [9500] }] : []),
      ],
    });
  }
}

const LONGHORN_MANAGER = `DaemonSet/${LONGHORN_NAMESPACE}/longhorn-manager`;
const DRIVER_DEPLOYER = `Deployment/${LONGHORN_NAMESPACE}/longhorn-driver-deployer`;
const LONGHORN_UI = `Deployment/${LONGHORN_NAMESPACE}/longhorn-ui`;
const LONGHORN_JOBS = ['longhorn-pre-upgrade', 'longhorn-post-upgrade', 'longhorn-uninstall'].map((job) => `Job/${LONGHORN_NAMESPACE}/${job}`);

/**
 * What Longhorn's chart (1.12.1) renders that the baseline does not allow, object by object: the
 * chart has no security-context, probe or resource settings for most of its pods, and its manager
 * works on the node's block devices as root.
 */
function longhornExceptions(): Record<string, ScopedException | ScopedException[]> {
  const noSecurityContext: ScopedException[] = [
    {
      reason:
        'longhorn-manager runs as root, privileged, with every capability: it creates block devices, runs iscsiadm and mount in the host\'s namespaces and writes replica data under /var/lib/longhorn',
      objects: [LONGHORN_MANAGER],
    },
    {
      reason:
        'the chart offers no security-context setting for the driver deployer, the UI or its upgrade and uninstall jobs (templates/deployment-driver.yaml sets runAsUser 0; deployment-ui.yaml, *-job.yaml set nothing); they run in the privileged longhorn-system namespace',
      objects: [DRIVER_DEPLOYER, LONGHORN_UI, ...LONGHORN_JOBS],
    },
  ];
  return {
    ...Object.fromEntries(['POD-03', 'POD-04', 'POD-05', 'POD-06', 'POD-07', 'POD-10'].map((check) => [check, noSecurityContext])),
    'POD-08': [
      {
        reason: 'longhorn-manager reads the node\'s /boot, /dev, /proc and /etc and keeps replica data in /var/lib/longhorn, all through host paths',
        objects: [LONGHORN_MANAGER],
      },
      {
        reason: 'the pre-upgrade job reads the host\'s /proc (templates/preupgrade-job.yaml) to check the node before an upgrade',
        objects: [`Job/${LONGHORN_NAMESPACE}/longhorn-pre-upgrade`],
      },
    ],
    'PRB-01': {
      reason:
        'the chart renders only a readiness probe for longhorn-manager, none for its share-manager image pre-pull container, the driver deployer or the UI, and offers no probe settings (templates/daemonset-sa.yaml, deployment-driver.yaml, deployment-ui.yaml at 1.12.1)',
      objects: [LONGHORN_MANAGER, DRIVER_DEPLOYER, LONGHORN_UI],
    },
    'RES-01': [
      {
        reason:
          'the chart offers no resource settings for the driver deployer, the UI or the upgrade and uninstall jobs, nor for the manager\'s share-manager pre-pull container (templates at 1.12.1)',
        objects: [DRIVER_DEPLOYER, LONGHORN_UI, ...LONGHORN_JOBS],
      },
      {
        reason:
          'longhorn-manager\'s memory grows with the volumes and replicas on its node, so the kit sets no limit that would kill it and stall every volume of the node; the chart\'s longhornManager.resources would not reach its share-manager pre-pull container anyway',
        objects: [LONGHORN_MANAGER],
      },
    ],
    'RES-02': {
      reason:
        'the chart offers no resource setting for the manager\'s pre-pull container, the driver deployer, the UI or the upgrade and uninstall jobs (templates at 1.12.1); the manager itself gets no limits, as for memory (RES-01)',
      objects: [LONGHORN_MANAGER, DRIVER_DEPLOYER, LONGHORN_UI, ...LONGHORN_JOBS],
    },
    'RBAC-01': {
      reason:
        'Longhorn\'s manager creates and deletes the pods, volumes, attachments and every longhorn.io resource it manages; the chart grants it "*" verbs on them (templates/clusterrole.yaml, role.yaml) with no narrower setting',
      objects: ['ClusterRole/longhorn-role', `Role/${LONGHORN_NAMESPACE}/longhorn`],
    },
    'RBAC-02': {
      reason: 'the chart binds cluster-admin to the support-bundle service account (templates/clusterrolebinding.yaml), which only the support-bundle pods an operator starts on demand use to collect cluster state',
      objects: ['ClusterRoleBinding/longhorn-support-bundle'],
    },
    'RBAC-03': {
      reason: 'longhorn-manager reads the backup target\'s credential Secret and the CSI Secrets of encrypted volumes, which storage classes may keep in any namespace',
      objects: ['ClusterRole/longhorn-role'],
    },
    'RBAC-04': {
      reason: 'the manager reconciles Longhorn\'s resources, the driver deployer creates the CSI workloads, the UI proxies the manager\'s API and the upgrade and uninstall jobs change Longhorn\'s resources, all through the API',
      objects: [LONGHORN_MANAGER, DRIVER_DEPLOYER, LONGHORN_UI, ...LONGHORN_JOBS],
    },
    'REL-01': [
      {
        reason: 'the chart fixes the driver deployer at one replica (templates/deployment-driver.yaml); it only deploys the CSI workloads once and volumes keep working without it',
        objects: [DRIVER_DEPLOYER],
      },
      {
        reason: 'the UI is an operator\'s console, not a service the platform depends on: volumes keep working without it, so the kit runs one replica',
        objects: [LONGHORN_UI],
      },
    ],
    'NET-02': {
      reason:
        'the chart\'s own policies for Longhorn\'s internal traffic select pods that longhorn-manager creates or labels at run time (instance, backing-image and share managers, webhook, recovery backend) on ports Longhorn assigns at run time',
      objects: ['backing-image-data-source', 'backing-image-manager', 'instance-manager', 'longhorn-manager', 'longhorn-recovery-backend', 'longhorn-webhook'].map(
        (policy) => `NetworkPolicy/${LONGHORN_NAMESPACE}/${policy}`,
      ),
    },
  };
}
