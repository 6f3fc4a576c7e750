import type { Manifest } from '../../synth/manifest';
import type { ContainerPort, Labels } from './types';
import { CNPG_INSTANCE_PORTS, cloudNativePgInstanceLabels, isCloudNativePgCluster } from '../../../constructs/data/cloudnative-pg';

/** The container fields that say which ports a pod listens on. */
interface ContainerWithPorts {
  readonly ports?: readonly { readonly name?: string; readonly containerPort: number; readonly protocol?: string }[];
}

/** The pod spec fields that say which ports a pod listens on. */
export interface PodSpecWithPorts {
  readonly containers?: readonly ContainerWithPorts[];
  readonly initContainers?: readonly ContainerWithPorts[];
  readonly ephemeralContainers?: readonly ContainerWithPorts[];
}

/** A pod template as workload kinds carry it; `Spec` names the spec fields a caller reads. */
export interface PodTemplate<Spec = PodSpecWithPorts> {
  readonly metadata?: { readonly labels?: Labels };
  readonly spec?: Spec;
}

/**
 * Where each workload kind keeps the template of its pods (a Pod is its own template). Manifests are
 * plain JSON, so the template's shape is taken on trust as `Spec`.
 */
export function podTemplateOf<Spec = PodSpecWithPorts>(manifest: Manifest): PodTemplate<Spec> | undefined {
  const spec = manifest.spec as { template?: PodTemplate<Spec>; jobTemplate?: { spec?: { template?: PodTemplate<Spec> } } } | undefined;
  switch (manifest.kind) {
    case 'Pod':
      return { metadata: manifest.metadata, spec: manifest.spec as Spec };
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'ReplicationController':
    case 'Job':
      return spec?.template;
    case 'CronJob':
      return spec?.jobTemplate?.spec?.template;
    default:
      return undefined;
  }
}

/** Every port the pod's containers declare (sidecars and init containers included). */
export function containerPortsOf(spec: PodSpecWithPorts | undefined): ContainerPort[] {
  const containers = [...(spec?.containers ?? []), ...(spec?.initContainers ?? []), ...(spec?.ephemeralContainers ?? [])];
  return containers.flatMap((c) => (c.ports ?? []).map((p) => ({ name: p.name, port: p.containerPort, protocol: p.protocol ?? 'TCP' })));
}

/**
 * The instance pods CloudNativePG runs for a Cluster. They never appear as a template, yet
 * NetworkPolicies name them: the operator labels them `cnpg.io/cluster: <name>` and
 * `cnpg.io/podRole: instance`, and serves PostgreSQL, its status endpoint and metrics on them.
 */
export function cloudNativePgInstancePod(cluster: Manifest): { readonly labels: Labels; readonly ports: readonly ContainerPort[] } {
  return {
    labels: cloudNativePgInstanceLabels(cluster.metadata.name),
    ports: [
      { name: 'postgresql', port: CNPG_INSTANCE_PORTS.postgres, protocol: 'TCP' },
      { name: 'status', port: CNPG_INSTANCE_PORTS.status, protocol: 'TCP' },
      { name: 'metrics', port: CNPG_INSTANCE_PORTS.metrics, protocol: 'TCP' },
    ],
  };
}

/** A pod as a workload template (or an operator's custom resource) describes it. */
export interface PodEndpoint {
  readonly kind: 'pod';
  /** `Kind/namespace/name` of the workload that runs the pod, e.g. `Deployment/xroad/ss-a`. */
  readonly workload: string;
  readonly namespace: string;
  readonly labels: Labels;
  readonly ports: readonly ContainerPort[];
}

/** Every pod the manifests would run, one per workload (replicas share labels, so one stands for all). */
export function podsOf(manifests: readonly Manifest[]): PodEndpoint[] {
  const pods: PodEndpoint[] = [];
  for (const manifest of manifests) {
    const namespace = manifest.metadata.namespace ?? 'default';
    const workload = `${manifest.kind}/${namespace}/${manifest.metadata.name}`;
    if (isCloudNativePgCluster(manifest)) {
      pods.push({ kind: 'pod', workload, namespace, ...cloudNativePgInstancePod(manifest) });
      continue;
    }
    const template = podTemplateOf(manifest);
    if (template) pods.push({ kind: 'pod', workload, namespace, labels: { ...template.metadata?.labels }, ports: containerPortsOf(template.spec) });
  }
  return pods;
}
