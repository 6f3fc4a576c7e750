import { forbiddenDestroys, protectedAddresses, refusedDestroys, type PlanJson } from '../../src/prove/destroy-check';

const applied = {
  resource: {
    kubernetes_namespace_v1: { 'namespace-bb-identity': {}, 'namespace-logging': {} },
    helm_release: {
      'release-identity-database': { lifecycle: { prevent_destroy: true } },
      'release-identity': {},
      'release-loki': { lifecycle: { prevent_destroy: true } },
    },
  },
};

const change = (address: string, ...actions: string[]) => {
  const [type, name] = address.split('.');
  return { address, type, name, change: { actions } };
};

describe('the disabled-block plan: no destroy of a namespace or of a release that keeps data', () => {
  it('protects every namespace and every release with prevent_destroy, not the others', () => {
    expect([...protectedAddresses(applied).keys()].sort()).toEqual([
      'helm_release.release-identity-database',
      'helm_release.release-loki',
      'kubernetes_namespace_v1.namespace-bb-identity',
      'kubernetes_namespace_v1.namespace-logging',
    ]);
  });

  it('finds the namespace and the database release a canned `terraform show -json` plan deletes, and lets the stateless release go', () => {
    const plan: PlanJson = {
      resource_changes: [
        change('kubernetes_namespace_v1.namespace-bb-identity', 'delete'),
        change('helm_release.release-identity-database', 'delete'),
        change('helm_release.release-identity', 'delete'),
        change('helm_release.release-loki', 'no-op'),
      ],
    };
    const found = forbiddenDestroys('sandbox-platform', plan, applied);
    expect(found.map((d) => d.address)).toEqual(['kubernetes_namespace_v1.namespace-bb-identity', 'helm_release.release-identity-database']);
    expect(found[0].why).toMatch(/namespace.*deletes everything in it.*delete/);
    expect(found[1].why).toMatch(/keeps data/);
  });

  it('counts a replacement (delete and create) as a destroy', () => {
    const plan: PlanJson = { resource_changes: [change('helm_release.release-loki', 'delete', 'create')] };
    expect(forbiddenDestroys('s', plan, applied).map((d) => d.why)).toEqual([expect.stringMatching(/delete and create/)]);
  });

  it('passes a plan that only updates or creates', () => {
    const plan: PlanJson = { resource_changes: [change('helm_release.release-loki', 'update'), change('helm_release.release-identity', 'create')] };
    expect(forbiddenDestroys('s', plan, applied)).toEqual([]);
  });

  it('reads Terraform refusing a destroy because of prevent_destroy as a forbidden destroy', () => {
    const output = [
      'Error: Instance cannot be destroyed',
      '',
      '  on cdk.tf.json line 120, in resource.helm_release.release-loki:',
      ' 120:       },',
      '',
      'Resource helm_release.release-loki has lifecycle.prevent_destroy set, but the plan calls for this resource to be destroyed.',
    ].join('\n');
    expect(refusedDestroys('sandbox-platform', output)).toEqual([
      { stack: 'sandbox-platform', address: 'helm_release.release-loki', why: expect.stringMatching(/prevent_destroy/) },
    ]);
  });
});
