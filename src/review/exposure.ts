import type { Manifest } from '../synth/manifest';
import { selectorMatches } from '../validation/network-policy';
import { apiGroup, specOf } from './placed-manifest';
import type { Workload } from './workloads';

/** `namespace/Kind/name`: how the review names a workload across tables, flows and the diagram. */
export function workloadId(workload: Pick<Workload, 'namespace' | 'kind' | 'name'>): string {
  return `${workload.namespace}/${workload.kind}/${workload.name}`;
}

/** A route through a gateway: the hostnames it answers and the workloads behind it. */
export interface ExposedRoute {
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly hostnames: readonly string[];
  /** Gateways it attaches to, `namespace/name`. */
  readonly gateways: readonly string[];
  /** Workload ids behind its backend Services. */
  readonly workloads: readonly string[];
}

/** A Service of type LoadBalancer: each takes one address from the pool or the cloud. */
export interface LoadBalancedService {
  readonly name: string;
  readonly namespace: string;
  readonly ports: readonly string[];
  readonly workloads: readonly string[];
}

const ROUTE_KINDS = new Set(['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute']);

function servedBy(service: Manifest | undefined, workloads: readonly Workload[]): string[] {
  const selector = specOf(service ?? ({} as Manifest)).selector as Record<string, string> | undefined;
  if (!service || !selector || Object.keys(selector).length === 0) return [];
  return workloads
    .filter((w) => w.namespace === service.metadata.namespace && selectorMatches({ matchLabels: selector }, w.podLabels))
    .map(workloadId);
}

function serviceNamed(manifests: readonly Manifest[], namespace: string, name: string): Manifest | undefined {
  return manifests.find((m) => m.kind === 'Service' && apiGroup(m) === '' && m.metadata.namespace === namespace && m.metadata.name === name);
}

export function exposedRoutes(manifests: readonly Manifest[], workloads: readonly Workload[]): ExposedRoute[] {
  return manifests
    .filter((m) => ROUTE_KINDS.has(m.kind) && apiGroup(m) === 'gateway.networking.k8s.io')
    .map((route) => {
      const namespace = route.metadata.namespace ?? '';
      const spec = specOf(route) as {
        hostnames?: string[];
        parentRefs?: { name: string; namespace?: string; sectionName?: string }[];
        rules?: { backendRefs?: { name: string; namespace?: string; kind?: string }[] }[];
      };
      const backends = (spec.rules ?? []).flatMap((rule) => rule.backendRefs ?? []).filter((ref) => (ref.kind ?? 'Service') === 'Service');
      return {
        kind: route.kind,
        name: route.metadata.name,
        namespace,
        hostnames: spec.hostnames ?? [],
        gateways: (spec.parentRefs ?? []).map((ref) => `${ref.namespace ?? namespace}/${ref.name}`),
        workloads: [...new Set(backends.flatMap((ref) => servedBy(serviceNamed(manifests, ref.namespace ?? namespace, ref.name), workloads)))].sort(),
      };
    });
}

export function loadBalancedServices(manifests: readonly Manifest[], workloads: readonly Workload[]): LoadBalancedService[] {
  return manifests
    .filter((m) => m.kind === 'Service' && apiGroup(m) === '' && specOf(m).type === 'LoadBalancer')
    .map((service) => ({
      name: service.metadata.name,
      namespace: service.metadata.namespace ?? '',
      ports: ((specOf(service).ports ?? []) as { port: number; protocol?: string }[]).map((p) => `${p.protocol ?? 'TCP'} ${p.port}`),
      workloads: servedBy(service, workloads),
    }));
}
