import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { namespaceBaseline } from '../baseline/namespace-sizing';
import { SecureNamespace } from '../baseline/secure-namespace';
import type { Environment } from '../environment/schema';
import type { ImageParts } from '../images';
import { AllowTraffic, apiServer, podsIn } from '../baseline/allow-traffic';
import { MONITORING, PLATFORM_RELEASES } from './contract';
import { PINNED_CHARTS } from './pinned-charts';
import { PlatformRelease } from './platform-release';

export const LONGHORN_NAMESPACE = 'longhorn-system';
const LONGHORN_PROVISIONER = 'driver.longhorn.io';

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
  readonly env: Environment;
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
    const replicas = env.ha.level === 'single' ? 1 : 3;
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

  private addLonghorn(env: Environment, replicas: number): void {
    new SecureNamespace(this, 'LonghornNamespace', {
      name: LONGHORN_NAMESPACE,
      ...namespaceBaseline(env, 'large'),
      podSecurity: 'privileged',
      podSecurityExceptionReason:
        'Longhorn\'s manager, engines and CSI plugin attach block devices on every node: privileged containers and host paths (Longhorn installs only into longhorn-system)',
    });
    new PlatformRelease(this, 'Longhorn', {
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
        metrics: { serviceMonitor: { enabled: false } },
      }),
      workloads: [
        { name: 'manager', podLabels: { app: 'longhorn-manager' }, ports: [{ name: 'manager', port: 9500 }, { name: 'conversion-wh', port: 9501 }, { name: 'admission-wh', port: 9502 }] },
      ],
      exceptions: {
        'POD-02': 'Longhorn attaches and replicates block devices on each node: its manager and CSI plugin must run privileged with host paths, in their own namespace',
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
        { peers: apiServer(env).peers, ports: [9501, 9502] },
        ...(env.platform.observability.enabled ? [{ peers: [podsIn(MONITORING.namespace, MONITORING.prometheusPodLabels)], ports: [9500] }] : []),
      ],
    });
  }
}
