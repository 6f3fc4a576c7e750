import { limitRangeDefaults, type ContainerDefaults } from '../policy/limit-range';
import type { Manifest } from '../synth/manifest';
import {
  cloudNativePgInstancePod,
  containerPortsOf,
  podTemplateOf,
  type ContainerPort,
  type PodTemplate,
} from '../validation/network-policy';
import { podResources, type ContainerSpec, type PodResources } from './pod-resources';
import { bytes } from '../../constructs/baseline/quantity';
import { apiGroup, specOf, type PlacedManifest } from './placed-manifest';
import { BARMAN_CLOUD_PLUGIN, isCloudNativePgCluster } from '../../constructs/data/cloudnative-pg';

export interface VolumeClaim {
  readonly name: string;
  /** Storage class; undefined means the cluster's default class. */
  readonly storageClass?: string;
  readonly bytes: number;
}

/** How a workload's pods are counted for capacity. */
export type PodSchedule = 'replicas' | 'per-node' | 'run-to-completion';

/** Anything that runs pods, reduced to what capacity, images and network flows need. */
export interface Workload {
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly component: string;
  readonly schedule: PodSchedule;
  /** Pods (per node for `per-node`, at once for `run-to-completion`). */
  readonly replicas: number;
  /** Where the replica count came from when not the object itself, e.g. an autoscaler's maximum. */
  readonly replicasNote?: string;
  /** Resources of one pod, init containers and sidecars accounted as the scheduler does. */
  readonly perPod: PodResources;
  /** Claims each pod gets (StatefulSet volumeClaimTemplates, CloudNativePG instance volumes). */
  readonly claimsPerPod: readonly VolumeClaim[];
  readonly images: readonly string[];
  readonly podLabels: Readonly<Record<string, string>>;
  readonly ports: readonly ContainerPort[];
  /** True when replicas must land on distinct nodes (required pod anti-affinity by host). */
  readonly requiresDistinctNodes: boolean;
  /** The operator that starts these pods from a custom resource, where no object of the manifests runs them (operator-workloads.ts). */
  readonly startedBy?: string;
}

interface PodSpec {
  readonly containers?: readonly ContainerSpec[];
  readonly initContainers?: readonly ContainerSpec[];
  readonly ephemeralContainers?: readonly ContainerSpec[];
  readonly affinity?: { readonly podAntiAffinity?: { readonly requiredDuringSchedulingIgnoredDuringExecution?: readonly { readonly topologyKey?: string }[] } };
}

export type { ContainerSpec, PodResources } from './pod-resources';

/** Container defaults a namespace's LimitRange applies to containers that state no requests or limits. */
export type { ContainerDefaults } from '../policy/limit-range';

const HOST_TOPOLOGY_KEY = 'kubernetes.io/hostname';

/** Every pod-running object among the manifests, with the namespace defaults and autoscalers applied. */
export function collectWorkloads(placed: readonly PlacedManifest[]): Workload[] {
  const manifests = placed.map((p) => p.manifest);
  const defaults = limitRangeDefaults(manifests);
  const autoscaled = autoscalerMaximums(manifests);
  const workloads: Workload[] = [];
  for (const { component, manifest } of placed) {
    const namespace = manifest.metadata.namespace ?? '';
    const found = workloadOf(manifest, defaults.get(namespace), manifests);
    if (!found) continue;
    const maxReplicas = autoscaled.get(`${manifest.kind}/${namespace}/${manifest.metadata.name}`);
    const replicas = maxReplicas !== undefined && maxReplicas > found.replicas ? maxReplicas : found.replicas;
    workloads.push({
      ...found,
      kind: manifest.kind,
      name: manifest.metadata.name,
      namespace,
      component,
      replicas,
      replicasNote: replicas !== found.replicas ? `autoscaler maximum (${found.replicas} at rest)` : undefined,
    });
  }
  return workloads;
}

type FoundWorkload = Omit<Workload, 'kind' | 'name' | 'namespace' | 'component' | 'replicasNote'>;

function workloadOf(manifest: Manifest, defaults: ContainerDefaults | undefined, all: readonly Manifest[]): FoundWorkload | undefined {
  const spec = specOf(manifest);
  const group = apiGroup(manifest);
  if (group === 'apps' || (group === '' && manifest.kind === 'Pod') || group === 'batch') {
    const template = podTemplateOf<PodSpec>(manifest);
    switch (manifest.kind) {
      case 'Deployment':
      case 'ReplicaSet':
        return fromTemplate(template, 'replicas', count(spec.replicas), defaults);
      case 'StatefulSet':
        return {
          ...fromTemplate(template, 'replicas', count(spec.replicas), defaults),
          claimsPerPod: claimTemplates(spec.volumeClaimTemplates),
        };
      case 'DaemonSet':
        return fromTemplate(template, 'per-node', 1, defaults);
      case 'Job':
        return fromTemplate(template, 'run-to-completion', count(spec.parallelism), defaults);
      case 'CronJob': {
        const job = ((spec.jobTemplate as { spec?: Record<string, unknown> } | undefined)?.spec ?? {}) as Record<string, unknown>;
        return fromTemplate(template, 'run-to-completion', count(job.parallelism), defaults);
      }
      case 'Pod':
        return fromTemplate(template, 'replicas', 1, defaults);
    }
  }
  if (isCloudNativePgCluster(manifest)) return postgresCluster(manifest, defaults, all);
  return undefined;
}

function count(value: unknown): number {
  return typeof value === 'number' ? value : 1;
}

function fromTemplate(template: PodTemplate<PodSpec> | undefined, schedule: PodSchedule, replicas: number, defaults: ContainerDefaults | undefined): FoundWorkload {
  const pod = template?.spec ?? {};
  const containers = pod.containers ?? [];
  const inits = pod.initContainers ?? [];
  const everything = [...containers, ...inits, ...(pod.ephemeralContainers ?? [])];
  const required = pod.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
  return {
    schedule,
    replicas,
    perPod: podResources(containers, inits, defaults),
    claimsPerPod: [],
    images: everything.flatMap((c) => (c.image ? [c.image] : [])),
    podLabels: template?.metadata?.labels ?? {},
    ports: containerPortsOf(pod),
    requiresDistinctNodes: required.some((term) => term.topologyKey === HOST_TOPOLOGY_KEY),
  };
}

function claimTemplates(templates: unknown): VolumeClaim[] {
  return ((templates ?? []) as { metadata?: { name?: string }; spec?: { storageClassName?: string; resources?: { requests?: { storage?: string } } } }[]).map(
    (template) => ({
      name: template.metadata?.name ?? 'data',
      storageClass: template.spec?.storageClassName,
      bytes: bytes(template.spec?.resources?.requests?.storage ?? 0),
    }),
  );
}

/**
 * A CloudNativePG Cluster runs `instances` pods, each with the PostgreSQL container, its data
 * (and WAL) volume and, when backed up through the Barman Cloud plugin, the plugin's sidecar
 * sized by the referenced ObjectStore.
 */
function postgresCluster(manifest: Manifest, defaults: ContainerDefaults | undefined, all: readonly Manifest[]): FoundWorkload {
  const spec = specOf(manifest) as {
    instances?: number;
    imageName?: string;
    resources?: ContainerSpec['resources'];
    storage?: { size?: string; storageClass?: string };
    walStorage?: { size?: string; storageClass?: string };
    plugins?: { name?: string; parameters?: { barmanObjectName?: string } }[];
    affinity?: { enablePodAntiAffinity?: boolean; podAntiAffinityType?: string; topologyKey?: string };
  };
  const namespace = manifest.metadata.namespace;
  const sidecars = (spec.plugins ?? []).flatMap((plugin) => {
    if (plugin.name !== BARMAN_CLOUD_PLUGIN) return [];
    const store = all.find((m) => m.kind === 'ObjectStore' && m.metadata.namespace === namespace && m.metadata.name === plugin.parameters?.barmanObjectName);
    const sidecar = (specOf(store ?? ({} as Manifest)).instanceSidecarConfiguration ?? {}) as { resources?: ContainerSpec['resources'] };
    return [{ resources: sidecar.resources, restartPolicy: 'Always' } satisfies ContainerSpec];
  });
  const volumes = [
    { name: 'pgdata', storage: spec.storage },
    { name: 'pg-wal', storage: spec.walStorage },
  ].flatMap(({ name, storage }) => (storage?.size ? [{ name, storageClass: storage.storageClass, bytes: bytes(storage.size) }] : []));
  const affinity = spec.affinity ?? {};
  const instancePod = cloudNativePgInstancePod(manifest);
  return {
    schedule: 'replicas',
    replicas: spec.instances ?? 1,
    perPod: podResources([{ resources: spec.resources }], sidecars, defaults),
    claimsPerPod: volumes,
    images: spec.imageName ? [spec.imageName] : [],
    podLabels: instancePod.labels,
    ports: instancePod.ports,
    requiresDistinctNodes:
      affinity.enablePodAntiAffinity !== false &&
      affinity.podAntiAffinityType === 'required' &&
      (affinity.topologyKey ?? HOST_TOPOLOGY_KEY) === HOST_TOPOLOGY_KEY,
  };
}

/** The container defaults of each namespace's LimitRange(s). */

/** `kind/namespace/name` of each autoscaled workload → the autoscaler's maximum replicas. */
function autoscalerMaximums(manifests: readonly Manifest[]): Map<string, number> {
  const found = new Map<string, number>();
  for (const manifest of manifests) {
    if (manifest.kind !== 'HorizontalPodAutoscaler') continue;
    const spec = specOf(manifest) as { scaleTargetRef?: { kind?: string; name?: string }; maxReplicas?: number };
    if (spec.scaleTargetRef?.kind && spec.maxReplicas) {
      found.set(`${spec.scaleTargetRef.kind}/${manifest.metadata.namespace}/${spec.scaleTargetRef.name}`, spec.maxReplicas);
    }
  }
  return found;
}
