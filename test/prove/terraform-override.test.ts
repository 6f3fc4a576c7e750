import { failedOnCrdNotYetServed, OVERRIDE_REASONS, proofOverride } from '../../src/prove/terraform-override';

const stack = {
  terraform: { backend: { pg: { schema_name: 'veloria_production_platform' } }, required_providers: {} },
  resource: {
    helm_release: {
      'release-loki': { name: 'loki', atomic: true, wait: true, wait_for_jobs: true, repository: 'http://127.0.0.1:4000', lifecycle: { prevent_destroy: true } },
      'release-logging': { name: 'logging', atomic: true, wait: true, chart: './assets/chart-logging/ABC' },
    },
    kubernetes_namespace_v1: { 'namespace-logging': { metadata: { name: 'logging' } } },
  },
};

describe('the proof override (proof_override.tf.json, merged over a stack by Terraform)', () => {
  const override = proofOverride(stack, '/tmp/proof/state/veloria-production-platform.tfstate');

  it('replaces the state backend by a local file in the proof folder (pg, s3 are not reachable)', () => {
    expect(override.terraform).toEqual({ backend: { local: { path: '/tmp/proof/state/veloria-production-platform.tfstate' } } });
  });

  it('turns waiting, atomic rollback and hooks off on every helm_release, upstream and the kit\'s own (no node runs pods)', () => {
    const off = { wait: false, atomic: false, wait_for_jobs: false, disable_webhooks: true };
    expect(override.resource).toEqual({ helm_release: { 'release-logging': off, 'release-loki': off } });
  });

  it('changes nothing else: not the chart, repository, values or prevent_destroy', () => {
    const releases = (override.resource as { helm_release: Record<string, Record<string, unknown>> }).helm_release;
    for (const release of Object.values(releases)) {
      expect(Object.keys(release).sort()).toEqual(['atomic', 'disable_webhooks', 'wait', 'wait_for_jobs']);
    }
    expect(Object.keys(override).sort()).toEqual(['resource', 'terraform']);
  });

  it('has no resource block for a stack without helm releases', () => {
    expect(proofOverride({ resource: { kubernetes_namespace_v1: {} } }, '/s')).toEqual({ terraform: { backend: { local: { path: '/s' } } } });
  });
});

describe('an apply that met a kind not yet served', () => {
  const helmOutput = [
    'Error: installation failed',
    '',
    '  with helm_release.release-admission,',
    '  on cdk.tf.json line 71, in resource.helm_release.release-admission:',
    '',
    'unable to build kubernetes objects from release manifest: resource mapping',
    'not found for name: "govstack-pod-security" namespace: "" from "": no matches',
    'for kind "ClusterPolicy" in version "kyverno.io/v1"',
    'ensure CRDs are installed first',
  ].join('\n');

  it('is recognised from Helm\'s own words, which the proof then applies again once, and says so in its overrides', () => {
    expect(failedOnCrdNotYetServed(helmOutput)).toBe(true);
    expect(OVERRIDE_REASONS.some((reason) => reason.includes('run once more'))).toBe(true);
  });

  it('is not any other failure', () => {
    expect(failedOnCrdNotYetServed('Error: installation failed\n\nrendered manifests contain a resource that already exists')).toBe(false);
  });
});
