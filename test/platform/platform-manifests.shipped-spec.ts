import { ApiObject, App } from 'cdk8s';
import { addPlatformCharts } from '../../charts/platform';
import { KitChart } from '../../charts/kit-chart';
import { BACKUP_CREDENTIALS_LABEL, CLUSTER_ISSUERS, GATEWAY_NAMESPACE, GATEWAYS, PLATFORM_STORE, SECRET_STORE, SECRET_STORE_READER_LABEL } from '../../constructs/platform';
import type { Environment } from '../../constructs/environment/schema';
import type { Manifest } from '../../src/synth/manifest';
import { manifestsOf, synthesizedShipped } from '../support/shipped';

const { results } = synthesizedShipped();
const byEnv = new Map(results.map((result) => [result.env.name, manifestsOf(result)]));
type Json = Record<string, any>;
const find = (env: string, kind: string, name: string): Json | undefined => byEnv.get(env)!.find((m) => m.kind === kind && m.metadata.name === name) as Json;
const all = (env: string, kind: string): Json[] => byEnv.get(env)!.filter((m) => m.kind === kind) as Json[];

describe('the gateways', () => {
  it.each([...byEnv.keys()])('%s has separate internal and external gateways, both HTTPS on the environment\'s domain', (env) => {
    const domain = results.find((r) => r.env.name === env)!.env.domain;
    for (const kind of ['external', 'internal'] as const) {
      const https = find(env, 'Gateway', GATEWAYS[kind].name)!.spec.listeners.find((l: Json) => l.name === GATEWAYS[kind].httpsListener);
      expect(https).toMatchObject({ protocol: 'HTTPS', port: 443, hostname: `*.${domain}`, tls: { mode: 'Terminate' } });
    }
  });

  it('admits routes on each gateway only from the namespaces whose routes the kit attaches to it', () => {
    const admitted = (env: string, gateway: string) => find(env, 'Gateway', gateway)!.spec.listeners[0].allowedRoutes.namespaces;
    const named = (values: string[]) => ({ from: 'Selector', selector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values } ] } });
    expect(admitted('veloria-production', 'external')).toEqual(named(['bb-iam']));
    expect(admitted('veloria-production', 'internal')).toEqual(named(['bb-digital-registries', 'bb-iam', 'bb-registration', 'bb-workflow', 'monitoring']));
    // The ACME listener takes only the redirect and the solvers' routes, from the gateway's own namespace.
    expect(find('marenland-staging', 'Gateway', 'external')!.spec.listeners[1].allowedRoutes).toEqual({ namespaces: { from: 'Same' } });
  });

  it('publishes admin UIs (Grafana) on the internal gateway only', () => {
    for (const env of byEnv.keys()) {
      const grafana = find(env, 'HTTPRoute', 'grafana')!;
      expect(grafana.spec.parentRefs).toEqual([{ name: 'internal', namespace: GATEWAY_NAMESPACE, sectionName: 'https' }]);
    }
  });

  it('lets only the administrations\' networks reach the internal gateway, and gives MetalLB Services no node ports', () => {
    const service = find('veloria-production', 'EnvoyProxy', 'internal')!.spec.provider.kubernetes.envoyService;
    expect(service).toEqual({ type: 'LoadBalancer', allocateLoadBalancerNodePorts: false, annotations: {}, loadBalancerSourceRanges: ['10.40.16.0/20'] });
    expect(find('veloria-production', 'NetworkPolicy', 'allow-internal-clients')!.spec.ingress[0].from).toEqual([{ ipBlock: { cidr: '10.40.16.0/20' } }]);
  });

  it('opens plain HTTP only on the external gateway of an ACME environment, for challenges and a redirect', () => {
    expect(find('marenland-staging', 'Gateway', 'external')!.spec.listeners.map((l: Json) => l.protocol)).toEqual(['HTTPS', 'HTTP']);
    expect(find('marenland-staging', 'HTTPRoute', 'https-redirect')!.spec.rules[0].filters[0].requestRedirect).toEqual({ scheme: 'https', statusCode: 301 });
    expect(find('veloria-production', 'Gateway', 'external')!.spec.listeners).toHaveLength(1);
  });
});

describe('certificates follow the TLS mode', () => {
  it('on-prem with an internal CA: the country\'s CA issues everything, no ACME', () => {
    expect(find('veloria-production', 'ClusterIssuer', CLUSTER_ISSUERS.internal.name)!.spec).toEqual({ ca: { secretName: 'veloria-national-ca' } });
    expect(find('veloria-production', 'ClusterIssuer', CLUSTER_ISSUERS.acme.name)).toBeUndefined();
  });

  it('cloud with ACME: HTTP-01 answered through the external gateway by a ClusterIP solver, internal names from a CA the kit creates', () => {
    const solver = find('marenland-staging', 'ClusterIssuer', CLUSTER_ISSUERS.acme.name)!.spec.acme.solvers[0].http01.gatewayHTTPRoute;
    expect(solver).toMatchObject({ serviceType: 'ClusterIP', parentRefs: [expect.objectContaining({ name: 'external', sectionName: 'http' })] });
    expect(find('marenland-staging', 'Certificate', 'govstack-internal-ca')!.spec).toMatchObject({ isCA: true, issuerRef: { name: 'govstack-selfsigned' } });
    expect(find('marenland-staging', 'Certificate', 'external-gateway-tls')!.spec.issuerRef.name).toBe(CLUSTER_ISSUERS.acme.name);
    expect(find('marenland-staging', 'Certificate', 'internal-gateway-tls')!.spec.issuerRef.name).toBe(CLUSTER_ISSUERS.internal.name);
  });
});

describe('load balancing and backups', () => {
  it('gives MetalLB the environment\'s address pool on-prem, and nothing on the cloud', () => {
    expect(find('veloria-production', 'IPAddressPool', 'govstack')!.spec).toEqual({ addresses: ['10.40.8.10-10.40.8.30'] });
    expect(all('marenland-staging', 'IPAddressPool')).toEqual([]);
  });

  it('schedules backups of objects and volumes that outlive their schedule, as often and as long as the stage asks', () => {
    expect(find('veloria-production', 'Schedule', 'cluster-daily')!.spec).toMatchObject({
      schedule: '0 */6 * * *',
      useOwnerReferencesInBackup: false,
      template: { ttl: '840h0m0s', defaultVolumesToFsBackup: true, snapshotVolumes: false },
    });
    expect(find('marenland-staging', 'Schedule', 'cluster-daily')!.spec).toMatchObject({ schedule: '0 2 * * *', template: { ttl: '336h0m0s' } });
    expect(find('sandbox', 'Schedule', 'cluster-daily')).toBeUndefined();
  });

  it('gives Velero its own key from the secret store, and shares no key between namespaces', () => {
    expect(all('veloria-production', 'ClusterExternalSecret')).toEqual([]);
    const velero = find('veloria-production', 'ExternalSecret', 'velero-object-store')!;
    expect(velero.metadata.namespace).toBe('velero');
    expect(velero.spec.data.map((d: Json) => d.remoteRef.key)).toEqual(['backup-velero', 'backup-velero']);
    expect(find('veloria-production', 'Namespace', 'velero')!.metadata.labels).toMatchObject(BACKUP_CREDENTIALS_LABEL);
  });

  it('lets Velero reach the off-cluster target only at its addresses', () => {
    const egress = all('veloria-production', 'NetworkPolicy').filter((p) => p.metadata.namespace === 'velero').flatMap((p) => p.spec.egress ?? []);
    expect(egress).toContainEqual({ ports: [{ port: 443, protocol: 'TCP' }], to: [{ ipBlock: { cidr: '10.50.4.0/27' } }] });
    expect(JSON.stringify(egress)).not.toContain('0.0.0.0/0');
  });
});

describe('egress to addresses outside the cluster', () => {
  it.each([...byEnv.keys()])('%s never reaches the cloud metadata service, even where a pod may reach anywhere (ACME, X-Road peers, a cloud object store)', (env) => {
    const blocks = all(env, 'NetworkPolicy').flatMap((policy) => (policy.spec.egress ?? []).flatMap((rule: Json) => (rule.to ?? []).map((peer: Json) => peer.ipBlock))).filter(Boolean);
    const anywhere = blocks.filter((block: Json) => block.cidr === '0.0.0.0/0');
    expect(anywhere.length).toBeGreaterThan(0);
    expect(anywhere.filter((block: Json) => !(block.except ?? []).includes('169.254.169.254/32'))).toEqual([]);
  });
});

describe('the secret stores', () => {
  /** Namespaces of the ExternalSecrets that read from a store. */
  const readersOf = (env: string, store: string) =>
    [...new Set(all(env, 'ExternalSecret').filter((es) => es.spec.secretStoreRef?.name === store).map((es) => es.metadata.namespace as string))].sort();

  it('serve the platform\'s own secrets (every namespace\'s backup key) only to the namespaces whose ExternalSecrets read them, and the one they are kept in', () => {
    for (const env of ['veloria-production', 'marenland-staging']) {
      const readers = readersOf(env, PLATFORM_STORE.name);
      expect(readers).toEqual(expect.arrayContaining(['bb-iam', 'logging', 'velero', 'xroad']));
      expect(find(env, PLATFORM_STORE.kind, PLATFORM_STORE.name)!.spec.conditions).toEqual([{ namespaces: [...new Set(['govstack-secrets', ...readers])].sort() }]);
    }
    // Nothing reads them in the sandbox: only the namespace they are kept in.
    expect(find('sandbox', PLATFORM_STORE.kind, PLATFORM_STORE.name)!.spec.conditions).toEqual([{ namespaces: ['govstack-secrets'] }]);
  });

  it.each([...byEnv.keys()])('%s serves the country\'s secrets only to the namespaces whose ExternalSecrets read them and those the platform labels as readers', (env) => {
    const readers = readersOf(env, SECRET_STORE.name);
    // Consent's Keycloak account is the country's, where consent runs.
    expect(readers).toEqual(find(env, 'Namespace', 'bb-consent') ? ['bb-consent'] : []);
    expect(find(env, SECRET_STORE.kind, SECRET_STORE.name)!.spec.conditions).toEqual([
      ...(readers.length > 0 ? [{ namespaces: readers }] : []),
      { namespaceSelector: { matchLabels: SECRET_STORE_READER_LABEL } },
    ]);
  });
});

describe('namespaces sized from the environment', () => {
  it('sizes quotas by the profile and limits one container to a node', () => {
    const quota = (env: string, ns: string) => (byEnv.get(env)!.find((m) => m.kind === 'ResourceQuota' && m.metadata.namespace === ns) as Json).spec.hard;
    expect(quota('sandbox', 'cert-manager')).toMatchObject({ 'requests.cpu': '1', 'requests.memory': '2Gi', pods: 10 });
    expect(quota('veloria-production', 'cert-manager')).toMatchObject({ 'requests.cpu': '2', 'requests.memory': '4Gi', pods: 20 });
    const limits = byEnv.get('veloria-production')!.find((m) => m.kind === 'LimitRange' && m.metadata.namespace === 'monitoring') as Json;
    expect(limits.spec.limits[0].max).toEqual({ cpu: '16', memory: '64Gi' });
  });
});

describe('what other layers attach to the gateways', () => {
  function render(env: Environment, route: { host: string; gateway: 'external' | 'internal' }): Manifest[] {
    const app = new App();
    addPlatformCharts(app, env);
    const chart = new KitChart(app, { layer: 'building-blocks', component: 'demo', releaseNamespace: 'bb-demo' });
    new ApiObject(chart, 'Service', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'demo', namespace: 'bb-demo' },
      spec: { selector: { app: 'demo' }, ports: [{ port: 80, targetPort: 8080 }] },
    });
    new ApiObject(chart, 'Route', {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'demo', namespace: 'bb-demo' },
      spec: {
        parentRefs: [{ name: GATEWAYS[route.gateway].name, namespace: GATEWAY_NAMESPACE, sectionName: 'https' }],
        hostnames: [`${route.host}.${env.domain}`],
        rules: [{ backendRefs: [{ name: 'demo', port: 80 }] }],
      },
    });
    return app.charts.flatMap((c) => c.toJson()) as Manifest[];
  }

  it('lets a gateway\'s proxies reach exactly the pods and port behind the routes attached to it', () => {
    const env = results.find((r) => r.env.name === 'marenland-staging')!.env;
    const manifests = render(env, { host: 'registry', gateway: 'external' });
    const egress = (name: string) => (manifests.find((m) => m.kind === 'NetworkPolicy' && m.metadata.name === name) as Json).spec.egress;
    expect(egress('allow-external-backends')).toEqual([
      {
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'bb-demo' } }, podSelector: { matchLabels: { app: 'demo' } } }],
        ports: [{ protocol: 'TCP', port: 8080 }],
      },
    ]);
    expect(egress('allow-internal-backends')).toEqual([]);
    const certificate = manifests.find((m) => m.kind === 'Certificate' && m.metadata.name === 'external-gateway-tls') as Json;
    expect(certificate.spec.dnsNames).toEqual([env.domain, `registry.${env.domain}`]);
  });
});

describe('the admission policies (Kyverno, on-prem production)', () => {
  const rule = (policy: string, name: string): Json => find('veloria-production', 'ClusterPolicy', policy)!.spec.rules.find((r: Json) => r.name === name);
  const excluded = (policy: string, name: string): string[] => rule(policy, name).exclude.any.flatMap((e: Json) => e.resources.namespaces);

  it('require requests and limits on pods in every namespace but the system ones, after their LimitRange defaults', () => {
    expect(excluded('govstack-resources', 'requests-and-limits')).toEqual(['kube-system', 'kyverno']);
    // Not on pod controllers (Kyverno's autogen): their templates never get the LimitRange's defaults,
    // so Longhorn's unsized driver deployer, UI and hook jobs would be rejected before their pods exist.
    expect(find('veloria-production', 'ClusterPolicy', 'govstack-resources')!.metadata.annotations['pod-policies.kyverno.io/autogen-controllers']).toBe('none');
  });

  it('check images in every namespace but the system ones', () => {
    expect(excluded('govstack-images', 'registries')).toEqual(['kube-system', 'kyverno']);
  });
});
