import { isDnsFlow } from '../../src/review/diagram';
import { buildReviewModel } from '../../src/review/review-model';
import { NetworkPolicyModel } from '../../src/validation/network-policy';
import { fixtureComponents, fixtureSubject } from './fixture';

describe('flows derived from the NetworkPolicies', () => {
  const model = buildReviewModel(fixtureSubject());
  const flows = model.network.flows.map((f) => `${f.from.id} -> ${f.to.id}: ${f.ports.join(', ')}`);

  it('allow exactly what both the source\'s egress and the destination\'s ingress permit', () => {
    expect(flows.filter((_, i) => !isDnsFlow(model.network.flows[i])).sort()).toEqual([
      'addresses:0.0.0.0/0 -> xroad/Deployment/ss-gov-platform: TCP 5500, TCP 5577',
      'bb-registry/Deployment/registry-api -> bb-registry/Cluster/registry-db: TCP 5432',
      'bb-registry/Deployment/registry-api -> xroad/Deployment/ss-gov-platform: TCP 8080',
      // the route's gateway pods belong to the upstream chart in that namespace; the named port resolves to 8080
      'envoy-gateway-system/chart/envoy-gateway -> bb-registry/Deployment/registry-api: TCP 8080',
      'xroad/Deployment/ss-gov-platform -> addresses:203.0.113.10/32: TCP 80, TCP 443, TCP 4001',
    ]);
  });

  it('let every pod of a namespace with the DNS allowance reach cluster DNS, and nothing more than the policies say', () => {
    const dns = model.network.flows.filter(isDnsFlow);
    expect(dns.map((f) => f.from.id).sort()).toEqual([
      'bb-registry/Cluster/registry-db',
      'bb-registry/Deployment/registry-api',
      'bb-registry/Job/registry-seed',
      'bb-registry/StatefulSet/registry-cache',
    ]);
    expect(new Set(dns.map((f) => f.ports.join(', ')))).toEqual(new Set(['TCP 53, UDP 53']));
    // the cache may be called by the security server's ingress rule, but its own egress allows only DNS
    expect(flows.some((f) => f.startsWith('bb-registry/StatefulSet/registry-cache -> xroad'))).toBe(false);
  });

  it('draw the flows in the detailed diagrams with their ports, DNS left out, and the load-balanced entry', () => {
    const withPorts = model.diagrams.layers.flatMap((layer) => [layer.whole, ...layer.parts]).flatMap((diagram) => diagram.versions).filter((version) => version.detail === 2);
    const dot = withPorts.map((version) => version.dot).join('\n');
    expect(dot).toContain('"bb-registry/Deployment/registry-api" -> "bb-registry/Cluster/registry-db" [label="TCP 5432"]');
    expect(dot).toContain('"outside:clients" -> "xroad/Deployment/ss-gov-platform" [style=dashed, label="LoadBalancer\\nTCP 5500, 5577"]');
    expect(dot).not.toContain('kube-dns');
    expect(dot).toMatch(/subgraph "cluster_xroad" \{\n\s+label="xroad \(Information Mediator\)"/);
  });

  it('agree with the NetworkPolicy model the specs use: one evaluation of the policies, two readers', () => {
    const policies = new NetworkPolicyModel(fixtureComponents().flatMap((component) => component.manifests));
    const workloadFlows = model.network.flows.filter((f) => f.from.kind === 'workload' && f.to.kind === 'workload' && !isDnsFlow(f));
    expect(workloadFlows.length).toBeGreaterThan(0);
    const podOf = (end: (typeof workloadFlows)[number]['from']) => policies.pod(`${end.workload!.kind}/${end.namespace}/${end.workload!.name}`);
    for (const flow of workloadFlows) {
      const port = Number(flow.ports[0].split(' ')[1]);
      expect(`${flow.from.id} -> ${flow.to.id} ${port}: ${policies.allows({ from: podOf(flow.from), to: podOf(flow.to), port })}`).toBe(`${flow.from.id} -> ${flow.to.id} ${port}: true`);
    }
    // The flow the table leaves out (the cache's egress allows only DNS) is one the model refuses.
    const cache = policies.pod('StatefulSet/bb-registry/registry-cache');
    expect(policies.allows({ from: cache, to: policies.pod('Deployment/xroad/ss-gov-platform'), port: 8080 })).toBe(false);
  });
});
