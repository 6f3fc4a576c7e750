import type { App } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import type { Environment } from '../constructs/environment/schema';
import { SecureNamespace } from '../constructs/baseline/secure-namespace';
import { KitChart } from './kit-chart';

/** Namespace where the kit keeps its own bookkeeping (Helm release records of cluster-wide charts). */
export const SYSTEM_NAMESPACE = 'govstack-system';

/** The platform layer: what every building block stands on. */
export function addPlatformCharts(app: App, env: Environment): void {
  const storage = new KitChart(app, { layer: 'platform', component: 'storage', releaseNamespace: SYSTEM_NAMESPACE });
  new SecureNamespace(storage, 'SystemNamespace', {
    name: SYSTEM_NAMESPACE,
    kubernetesVersion: env.cluster.kubernetesVersion,
    quota: { cpu: '1', memory: '1Gi', storage: '0', pods: 10 },
  });
  // Government data must outlive the claim that holds it: the data class retains volumes.
  new k8s.KubeStorageClass(storage, 'DataClass', {
    metadata: { name: env.cluster.storageClasses.data },
    provisioner: env.cluster.storageProvisioner,
    reclaimPolicy: 'Retain',
    allowVolumeExpansion: true,
    volumeBindingMode: 'WaitForFirstConsumer',
  });
}
