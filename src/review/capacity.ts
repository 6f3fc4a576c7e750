import type { Environment } from '../../constructs/environment/schema';
import type { UpstreamHelmChartProps } from '../../constructs/releases/upstream-helm-chart';
import type { Manifest } from '../synth/manifest';
import { addressCount } from './address-pool';
import { addFigures, sumFigures, ZERO, type CapacityFigures } from './capacity-figures';
import { sizeNodes, type NodeSizing } from './node-sizing';
import type { OperatorWorkloads } from './operator-workloads';
import { bytes, millicores } from '../../constructs/baseline/quantity';
import { apiGroup, specOf } from './placed-manifest';
import { estimateUpstreamChart, type UpstreamEstimate } from './upstream-estimate';
import type { Workload } from './workloads';

export interface NamespaceCapacity extends CapacityFigures {
  readonly namespace: string;
  /** The namespace's ResourceQuota, where the kit sets one, and whether the namespace fits in it. */
  readonly quota?: { readonly cpuRequests?: number; readonly memoryRequests?: number; readonly storage?: number; readonly pods?: number; readonly fits: boolean };
}

export interface WorkloadCapacity extends CapacityFigures {
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly component: string;
  readonly schedule: Workload['schedule'];
  readonly replicas: number;
  readonly replicasNote?: string;
  /** The operator that starts these pods from a custom resource (no object of the manifests runs them). */
  readonly startedBy?: string;
}

export interface CapacityBill {
  readonly environment: string;
  readonly stage: Environment['stage'];
  readonly namespaces: readonly NamespaceCapacity[];
  /** Sum over the kit's own manifests and what the upstream charts render: exact. */
  readonly manifests: CapacityFigures;
  /** Sum over the values of upstream charts that did not render: an estimate (chart defaults for unsized containers are not included). */
  readonly upstreamCharts: CapacityFigures;
  readonly total: CapacityFigures;
  /** The largest run-to-completion pod (Job, CronJob): headroom while it runs, not part of the steady sums. */
  readonly largestJobPod?: { readonly workload: string; readonly cpuRequests: number; readonly memoryRequests: number };
  readonly workloads: readonly WorkloadCapacity[];
  readonly upstreamEstimates: readonly UpstreamEstimate[];
  readonly loadBalancer: { readonly kind: Environment['cluster']['loadBalancer']['kind']; readonly addressesNeeded: number; readonly poolSize?: number };
  readonly nodes: NodeSizing;
}

const DEFAULT_STORAGE_CLASS = '(cluster default)';

function workloadFigures(workload: Workload, pods: number): CapacityFigures {
  const storage: Record<string, number> = {};
  for (const claim of workload.claimsPerPod) {
    const storageClass = claim.storageClass ?? DEFAULT_STORAGE_CLASS;
    storage[storageClass] = (storage[storageClass] ?? 0) + claim.bytes * pods;
  }
  return {
    cpuRequests: workload.perPod.cpuRequests * pods,
    cpuLimits: workload.perPod.cpuLimits * pods,
    memoryRequests: workload.perPod.memoryRequests * pods,
    memoryLimits: workload.perPod.memoryLimits * pods,
    pods,
    storage,
    loadBalancers: 0,
    podsWithoutCpuLimit: workload.perPod.cpuUnlimited ? pods : 0,
    podsWithoutMemoryLimit: workload.perPod.memoryUnlimited ? pods : 0,
  };
}

/** Objects that hold capacity outside workloads: standalone claims and load-balancer Services. */
function objectFigures(manifest: Manifest): CapacityFigures | undefined {
  if (apiGroup(manifest) !== '') return undefined;
  const spec = specOf(manifest);
  if (manifest.kind === 'PersistentVolumeClaim') {
    const size = (spec.resources as { requests?: { storage?: string } } | undefined)?.requests?.storage;
    const storageClass = (spec.storageClassName as string | undefined) ?? DEFAULT_STORAGE_CLASS;
    return { ...ZERO, storage: { [storageClass]: bytes(size ?? 0) } };
  }
  if (manifest.kind === 'Service' && spec.type === 'LoadBalancer') return { ...ZERO, loadBalancers: 1 };
  return undefined;
}

function upstreamFigures(estimate: UpstreamEstimate): CapacityFigures {
  const { cpuRequests, cpuLimits, memoryRequests, memoryLimits, pods } = estimate;
  return { ...ZERO, cpuRequests, cpuLimits, memoryRequests, memoryLimits, pods };
}

/**
 * The capacity bill of materials of one environment: per namespace and in total, then the number
 * of worker nodes of the environment's size that carries it, with one spare in production.
 * `workloads` are the kit's and the rendered charts'; `operated` what operators start from their
 * custom resources; `upstreamCharts` the charts that did not render, estimated from their values.
 */
export function capacityBill(
  env: Environment,
  manifests: readonly Manifest[],
  kitAndChartWorkloads: readonly Workload[],
  upstreamCharts: readonly UpstreamHelmChartProps[],
  operated: OperatorWorkloads = { workloads: [], loadBalancers: [] },
): CapacityBill {
  const workloads = [...kitAndChartWorkloads, ...operated.workloads];
  const steady = workloads.filter((w) => w.schedule === 'replicas');
  const perNodeWorkloads = workloads.filter((w) => w.schedule === 'per-node');
  const jobs = workloads.filter((w) => w.schedule === 'run-to-completion');
  const upstreamEstimates = upstreamCharts.map(estimateUpstreamChart);
  const upstream = sumFigures(upstreamEstimates.map(upstreamFigures));

  const steadyFigures = steady.map((w) => ({ workload: w, figures: workloadFigures(w, w.replicas) }));
  const largestJob = [...jobs].sort((a, b) => b.perPod.cpuRequests - a.perPod.cpuRequests || b.perPod.memoryRequests - a.perPod.memoryRequests)[0];
  const perNode = {
    cpuRequests: perNodeWorkloads.reduce((sum, w) => sum + w.perPod.cpuRequests, 0),
    memoryRequests: perNodeWorkloads.reduce((sum, w) => sum + w.perPod.memoryRequests, 0),
    pods: perNodeWorkloads.length,
  };
  const steadyTotal = addFigures(sumFigures(steadyFigures.map((s) => s.figures)), upstream);
  const nodes = sizeNodes(env, steadyTotal, perNode, largestJob, workloads);

  const workloadRows: WorkloadCapacity[] = [
    ...steadyFigures.map(({ workload, figures }) => ({ workload, figures })),
    ...perNodeWorkloads.map((workload) => ({ workload, figures: workloadFigures(workload, nodes.total) })),
  ].map(({ workload, figures }) => ({
    kind: workload.kind,
    name: workload.name,
    namespace: workload.namespace,
    component: workload.component,
    schedule: workload.schedule,
    replicas: workload.schedule === 'per-node' ? nodes.total : workload.replicas,
    replicasNote: workload.schedule === 'per-node' ? 'one per node' : workload.replicasNote,
    startedBy: workload.startedBy,
    ...figures,
  }));

  const byNamespace = new Map<string, CapacityFigures>();
  const add = (namespace: string, figures: CapacityFigures) => byNamespace.set(namespace, addFigures(byNamespace.get(namespace) ?? ZERO, figures));
  for (const namespace of manifests.filter((m) => m.kind === 'Namespace')) add(namespace.metadata.name, ZERO);
  for (const row of workloadRows) add(row.namespace, row);
  for (const manifest of manifests) {
    const figures = objectFigures(manifest);
    if (figures) add(manifest.metadata.namespace ?? '', figures);
  }
  for (const service of operated.loadBalancers) add(service.namespace, { ...ZERO, loadBalancers: 1 });
  const quotas = resourceQuotas(manifests);
  const jobsByNamespace = (namespace: string) => jobs.filter((j) => j.namespace === namespace).map((j) => workloadFigures(j, j.replicas));
  const namespaces = [...byNamespace.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([namespace, figures]) => ({ namespace, ...figures, quota: quotaCheck(quotas.get(namespace), addFigures(figures, sumFigures(jobsByNamespace(namespace)))) }));
  const kit = sumFigures(namespaces);
  const loadBalancer = env.cluster.loadBalancer;

  return {
    environment: env.name,
    stage: env.stage,
    namespaces,
    manifests: kit,
    upstreamCharts: upstream,
    total: addFigures(kit, upstream),
    largestJobPod: largestJob && {
      workload: `${largestJob.kind}/${largestJob.namespace}/${largestJob.name}`,
      cpuRequests: largestJob.perPod.cpuRequests,
      memoryRequests: largestJob.perPod.memoryRequests,
    },
    workloads: workloadRows.sort((a, b) => `${a.namespace}/${a.kind}/${a.name}`.localeCompare(`${b.namespace}/${b.kind}/${b.name}`)),
    upstreamEstimates,
    loadBalancer: {
      kind: loadBalancer.kind,
      addressesNeeded: kit.loadBalancers,
      poolSize: loadBalancer.kind === 'metallb' ? loadBalancer.addresses.reduce((sum, range) => sum + addressCount(range), 0) : undefined,
    },
    nodes,
  };
}

type Quota = { cpuRequests?: number; memoryRequests?: number; storage?: number; pods?: number };

function resourceQuotas(manifests: readonly Manifest[]): Map<string, Quota> {
  const quotas = new Map<string, Quota>();
  for (const manifest of manifests) {
    if (manifest.kind !== 'ResourceQuota' || apiGroup(manifest) !== '') continue;
    const hard = ((specOf(manifest).hard ?? {}) as Record<string, string | number>);
    const value = (key: string, parse: (q: string | number) => number) => (hard[key] === undefined ? undefined : parse(hard[key]));
    quotas.set(manifest.metadata.namespace ?? '', {
      cpuRequests: value('requests.cpu', millicores),
      memoryRequests: value('requests.memory', bytes),
      storage: value('requests.storage', bytes),
      pods: value('pods', Number),
    });
  }
  return quotas;
}

function quotaCheck(quota: Quota | undefined, use: CapacityFigures): NamespaceCapacity['quota'] {
  if (!quota) return undefined;
  const storage = Object.values(use.storage).reduce((sum, size) => sum + size, 0);
  const within = (limit: number | undefined, used: number) => limit === undefined || used <= limit;
  const fits =
    within(quota.cpuRequests, use.cpuRequests) && within(quota.memoryRequests, use.memoryRequests) && within(quota.storage, storage) && within(quota.pods, use.pods);
  return { ...quota, fits };
}
