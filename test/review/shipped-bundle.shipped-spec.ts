import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { buildingBlockNamespace } from '../../constructs/information-mediator/contract';
import type { CapacityBill } from '../../src/review/capacity';
import { splitImageReference, upstreamImage } from '../../src/review/offline';
import type { Manifest } from '../../src/synth/manifest';
import { manifestsOf, synthesizedShipped } from '../support/shipped';

/** The image of every container, wherever it sits in a core or batch object, and each PostgreSQL cluster's image. */
function imagesIn(manifests: readonly Manifest[]): Set<string> {
  const found = new Set<string>();
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (value === null || typeof value !== 'object') return;
    for (const [key, child] of Object.entries(value)) {
      if (['containers', 'initContainers', 'ephemeralContainers'].includes(key) && Array.isArray(child)) {
        for (const container of child as { image?: string }[]) if (container.image) found.add(container.image);
      } else walk(child);
    }
  };
  for (const m of manifests) {
    if (['v1', 'apps/v1', 'batch/v1'].includes(m.apiVersion)) walk(m);
    const imageName = (m.spec as { imageName?: string } | undefined)?.imageName;
    if (m.kind === 'Cluster' && m.apiVersion.startsWith('postgresql.cnpg.io/') && imageName) found.add(imageName);
  }
  return found;
}

/** Pods that run continuously, counted straight from the objects. */
function steadyPods(manifests: readonly Manifest[], nodes: number): number {
  return manifests.reduce((sum, m) => {
    const spec = (m.spec ?? {}) as { replicas?: number; instances?: number };
    if (['Deployment', 'StatefulSet', 'ReplicaSet'].includes(m.kind)) return sum + (spec.replicas ?? 1);
    if (m.kind === 'Cluster' && m.apiVersion.startsWith('postgresql.cnpg.io/')) return sum + (spec.instances ?? 1);
    if (m.kind === 'DaemonSet') return sum + nodes;
    return m.kind === 'Pod' ? sum + 1 : sum;
  }, 0);
}

describe('the review bundle of each shipped environment', () => {
  const { root, results } = synthesizedShipped();

  describe.each(results.map((r) => [r.env.name, r] as const))('%s', (name, result) => {
    const dist = path.join(root, 'dist', name);
    const read = (file: string) => readFileSync(path.join(dist, file), 'utf8');
    const manifests = manifestsOf(result);
    const review = read('REVIEW.md');
    const capacity = JSON.parse(read('capacity.json')) as CapacityBill;

    it('lists in images.txt exactly the images of the manifests and of the upstream charts, sorted, once each', () => {
      const expected = new Set(imagesIn(manifests));
      for (const chart of result.assembly.upstreamCharts) for (const image of chart.props.images) expected.add(upstreamImage(result.env, image));
      expect(read('images.txt')).toBe([...expected].sort().map((image) => `${image}\n`).join(''));
      for (const image of expected) expect(review).toContain(splitImageReference(image).repository);
    });

    it('lists in charts.txt every upstream chart with its repository and version', () => {
      const expected = [...new Set(result.assembly.upstreamCharts.map(({ props }) => `${props.repository} ${props.chart} ${props.version}\n`))].sort();
      expect(read('charts.txt')).toBe(expected.join(''));
    });

    it('has capacity totals that are the sums over the namespaces and upstream charts, and pods counted from the objects (the kit\'s and what the charts render)', () => {
      const counted = [...manifests, ...result.rendered.flatMap((release) => release.objects)];
      const sum = (field: 'cpuRequests' | 'memoryRequests' | 'cpuLimits' | 'memoryLimits' | 'pods' | 'loadBalancers') =>
        capacity.namespaces.reduce((total, ns) => total + ns[field], 0);
      for (const field of ['cpuRequests', 'memoryRequests', 'cpuLimits', 'memoryLimits', 'pods', 'loadBalancers'] as const) {
        expect(capacity.manifests[field]).toBe(sum(field));
        expect(capacity.total[field]).toBe(capacity.manifests[field] + capacity.upstreamCharts[field]);
      }
      // Besides the objects, the pods that operators start from them (Envoy proxies, Prometheus, Longhorn's instance managers…)
      const operated = capacity.workloads.filter((w) => w.startedBy);
      expect(new Set(operated.map((w) => w.startedBy))).toEqual(new Set(['Envoy Gateway', 'the Prometheus operator', ...(result.env.platform.storage === 'longhorn' ? ['longhorn-manager'] : [])]));
      expect(capacity.manifests.pods).toBe(steadyPods(counted, capacity.nodes.total) + operated.reduce((sum, w) => sum + w.pods, 0));
      const proxies = counted.filter((m) => {
        if (m.kind !== 'Gateway') return false;
        const proxy = counted.find((p) => p.kind === 'EnvoyProxy' && p.metadata.name === m.metadata.name && p.metadata.namespace === m.metadata.namespace);
        return ((proxy?.spec as { provider?: { kubernetes?: { envoyService?: { type?: string } } } } | undefined)?.provider?.kubernetes?.envoyService?.type ?? 'LoadBalancer') === 'LoadBalancer';
      });
      expect(capacity.manifests.loadBalancers).toBe(counted.filter((m) => m.kind === 'Service' && (m.spec as { type?: string }).type === 'LoadBalancer').length + proxies.length);
      // Every chart rendered, so nothing is estimated from values.
      expect(capacity.upstreamEstimates).toEqual([]);
      const namespaces = manifests.filter((m) => m.kind === 'Namespace').map((m) => m.metadata.name);
      expect(capacity.namespaces.map((ns) => ns.namespace)).toEqual(expect.arrayContaining(namespaces));
      expect(capacity.nodes.total).toBe(capacity.nodes.needed + (result.env.stage === 'production' ? 1 : 0));
      expect(review).toContain(`Worker nodes to buy: ${capacity.nodes.total} of ${result.env.cluster.nodeSize.cpu} CPU`);
    });

    it('names the environment, every component, namespace, workload, building block and X-Road member', () => {
      expect(review).toContain(`| Country | ${result.env.country.name} (${result.env.country.code}) |`);
      for (const component of result.components) expect(review).toContain(`| ${component.component} | ${component.layer} |`);
      for (const namespace of capacity.namespaces) expect(review).toContain(`| ${namespace.namespace} |`);
      for (const m of manifests.filter((o) => ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'].includes(o.kind))) {
        expect(review).toContain(`${m.kind} ${m.metadata.name}`);
      }
      for (const [id, selection] of Object.entries(result.env.buildingBlocks).filter(([, s]) => s.enabled)) {
        expect(review).toContain(`| ${id} | ${selection.product} | ${selection.version} | ${buildingBlockNamespace(id)} |`);
      }
      for (const member of result.env.xroad.members) expect(review).toContain(`| ${member.name} | ${member.memberClass} | ${member.memberCode} | ${member.role} |`);
      for (const upstream of result.assembly.upstreamCharts) expect(review).toContain(`| ${upstream.props.releaseName} | ${upstream.props.chart} | ${upstream.props.version} |`);
    });

    it('shows every declared exception with its reason, and the policy results', () => {
      for (const m of manifests) {
        for (const [key, reason] of Object.entries(m.metadata.annotations ?? {})) {
          if (!key.startsWith('policy.govstack.dev/exception.')) continue;
          expect(review).toContain(`| ${key.slice('policy.govstack.dev/exception.'.length)} | ${m.kind}/`);
          expect(review).toContain(reason);
        }
      }
      expect(review).toMatch(/\d+ results: \d+ passed, 0 failed/);
      expect(review).not.toContain('not available in this build');
    });

    it('says what changed, and writes a diagram', () => {
      expect(JSON.parse(read('changes.json'))).toEqual({ basis: 'first', changes: [] });
      expect(read('architecture.svg')).toMatch(/<svg[\s\S]*<\/svg>/);
    });
  });
});
