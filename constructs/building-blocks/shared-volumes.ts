import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { componentServiceName } from '../catalogue/addresses';
import type { CatalogueEntry, ComponentEntry } from '../catalogue/types';
import type { Environment, Size } from '../environment/schema';
import { sharedStorageClass } from '../platform/contract';
import { componentLabels } from './labels';

/** Names of a component's volumes that every replica mounts (`shared` in its entry). */
export function sharedVolumes(component: ComponentEntry): string[] {
  return Object.entries(component.volumes ?? {})
    .filter(([, volume]) => 'shared' in volume)
    .map(([name]) => name);
}

/** The claim all replicas of a component mount for one of its shared volumes. */
export function sharedClaimName(entry: CatalogueEntry, component: ComponentEntry, volume: string): string {
  return `${componentServiceName(entry, component.name)}-${volume}`;
}

export interface SharedVolumeClaimsProps {
  readonly env: Pick<Environment, 'cluster'>;
  readonly entry: CatalogueEntry;
  readonly size: Size;
  readonly namespace: string;
}

/**
 * One ReadWriteMany claim per shared volume of a product, on the environment's shared class. The
 * claims belong to the building block, not to its workloads, so a retired building block keeps
 * them like its database; Helm keeps them on uninstall too. Without a shared class there are
 * none: each component then runs one replica with the volume as its own claim (`replicasFor`).
 */
export class SharedVolumeClaims extends Construct {
  constructor(scope: Construct, id: string, props: SharedVolumeClaimsProps) {
    super(scope, id);
    const storageClassName = sharedStorageClass(props.env);
    if (!storageClassName) return;
    for (const component of props.entry.components) {
      for (const volume of sharedVolumes(component)) {
        const spec = component.volumes![volume] as { readonly shared: Readonly<Record<Size, string>> };
        new k8s.KubePersistentVolumeClaim(this, `${component.name}-${volume}`, {
          metadata: {
            name: sharedClaimName(props.entry, component, volume),
            namespace: props.namespace,
            labels: componentLabels(props.entry, component.name),
            annotations: { 'helm.sh/resource-policy': 'keep' },
          },
          spec: { accessModes: ['ReadWriteMany'], storageClassName, resources: { requests: { storage: k8s.Quantity.fromString(spec.shared[props.size]) } } },
        });
      }
    }
  }
}
