import type { CatalogueEntry, ContainerResources } from '../catalogue/types';
import type { NamespaceFootprint } from '../baseline/namespace-sizing';
import type { Environment, Size } from '../environment/schema';
import { replicasFor } from './replicas';
import { bytes, millicores } from '../baseline/quantity';

/** MiB of a memory or storage quantity in binary units (`512Mi`, `2Gi`): catalogue entries size in those only. */
export function mebibytes(quantity: string): number {
  if (!/^\d+(?:\.\d+)?(Ki|Mi|Gi|Ti)$/.test(quantity)) throw new Error(`quantity "${quantity}" must use a binary unit (Ki, Mi, Gi, Ti)`);
  return bytes(quantity) / 2 ** 20;
}

/**
 * What a building block's namespace runs at the chosen size, from its entry: every
 * replica's containers (or its largest init container, if bigger), the PostgreSQL instances with the
 * backup sidecar, the cache and their volumes (`namespaceBaseline` adds the headroom for rollouts).
 */
export function buildingBlockFootprint(env: Pick<Environment, 'cluster' | 'ha' | 'platform' | 'stage'>, entry: CatalogueEntry, size: Size, postgresInstances: number): NamespaceFootprint {
  const total = { cpu: 0, memory: 0, storage: 0, pods: 0 };
  const add = (resources: { cpu: string; memory: string }, count: number) => {
    total.cpu += millicores(resources.cpu) * count;
    total.memory += mebibytes(resources.memory) * count;
  };
  for (const component of entry.components) {
    const replicas = replicasFor(env, size, component);
    const sum = (list: readonly { resources: Readonly<Record<Size, ContainerResources>> }[]) =>
      list.reduce((acc, c) => ({ cpu: acc.cpu + millicores(c.resources[size].cpu), memory: acc.memory + mebibytes(c.resources[size].memory) }), { cpu: 0, memory: 0 });
    const running = sum(component.containers);
    const init = (component.initContainers ?? []).map((c) => sum([c]));
    const pod = { cpu: Math.max(running.cpu, ...init.map((i) => i.cpu)), memory: Math.max(running.memory, ...init.map((i) => i.memory)) };
    total.cpu += pod.cpu * (replicas + 1);
    total.memory += pod.memory * (replicas + 1);
    total.pods += replicas + 1;
    for (const volume of Object.values(component.volumes ?? {})) {
      if ('persistent' in volume) total.storage += mebibytes(volume.persistent[size]) * replicas;
      // One claim all replicas share (or the single replica's own).
      if ('shared' in volume) total.storage += mebibytes(volume.shared[size]);
    }
  }
  const postgres = entry.dataServices.postgres;
  if (postgres) {
    // One extra instance's worth covers the initdb job and a switchover's new pod; 50m/64Mi is the backup sidecar.
    add(postgres.resources[size], postgresInstances + 1);
    add({ cpu: '50m', memory: '64Mi' }, postgresInstances + 1);
    total.storage += mebibytes(postgres.storage[size]) * postgresInstances;
    total.pods += postgresInstances + 1;
  }
  const cache = entry.dataServices.cache;
  if (cache) {
    add(cache.resources[size], 1);
    total.pods += 1;
  }
  return { cpuMillicores: total.cpu, memoryMiB: total.memory, storageMiB: total.storage, pods: total.pods };
}
