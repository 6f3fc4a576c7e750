import { evaluatePolicies, type PolicyInput } from '../../src/policy';
import { KnownNetwork } from '../../src/policy/known-network';
import type { Manifest } from '../../src/synth/manifest';
import { selectorMatches } from '../../src/validation/network-policy';
import { cleanInput, copyOf, NS } from './fixtures';

const policy = (name: string, spec: Record<string, unknown>): Manifest => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name, namespace: NS },
  spec: { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], ...spec },
});

function net02(extra: Manifest): string[] {
  const input = copyOf(cleanInput());
  input.manifests.push(extra);
  return evaluatePolicies(input as PolicyInput).results.filter((r) => r.check === 'NET-02' && r.status === 'fail').map((r) => r.detail ?? '');
}

describe('label selectors', () => {
  it('match labels and expressions as Kubernetes does', () => {
    const labels = { app: 'web', tier: 'front' };
    expect(selectorMatches({ matchLabels: { app: 'web' } }, labels)).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'back'] }] }, labels)).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['front'] }] }, labels)).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'zone', operator: 'DoesNotExist' }] }, labels)).toBe(true);
    expect(selectorMatches({}, labels)).toBe(true);
  });
});

describe('NET-02: policies name real peers and ports', () => {
  it('trusts a peer in a namespace the kit does not create (DNS in kube-system), but cannot check it', () => {
    const model = new KnownNetwork([{ name: NS, labels: { 'kubernetes.io/metadata.name': NS }, podsKnown: true }], []);
    const resolved = model.resolvePeer({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }, NS);
    expect(resolved).toEqual({ pods: [], verifiable: false });
  });

  it('reports a namespace selector that matches no namespace', () => {
    const problems = net02(policy('to-nowhere', { egress: [{ to: [{ namespaceSelector: { matchLabels: { team: 'ghosts' } } }], ports: [{ port: 443 }] }] }));
    expect(problems.join('\n')).toMatch(/namespaceSelector .* matches no namespace/);
  });

  it('reports egress to a port the peer does not listen on', () => {
    const problems = net02(policy('wrong-port', { egress: [{ to: [{ podSelector: { matchLabels: { 'cnpg.io/cluster': 'db' } } }], ports: [{ port: 5433 }] }] }));
    expect(problems).toEqual(['egress rule 0: no peer listens on port 5433']);
  });

  it('reports a rule that allows every source or every port', () => {
    const problems = net02(policy('open', { policyTypes: ['Ingress'], ingress: [{}] }));
    expect(problems).toEqual(['ingress rule 0 allows every source: name the peers; ingress rule 0 allows every port: name the ports']);
  });

  it('reports a pod no policy allows anything beyond DNS', () => {
    const input = copyOf(cleanInput());
    input.manifests = input.manifests.filter((m) => m.metadata.name !== 'allow-db');
    const report = evaluatePolicies(input);
    expect(report.results).toContainEqual(
      expect.objectContaining({ check: 'NET-02', object: `Cluster/${NS}/db`, status: 'fail', detail: `no NetworkPolicy allows Cluster/${NS}/db any traffic beyond DNS: name its peers and ports` }),
    );
  });
});
