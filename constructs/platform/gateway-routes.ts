import { ApiObject } from 'cdk8s';
import type { IConstruct } from 'constructs';
import { podsIn, type TrafficRule } from '../baseline/allow-traffic';
import { NAMESPACE_NAME_LABEL } from '../baseline/allow-traffic';

/**
 * What the routes attached to one Gateway need from it, read from the whole construct tree when
 * manifests are rendered: the host names its certificate must cover and the backend pods (with
 * their ports) its proxies must be allowed to reach. Routes are written by the layers above the
 * platform; reading them here keeps the gateway exactly as open as its routes, with no list to
 * maintain by hand.
 */

interface ParentRef {
  readonly name: string;
  readonly namespace?: string;
  readonly sectionName?: string;
}

interface BackendRef {
  readonly name: string;
  readonly namespace?: string;
  readonly port?: number;
  readonly kind?: string;
}

interface RouteJson {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
  readonly spec?: {
    readonly parentRefs?: readonly ParentRef[];
    readonly hostnames?: readonly string[];
    readonly rules?: readonly { readonly backendRefs?: readonly BackendRef[] }[];
  };
}

interface ServiceJson {
  readonly metadata: { readonly name: string; readonly namespace?: string };
  readonly spec?: {
    readonly selector?: Readonly<Record<string, string>>;
    readonly ports?: readonly { readonly port: number; readonly targetPort?: number | string }[];
  };
}

const ROUTE_KINDS = new Set(['HTTPRoute', 'GRPCRoute', 'TLSRoute']);

function apiObjects(root: IConstruct): ApiObject[] {
  return root.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject);
}

function routesOf(root: IConstruct, gateway: { name: string; namespace: string }): RouteJson[] {
  return apiObjects(root)
    .filter((o) => ROUTE_KINDS.has(o.kind) && o.apiVersion.startsWith('gateway.networking.k8s.io/'))
    .map((o) => o.toJson() as RouteJson)
    .filter((route) =>
      (route.spec?.parentRefs ?? []).some((ref) => ref.name === gateway.name && (ref.namespace ?? route.metadata.namespace) === gateway.namespace),
    );
}

/**
 * Which namespaces may attach routes to a gateway's listener: exactly those whose routes the kit
 * attaches to it, by their immutable name label; `Same` when there are none. `All` would let any
 * namespace editor publish on the gateway (an admin UI on the internal one, a phishing host on the external one).
 */
export function routeNamespaces(root: IConstruct, gateway: { name: string; namespace: string }, listener: string): Record<string, unknown> {
  const onListener = (route: RouteJson) =>
    (route.spec?.parentRefs ?? []).some((ref) => ref.name === gateway.name && (ref.sectionName ?? listener) === listener);
  const namespaces = [...new Set(routesOf(root, gateway).filter(onListener).map((route) => route.metadata.namespace ?? 'default'))].sort();
  if (namespaces.length === 0) return { from: 'Same' };
  return { from: 'Selector', selector: { matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: 'In', values: namespaces }] } };
}

/** Host names of the routes attached to a gateway (exact names only; wildcards cannot be validated over HTTP-01). */
export function routeHostnames(root: IConstruct, gateway: { name: string; namespace: string }): string[] {
  const names = routesOf(root, gateway).flatMap((route) => route.spec?.hostnames ?? []);
  return [...new Set(names.filter((name) => !name.includes('*')))].sort();
}

/** Egress rules from a gateway's proxies to the pods behind its routes' Services. */
export function routeBackendEgress(root: IConstruct, gateway: { name: string; namespace: string }): TrafficRule[] {
  const services = new Map(
    apiObjects(root)
      .filter((o) => o.kind === 'Service' && o.apiVersion === 'v1')
      .map((o) => o.toJson() as ServiceJson)
      .map((service) => [`${service.metadata.namespace}/${service.metadata.name}`, service]),
  );
  const rules = new Map<string, TrafficRule>();
  for (const route of routesOf(root, gateway)) {
    for (const backend of (route.spec?.rules ?? []).flatMap((rule) => rule.backendRefs ?? [])) {
      if (backend.kind && backend.kind !== 'Service') continue;
      const namespace = backend.namespace ?? route.metadata.namespace ?? 'default';
      const service = services.get(`${namespace}/${backend.name}`);
      const selector = service?.spec?.selector;
      if (!service || !selector) continue;
      const servicePort = (service.spec?.ports ?? []).find((p) => p.port === backend.port) ?? service.spec?.ports?.[0];
      if (!servicePort) continue;
      const port = servicePort.targetPort ?? servicePort.port;
      const rule: TrafficRule = { peers: [podsIn(namespace, selector)], ports: [port] };
      rules.set(JSON.stringify(rule), rule);
    }
  }
  return [...rules.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, rule]) => rule);
}
