import type { UpstreamHelmChartProps } from '../../constructs/releases/upstream-helm-chart';
import { limitRangeDefaults, type ContainerDefaults } from '../policy/limit-range';
import type { Manifest } from '../synth/manifest';
import { podResources } from './pod-resources';
import { bytes } from '../../constructs/baseline/quantity';
import { apiGroup, specOf, type PlacedManifest } from './placed-manifest';
import type { ContainerSpec, VolumeClaim, Workload } from './workloads';

/**
 * Pods that operators start from custom resources the kit or an upstream chart declares. No
 * Deployment in the manifests names them, yet they run on the nodes being bought: Envoy Gateway's
 * proxies for each Gateway (and their LoadBalancer Service), the Prometheus operator's
 * Prometheus and Alertmanager StatefulSets with their config-reloader sidecar, and Longhorn's
 * instance managers, CSI driver and engine image.
 */
export interface OperatorWorkloads {
  readonly workloads: readonly Workload[];
  /** Services of type LoadBalancer the operators create, by namespace. */
  readonly loadBalancers: readonly { readonly namespace: string; readonly name: string }[];
}

type Resources = ContainerSpec['resources'];

interface EnvoyProxySpec {
  readonly provider?: {
    readonly kubernetes?: {
      readonly envoyDeployment?: { readonly replicas?: number; readonly container?: { readonly image?: string; readonly resources?: Resources } };
      readonly envoyService?: { readonly type?: string };
    };
  };
}

interface MonitoringSpec {
  readonly replicas?: number;
  readonly shards?: number;
  readonly image?: string;
  readonly resources?: Resources;
  readonly storage?: { readonly volumeClaimTemplate?: { readonly metadata?: { readonly name?: string }; readonly spec?: { readonly storageClassName?: string; readonly resources?: { readonly requests?: { readonly storage?: string } } } } };
}

/** The Prometheus operator's defaults for the config-reloader sidecar, unless its Deployment's arguments say otherwise. */
const RELOADER_DEFAULTS = { cpu: '10m', memory: '50Mi' };
/** Envoy Gateway gives a proxy's Service this type when its EnvoyProxy names none. */
const DEFAULT_ENVOY_SERVICE_TYPE = 'LoadBalancer';

export function operatorWorkloads(placed: readonly PlacedManifest[], upstreamCharts: readonly UpstreamHelmChartProps[], nodeCpuCores: number): OperatorWorkloads {
  const manifests = placed.map((p) => p.manifest);
  const defaults = limitRangeDefaults(manifests);
  const workloads: Workload[] = upstreamCharts
    .filter((chart) => chart.chart === 'longhorn')
    .flatMap((chart) => longhornWorkloads(chart, nodeCpuCores, defaults.get(chart.namespace)));
  const loadBalancers: { namespace: string; name: string }[] = [];
  const base = (manifest: Manifest, component: string) => ({
    namespace: manifest.metadata.namespace ?? '',
    component,
    schedule: 'replicas' as const,
    podLabels: {},
    ports: [],
    requiresDistinctNodes: false,
  });

  for (const { component, manifest } of placed) {
    if (manifest.kind === 'Gateway' && apiGroup(manifest) === 'gateway.networking.k8s.io') {
      const ref = (specOf(manifest).infrastructure as { parametersRef?: { kind?: string; name?: string } } | undefined)?.parametersRef;
      const proxy = ref?.kind === 'EnvoyProxy' ? manifests.find((m) => m.kind === 'EnvoyProxy' && m.metadata.namespace === manifest.metadata.namespace && m.metadata.name === ref.name) : undefined;
      const kubernetes = (specOf(proxy ?? ({} as Manifest)) as EnvoyProxySpec).provider?.kubernetes;
      const deployment = kubernetes?.envoyDeployment;
      const namespace = manifest.metadata.namespace ?? '';
      workloads.push({
        ...base(manifest, component),
        kind: 'Gateway',
        name: manifest.metadata.name,
        replicas: deployment?.replicas ?? 1,
        replicasNote: `Envoy proxies Envoy Gateway runs for it${proxy ? ` (EnvoyProxy ${proxy.metadata.name})` : ''}`,
        startedBy: 'Envoy Gateway',
        perPod: podResources([{ resources: deployment?.container?.resources }], [], defaults.get(namespace)),
        claimsPerPod: [],
        images: deployment?.container?.image ? [deployment.container.image] : [],
      });
      if ((kubernetes?.envoyService?.type ?? DEFAULT_ENVOY_SERVICE_TYPE) === 'LoadBalancer') loadBalancers.push({ namespace, name: manifest.metadata.name });
    }
    if ((manifest.kind === 'Prometheus' || manifest.kind === 'Alertmanager') && apiGroup(manifest) === 'monitoring.coreos.com') {
      const spec = specOf(manifest) as MonitoringSpec;
      const claim = spec.storage?.volumeClaimTemplate;
      const claims: VolumeClaim[] = claim
        ? [{ name: claim.metadata?.name ?? 'data', storageClass: claim.spec?.storageClassName, bytes: bytes(claim.spec?.resources?.requests?.storage ?? 0) }]
        : [];
      const reloader = { resources: reloaderResources(manifests) };
      workloads.push({
        ...base(manifest, component),
        kind: manifest.kind,
        name: manifest.metadata.name,
        replicas: (spec.replicas ?? 1) * (spec.shards ?? 1),
        replicasNote: 'pods the Prometheus operator runs',
        startedBy: 'the Prometheus operator',
        perPod: podResources([{ resources: spec.resources }, reloader], [], defaults.get(manifest.metadata.namespace ?? '')),
        claimsPerPod: claims,
        images: spec.image ? [spec.image] : [],
      });
    }
  }
  return { workloads, loadBalancers };
}

/** The config-reloader's requests and limits as the operator's Deployment sets them (`--config-reloader-cpu-request=…`). */
function reloaderResources(manifests: readonly Manifest[]): Resources {
  const args = manifests.flatMap((m) => {
    if (m.kind !== 'Deployment') return [];
    const containers = ((specOf(m).template as { spec?: { containers?: { args?: string[] }[] } } | undefined)?.spec?.containers ?? []);
    return containers.flatMap((c) => c.args ?? []);
  });
  const arg = (name: string) => args.find((a) => a.startsWith(`--config-reloader-${name}=`))?.split('=')[1];
  return {
    requests: { cpu: arg('cpu-request') ?? RELOADER_DEFAULTS.cpu, memory: arg('memory-request') ?? RELOADER_DEFAULTS.memory },
    limits: { cpu: arg('cpu-limit') ?? RELOADER_DEFAULTS.cpu, memory: arg('memory-limit') ?? RELOADER_DEFAULTS.memory },
  };
}

/** Longhorn's default share of each node's allocatable CPU reserved per instance manager (V1 data engine), in percent. */
const LONGHORN_INSTANCE_MANAGER_CPU_PERCENT = 12;
/** Replicas of each CSI sidecar Deployment when the chart's values name none. */
const LONGHORN_CSI_REPLICAS = 3;
const LONGHORN_CSI_DEPLOYMENTS = ['attacher', 'provisioner', 'resizer', 'snapshotter'] as const;

/**
 * The pods longhorn-manager and its driver deployer start once the chart is installed: on every
 * node an instance manager (holding `guaranteedInstanceManagerCPU` percent of the node's CPU),
 * the CSI plugin and the engine image; and the CSI sidecar Deployments. Their containers state
 * no memory, so the namespace's LimitRange defaults apply as the API server applies them.
 */
function longhornWorkloads(release: UpstreamHelmChartProps, nodeCpuCores: number, defaults: ContainerDefaults | undefined): Workload[] {
  const values = release.values as { defaultSettings?: { guaranteedInstanceManagerCPU?: unknown }; csi?: Record<string, unknown> };
  const percent = instanceManagerCpuPercent(values.defaultSettings?.guaranteedInstanceManagerCPU);
  const note = 'started by longhorn-manager';
  const workload = (kind: string, name: string, schedule: Workload['schedule'], replicas: number, containers: ContainerSpec[]): Workload => ({
    kind,
    name,
    namespace: release.namespace,
    component: `upstream-${release.releaseName}`,
    schedule,
    replicas,
    replicasNote: note,
    startedBy: 'longhorn-manager',
    perPod: podResources(containers, [], defaults),
    claimsPerPod: [],
    images: [],
    podLabels: {},
    ports: [],
    requiresDistinctNodes: false,
  });
  const unsized: ContainerSpec = {};
  return [
    workload('DaemonSet', 'instance-manager', 'per-node', 1, [{ resources: { requests: { cpu: `${Math.round(nodeCpuCores * 10 * percent)}m` } } }]),
    workload('DaemonSet', 'longhorn-csi-plugin', 'per-node', 1, [unsized, unsized, unsized]),
    workload('DaemonSet', 'engine-image', 'per-node', 1, [unsized]),
    ...LONGHORN_CSI_DEPLOYMENTS.map((name) => {
      const replicas = values.csi?.[`${name}ReplicaCount`];
      return workload('Deployment', `csi-${name}`, 'replicas', typeof replicas === 'number' ? replicas : LONGHORN_CSI_REPLICAS, [unsized]);
    }),
  ];
}

/** The setting as a number (`12`), a string (`"12"`) or per data engine (`{"v1":"12","v2":"12"}`, the V1 engine's counts). */
function instanceManagerCpuPercent(setting: unknown): number {
  if (setting === undefined || setting === null) return LONGHORN_INSTANCE_MANAGER_CPU_PERCENT;
  const text = typeof setting === 'string' ? setting : JSON.stringify(setting);
  const parsed = text.trim().startsWith('{') ? (JSON.parse(text) as { v1?: string | number }).v1 : text;
  const percent = Number(parsed);
  return Number.isFinite(percent) ? percent : LONGHORN_INSTANCE_MANAGER_CPU_PERCENT;
}
