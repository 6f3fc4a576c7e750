import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadEnvironment } from '../../constructs/environment/load';
import { buildOutput } from '../../src/pipeline/build-output';
import { reviewBundleFiles } from '../../src/review/write-bundle';
import { capacityBill } from '../../src/review/capacity';
import { sumFigures } from '../../src/review/capacity-figures';
import { placeManifests } from '../../src/review/placed-manifest';
import { podResources } from '../../src/review/pod-resources';
import { collectWorkloads } from '../../src/review/workloads';
import { buildReviewModel } from '../../src/review/review-model';
import { fixtureComponents, fixtureEnvironment, fixtureSubject, fixtureUpstreamCharts } from './fixture';

const Mi = 2 ** 20;
const Gi = 2 ** 30;

describe('the capacity bill of materials', () => {
  const bill = buildReviewModel(fixtureSubject()).capacity;
  const namespace = (name: string) => bill.namespaces.find((ns) => ns.namespace === name)!;

  it('counts containers × replicas, init containers as the scheduler does, sidecars added, and PostgreSQL instances with their plugin sidecar', () => {
    const registry = namespace('bb-registry');
    // api: 2 × max(500m init, 250m + 50m defaulted proxy); cache: 3 × (100m + 50m sidecar); db: 3 × (500m + 50m plugin)
    expect(registry.cpuRequests).toBe(2 * 500 + 3 * 150 + 3 * 550);
    expect(registry.memoryRequests).toBe(2 * 576 * Mi + 3 * 160 * Mi + 3 * 1088 * Mi);
    // limits: the proxy and the database's CPU come from the namespace's LimitRange defaults (500m)
    expect(registry.cpuLimits).toBe(2 * 1500 + 3 * 300 + 3 * 1000);
    expect(registry.memoryLimits).toBe(2 * 1536 * Mi + 3 * 320 * Mi + 3 * 1280 * Mi);
    expect(registry.pods).toBe(2 + 3 + 3);
  });

  it('sums persistent storage by class: claim templates and instance volumes per replica, standalone claims once', () => {
    expect(namespace('bb-registry').storage).toEqual({ '(cluster default)': 1 * Gi, 'govstack-data': 3 * 5 * Gi + 3 * 12 * Gi, standard: 20 * Gi });
  });

  it('counts load-balancer addresses and compares them with the MetalLB pool', () => {
    expect(namespace('xroad').loadBalancers).toBe(1);
    expect(bill.loadBalancer).toEqual({ kind: 'metallb', addressesNeeded: 1, poolSize: 21 });
  });

  it('keeps run-to-completion pods out of the steady totals and plans room for the largest', () => {
    expect(bill.workloads.map((w) => w.name)).not.toContain('registry-seed');
    expect(bill.largestJobPod).toEqual({ workload: 'Job/bb-registry/registry-seed', cpuRequests: 1000, memoryRequests: Gi });
  });

  it('has totals equal to the sums over namespaces, and namespaces equal to the sums over their workloads and claims', () => {
    expect(bill.manifests).toEqual(sumFigures(bill.namespaces.map(({ namespace: _n, quota: _q, ...figures }) => figures)));
    for (const ns of bill.namespaces) {
      const workloads = bill.workloads.filter((w) => w.namespace === ns.namespace);
      expect(ns.cpuRequests).toBe(workloads.reduce((sum, w) => sum + w.cpuRequests, 0));
      expect(ns.pods).toBe(workloads.reduce((sum, w) => sum + w.pods, 0));
    }
    expect(bill.total.cpuRequests).toBe(bill.manifests.cpuRequests + bill.upstreamCharts.cpuRequests);
  });

  it('estimates upstream charts from the resources their values set, and says which values it counted', () => {
    expect(bill.upstreamEstimates).toEqual([
      expect.objectContaining({ release: 'envoy-gateway', cpuRequests: 200, memoryRequests: 512 * Mi, memoryLimits: 2 * Gi, pods: 2, basis: ['deployment.resources ×2'] }),
    ]);
  });

  it('sizes nodes from the environment: replicas that must not share a node set the floor, production adds one spare', () => {
    expect(bill.nodes).toEqual(expect.objectContaining({ byCpu: 1, byMemory: 1, byPods: 1, byDistinctNodes: 3, needed: 3, failureHeadroom: 1, total: 4 }));
    // one log agent per node bought
    expect(namespace('node-agents')).toEqual(expect.objectContaining({ pods: 4, cpuRequests: 400, memoryRequests: 4 * 128 * Mi }));
  });

  it('adds no spare node outside production, and more nodes when the nodes are small', () => {
    const production = fixtureEnvironment();
    const small = { ...production, stage: 'staging' as const, cluster: { ...production.cluster, nodeSize: { cpu: 2, memoryGiB: 4, maxPods: 110 } } };
    const placed = placeManifests(fixtureComponents());
    const nodes = capacityBill(small, placed.map((p) => p.manifest), collectWorkloads(placed), fixtureUpstreamCharts().map((u) => u.props)).nodes;
    expect(nodes.failureHeadroom).toBe(0);
    // registry 3.1 + security server 1 + upstream 0.2 + the largest job 1 = 5.3 cores, on 2 × 0.8 - 0.1 (log agent) = 1.5 per node
    expect(nodes.byCpu).toBe(Math.ceil((3100 + 1000 + 200 + 1000) / 1500));
    expect(nodes.total).toBe(nodes.needed);
  });

  it('checks each namespace against its quota', () => {
    expect(namespace('bb-registry').quota).toEqual(expect.objectContaining({ fits: true, cpuRequests: 6000 }));
    const tight = fixtureComponents().map((c) => ({
      ...c,
      manifests: c.manifests.map((m) => (m.kind === 'ResourceQuota' ? { ...m, spec: { hard: { 'requests.cpu': '2' } } } : m)),
    }));
    const placed = placeManifests(tight);
    const env = fixtureEnvironment();
    const namespaces = capacityBill(env, placed.map((p) => p.manifest), collectWorkloads(placed), []).namespaces;
    expect(namespaces.find((ns) => ns.namespace === 'bb-registry')!.quota!.fits).toBe(false);
  });
});

describe('pod resources', () => {
  it('take the larger of the init phase and the running phase', () => {
    const pod = podResources([{ resources: { requests: { cpu: '100m', memory: '100Mi' } } }], [{ resources: { requests: { cpu: '2', memory: '10Mi' } } }]);
    expect(pod).toEqual(expect.objectContaining({ cpuRequests: 2000, memoryRequests: 100 * Mi }));
  });

  it('use the limit as the request when only a limit is set, and report containers without limits', () => {
    const pod = podResources([{ resources: { limits: { cpu: '300m' } } }], []);
    expect(pod).toEqual(expect.objectContaining({ cpuRequests: 300, cpuLimits: 300, memoryRequests: 0, memoryUnlimited: true, cpuUnlimited: false }));
  });
});

describe('the capacity bill of a shipped production environment (veloria-production, upstream charts rendered with Helm)', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'govstack-capacity-'));
  const [output] = buildOutput([loadEnvironment('veloria-production')], { root });
  const model = buildReviewModel({ synthesis: output, policy: output.policy });
  const bill = model.capacity;
  const row = (id: string) => bill.workloads.find((w) => `${w.kind}/${w.namespace}/${w.name}` === id);
  const RUNS_PODS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Pod'];

  it('counts every pod-running object every upstream release renders, MOSIP\'s and Longhorn\'s included', () => {
    expect(model.upstreamCharts.filter((chart) => !chart.renderedObjects)).toEqual([]);
    const releases = model.upstreamCharts.map((chart) => chart.releaseName);
    expect(releases).toEqual(expect.arrayContaining(['longhorn', 'mosip-idrepo', 'mosip-keymanager', 'kube-prometheus-stack']));
    for (const chart of model.upstreamCharts) {
      for (const object of (chart.renderedObjects ?? []).filter((m) => RUNS_PODS.includes(m.kind))) {
        expect({ release: chart.releaseName, counted: row(`${object.kind}/${object.metadata.namespace}/${object.metadata.name}`) !== undefined }).toEqual({ release: chart.releaseName, counted: true });
      }
    }
    const counted = (release: string) => bill.workloads.filter((w) => w.component === `upstream-${release}`).reduce((sum, w) => sum + w.cpuRequests, 0);
    for (const release of releases.filter((r) => r.startsWith('mosip-'))) expect({ release, cpu: counted(release) > 0 }).toEqual({ release, cpu: true });
  });

  it('counts the pods operators start: Envoy proxies and their load balancers, Prometheus and Alertmanager, Longhorn\'s instance managers and CSI driver', () => {
    expect(row('Gateway/envoy-gateway-system/external')).toEqual(expect.objectContaining({ replicas: 2, cpuRequests: 2 * 100 }));
    expect(Object.values(row('Prometheus/monitoring/kube-prometheus-stack-prometheus')?.storage ?? {}).reduce((sum, size) => sum + size, 0)).toBeGreaterThan(0);
    expect(row('Alertmanager/monitoring/kube-prometheus-stack-alertmanager')?.replicas).toBeGreaterThanOrEqual(1);
    // 12 % of each 16-CPU node's allocatable CPU per instance manager, on every node bought
    expect(row('DaemonSet/longhorn-system/instance-manager')).toEqual(expect.objectContaining({ replicas: bill.nodes.total, cpuRequests: bill.nodes.total * 1920 }));
    expect(row('Deployment/longhorn-system/csi-provisioner')?.replicas).toBe(3);
    // the two X-Road LoadBalancer Services and the two gateways' proxies
    expect(bill.loadBalancer.addressesNeeded).toBe(4);
  });

  it('runs every per-node workload on every node bought, and sizes the nodes with what they take from each', () => {
    const perNode = bill.workloads.filter((w) => w.schedule === 'per-node');
    expect(perNode.map((w) => w.name)).toEqual(expect.arrayContaining(['longhorn-manager', 'instance-manager', 'node-agent', 'metallb-speaker']));
    for (const w of perNode) expect({ workload: w.name, pods: w.replicas }).toEqual({ workload: w.name, pods: bill.nodes.total });
    expect(bill.nodes.perNode.cpuRequests).toBe(perNode.reduce((sum, w) => sum + w.cpuRequests / w.replicas, 0));
    const steadyCpu = bill.total.cpuRequests - bill.nodes.perNode.cpuRequests * bill.nodes.total + (bill.largestJobPod?.cpuRequests ?? 0);
    expect(bill.nodes.byCpu).toBe(Math.ceil(steadyCpu / (16_000 * 0.8 - bill.nodes.perNode.cpuRequests)));
    expect(bill.nodes.total).toBe(bill.nodes.needed + 1);
  });

  it('says in the headline what it counts: every release, and the per-node pods on every node', () => {
    const headline = reviewBundleFiles(model, [], { basis: 'first', changes: [] }).get('REVIEW.md')!.split('\n').find((line) => line.includes('Worker nodes to buy'))!;
    expect(headline).toContain(`Worker nodes to buy: ${bill.nodes.total} of 16 CPU / 64 GiB`);
    expect(headline).toContain(`all ${model.upstreamCharts.length} upstream releases (${model.upstreamCharts.length} as Helm renders them)`);
    expect(headline).toContain(`on each of the ${bill.nodes.total} node(s)`);
    expect(headline).toContain(`in ${bill.total.pods} pods`);
  });
});
