import type { Manifest } from '../../src/synth/manifest';
import { cidrContains, listensOn, NetworkPolicyModel, pinnedNamespaceNames, selectorMatches, type PodEndpoint } from '../../src/validation/network-policy';

const deployment = (namespace: string, name: string, labels: Record<string, string>, ports: { name?: string; containerPort: number }[] = []): Manifest => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace },
  spec: { template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'x:1', ports }] } } },
});
const policy = (namespace: string, name: string, spec: Record<string, unknown>): Manifest => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name, namespace },
  spec,
});
const namespace = (name: string, labels: Record<string, string> = {}): Manifest => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
const denyAll = (ns: string) => policy(ns, 'default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });

const WORKLOADS = [
  namespace('shop', { team: 'web' }),
  namespace('db'),
  deployment('shop', 'web', { app: 'web' }),
  deployment('shop', 'worker', { app: 'worker' }),
  deployment('db', 'postgres', { app: 'postgres' }, [{ name: 'pg', containerPort: 5432 }]),
];

describe('the NetworkPolicy evaluator', () => {
  it('allows everything where no policy selects a pod', () => {
    const model = new NetworkPolicyModel(WORKLOADS);
    expect(model.allows({ from: model.pod('Deployment/shop/web'), to: model.pod('Deployment/db/postgres'), port: 5432 })).toBe(true);
  });

  it('denies everything once a default-deny isolates both ends', () => {
    const model = new NetworkPolicyModel([...WORKLOADS, denyAll('shop'), denyAll('db')]);
    expect(model.allows({ from: model.pod('Deployment/shop/web'), to: model.pod('Deployment/db/postgres'), port: 5432 })).toBe(false);
  });

  it('needs both the egress of the source and the ingress of the destination', () => {
    const ingressOnly = policy('db', 'pg-in', {
      podSelector: { matchLabels: { app: 'postgres' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'web' } }, podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 5432 }] }],
    });
    const egress = policy('shop', 'web-out', {
      podSelector: { matchLabels: { app: 'web' } },
      policyTypes: ['Egress'],
      egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'db' } } }], ports: [{ protocol: 'TCP', port: 5432 }] }],
    });
    const base = [...WORKLOADS, denyAll('shop'), denyAll('db'), ingressOnly];
    const withoutEgress = new NetworkPolicyModel(base);
    const flow = { from: withoutEgress.pod('Deployment/shop/web'), to: withoutEgress.pod('Deployment/db/postgres'), port: 5432 };
    expect(withoutEgress.explain(flow)).toEqual({
      allowed: false,
      egress: { isolated: true, allowedBy: [] },
      ingress: { isolated: true, allowedBy: ['db/pg-in'] },
    });
    const both = new NetworkPolicyModel([...base, egress]);
    expect(both.allows(flow)).toBe(true);
    expect(both.allows({ ...flow, port: 5433 })).toBe(false);
    expect(both.allows({ ...flow, protocol: 'UDP' })).toBe(false);
    expect(both.allows({ ...flow, from: both.pod('Deployment/shop/worker') })).toBe(false);
  });

  it('reads a peer with only a podSelector as pods of the policy\'s own namespace', () => {
    const sameNamespace = policy('db', 'pg-in', { podSelector: {}, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }] });
    const model = new NetworkPolicyModel([...WORKLOADS, sameNamespace]);
    expect(model.allows({ from: model.pod('Deployment/shop/web'), to: model.pod('Deployment/db/postgres'), port: 5432 })).toBe(false);
  });

  it('defaults policyTypes to Ingress, plus Egress when egress rules exist', () => {
    const ingressDefault = policy('shop', 'only-ingress', { podSelector: {} });
    const model = new NetworkPolicyModel([...WORKLOADS, ingressDefault]);
    expect(model.allows({ from: model.pod('Deployment/shop/web'), to: model.pod('Deployment/db/postgres'), port: 5432 })).toBe(true);
    expect(model.allows({ from: model.pod('Deployment/db/postgres'), to: model.pod('Deployment/shop/web'), port: 80 })).toBe(false);
  });

  it('treats absent peers or ports as all, an empty rule list as none', () => {
    const anyPort = policy('db', 'any-port', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {}, namespaceSelector: {} }] }] });
    const noRules = policy('shop', 'none', { podSelector: {}, policyTypes: ['Egress'], egress: [] });
    const model = new NetworkPolicyModel([...WORKLOADS, anyPort, noRules]);
    expect(model.allows({ from: model.pod('Deployment/shop/web'), to: model.pod('Deployment/db/postgres'), port: 1 })).toBe(false);
    const open = new NetworkPolicyModel([...WORKLOADS, anyPort]);
    expect(open.allows({ from: open.pod('Deployment/shop/web'), to: open.pod('Deployment/db/postgres'), port: 1 })).toBe(true);
  });

  it('resolves named ports against the destination pod, and port ranges', () => {
    const named = policy('db', 'named', { podSelector: {}, ingress: [{ ports: [{ port: 'pg' }, { port: 9000, endPort: 9010 }] }] });
    const model = new NetworkPolicyModel([...WORKLOADS, named]);
    const to = model.pod('Deployment/db/postgres');
    const from = model.pod('Deployment/shop/web');
    expect(model.allows({ from, to, port: 5432 })).toBe(true);
    expect(model.allows({ from, to, port: 9005 })).toBe(true);
    expect(model.allows({ from, to, port: 9011 })).toBe(false);
  });

  it('matches ipBlocks against external addresses only, honouring except', () => {
    const out = policy('shop', 'out', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }], ports: [{ port: 443 }] }],
    });
    const model = new NetworkPolicyModel([...WORKLOADS, out]);
    const web = model.pod('Deployment/shop/web');
    expect(model.allows({ from: web, to: { kind: 'external', ip: '10.2.3.4' }, port: 443 })).toBe(true);
    expect(model.allows({ from: web, to: { kind: 'external', ip: '10.1.3.4' }, port: 443 })).toBe(false);
    expect(model.allows({ from: web, to: model.pod('Deployment/db/postgres'), port: 443 })).toBe(false);
  });

  it('finds pods in every workload kind, CronJob templates and CloudNativePG clusters included', () => {
    const cron: Manifest = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'nightly', namespace: 'shop' },
      spec: { jobTemplate: { spec: { template: { metadata: { labels: { app: 'nightly' } }, spec: { containers: [] } } } } },
    };
    const cluster: Manifest = { apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', metadata: { name: 'pg', namespace: 'db' } };
    const model = new NetworkPolicyModel([cron, cluster]);
    expect(model.pod('CronJob/shop/nightly').labels).toEqual({ app: 'nightly' });
    expect(model.pod('Cluster/db/pg').labels['cnpg.io/cluster']).toBe('pg');
  });

  it('takes namespace labels from Namespace objects and options, always with the name label', () => {
    const extra: PodEndpoint = { kind: 'pod', workload: 'Deployment/gw/proxy', namespace: 'gw', labels: { app: 'proxy' }, ports: [] };
    const model = new NetworkPolicyModel(WORKLOADS, { extraPods: [extra], namespaceLabels: { gw: { zone: 'edge' } } });
    expect(model.labelsOfNamespace('shop')).toEqual({ team: 'web', 'kubernetes.io/metadata.name': 'shop' });
    expect(model.labelsOfNamespace('gw')).toEqual({ zone: 'edge', 'kubernetes.io/metadata.name': 'gw' });
    expect(model.pod('Deployment/gw/proxy')).toBe(extra);
  });

  it('evaluates label selector expressions and CIDRs', () => {
    const labels = { tier: 'db', env: 'prod' };
    expect(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['db', 'cache'] }] }, labels)).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] }, labels)).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'zone', operator: 'DoesNotExist' }] }, labels)).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'zone', operator: 'Exists' }] }, labels)).toBe(false);
    expect(cidrContains('0.0.0.0/0', '203.0.113.9')).toBe(true);
    expect(cidrContains('198.51.100.0/24', '198.51.101.1')).toBe(false);
    expect(cidrContains('198.51.100.7/32', '198.51.100.7')).toBe(true);
  });

  it('reads the namespaces a selector names outright, by matchLabels or an In expression', () => {
    expect(pinnedNamespaceNames({ matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } })).toEqual(['kube-system']);
    expect(pinnedNamespaceNames({ matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['a', 'b'] }] })).toEqual(['a', 'b']);
    expect(pinnedNamespaceNames({ matchLabels: { team: 'web' } })).toBeUndefined();
  });

  it('says whether a pod listens on a policy port by number, range or name', () => {
    const ports = [{ name: 'pg', port: 5432 }];
    expect(listensOn(ports, { port: 5432 })).toBe(true);
    expect(listensOn(ports, { port: 5400, endPort: 5500 })).toBe(true);
    expect(listensOn(ports, { port: 'pg' })).toBe(true);
    expect(listensOn(ports, { port: 'metrics' })).toBe(false);
  });
});
