import { policyInputOf } from '../../src/policy';
import { policyContext } from '../../src/policy/context';
import { limitRangeDefaults, limitRangeMaxima, withLimitRangeDefaults } from '../../src/policy/limit-range';
import { parseQuantity } from '../../constructs/baseline/quantity';
import { synthesizedShipped } from '../support/shipped';

const { results } = synthesizedShipped();

/** Every shipped environment as the policy suite sees it: the kit's objects and the upstream charts' rendered ones. */
const contexts = results.map((result) => ({ env: result.env.name, context: policyContext(policyInputOf(result)) }));

describe('the LimitRange max of every namespace the kit creates (README: "a LimitRange no larger than a node")', () => {
  it.each(contexts.map(({ env, context }) => [env, context] as const))('%s: every namespace the kit creates caps one container\'s CPU and memory', (_env, context) => {
    const maxima = limitRangeMaxima(context.manifests);
    const uncapped = context.namespaces
      .map((namespace) => namespace.metadata.name)
      .filter((name) => maxima.get(name)?.cpu === undefined || maxima.get(name)?.memory === undefined);
    expect(uncapped).toEqual([]);
    // The building blocks and the Information Mediator, which once sized their namespaces apart from the rest, are among them.
    const names = context.namespaces.map((namespace) => namespace.metadata.name);
    expect(names).toEqual(expect.arrayContaining(['xroad', 'e-services']));
    expect(names.some((name) => name.startsWith('bb-'))).toBe(true);
  });

  it.each(contexts.map(({ env, context }) => [env, context] as const))(
    '%s: no container of the kit or of a rendered chart asks for more than its namespace\'s max, so none is refused at admission',
    (_env, context) => {
      const maxima = limitRangeMaxima(context.manifests);
      const defaults = limitRangeDefaults(context.manifests);
      const refused: string[] = [];
      const judge = (where: string, namespace: string, resources: Parameters<typeof withLimitRangeDefaults>[0]) => {
        const max = maxima.get(namespace);
        if (!max) return;
        // As the LimitRanger sees the container: its own values, else the namespace's defaults.
        const admitted = withLimitRangeDefaults(resources, defaults.get(namespace));
        for (const [resource, ceiling] of Object.entries(max)) {
          for (const [kind, values] of Object.entries({ limits: admitted?.limits, requests: admitted?.requests })) {
            const value = values?.[resource] as string | number | undefined;
            if (value !== undefined && parseQuantity(value) > parseQuantity(ceiling)) refused.push(`${where}: ${kind}.${resource} ${value} > max ${ceiling}`);
          }
        }
      };
      for (const pod of context.pods) {
        for (const { role, container } of pod.containers) {
          if (role === 'ephemeral') continue;
          judge(`${pod.owner.kind}/${pod.namespace}/${pod.owner.metadata.name} ${container.name}`, pod.namespace, container.resources);
        }
      }
      // CloudNativePG creates its instances' pods from the Cluster's resources.
      for (const cluster of context.ofKind('Cluster').filter((m) => m.apiVersion.startsWith('postgresql.cnpg.io/'))) {
        const namespace = cluster.metadata.namespace ?? 'default';
        judge(`Cluster/${namespace}/${cluster.metadata.name}`, namespace, (cluster.spec as { resources?: Parameters<typeof withLimitRangeDefaults>[0] }).resources);
      }
      expect(refused).toEqual([]);
      expect(context.pods.length).toBeGreaterThan(0);
    },
  );

  it('judges by the smallest max when a namespace has several LimitRanges, as the API server enforces each', () => {
    const limitRange = (max: Record<string, string>) => ({
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: { name: 'l', namespace: 'n' },
      spec: { limits: [{ type: 'Container', max }] },
    });
    expect(limitRangeMaxima([limitRange({ cpu: '4', memory: '8Gi' }), limitRange({ cpu: '2500m', memory: '16Gi' })]).get('n')).toEqual({ cpu: '2500m', memory: '8Gi' });
  });
});
