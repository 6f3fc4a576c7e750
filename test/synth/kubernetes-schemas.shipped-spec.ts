import { validateAgainstKubernetesSchemas } from '../../src/validation/kubernetes-schema';
import type { Manifest } from '../../src/synth/manifest';
import { manifestsOf, synthesizedShipped } from '../support/shipped';

/**
 * Custom resource kinds for which no schema package exists; each must be listed here on purpose,
 * so a new kind cannot slip past validation unnoticed.
 */
const KINDS_WITHOUT_SCHEMA: readonly string[] = [
  // CloudNativePG and its Barman Cloud plugin publish no kubernetes-models package.
  'postgresql.cnpg.io/v1/Cluster',
  'postgresql.cnpg.io/v1/ScheduledBackup',
  'barmancloud.cnpg.io/v1/ObjectStore',
  // @kubernetes-models/external-secrets 2.0.0 has no schema for the SSHKey generator (external-secrets 2.9).
  'generators.external-secrets.io/v1alpha1/SSHKey',
  'gateway.envoyproxy.io/v1alpha1/ClientTrafficPolicy',
  'gateway.envoyproxy.io/v1alpha1/EnvoyProxy',
  'kyverno.io/v1/ClusterPolicy',
  'metallb.io/v1beta1/IPAddressPool',
  'metallb.io/v1beta1/L2Advertisement',
  'velero.io/v1/Schedule',
];

describe('every manifest validates against the Kubernetes schemas of its target version, unknown fields rejected', () => {
  const { results } = synthesizedShipped();

  it.each(results.map((result) => [result.env.name, result] as const))('%s', async (_name, result) => {
    const { results: checked, unvalidatedKinds } = await validateAgainstKubernetesSchemas(
      manifestsOf(result),
      result.env.cluster.kubernetesVersion,
    );
    expect(checked.filter((r) => r.errors.length > 0)).toEqual([]);
    expect(checked).toHaveLength(manifestsOf(result).length - countUnvalidated(result, unvalidatedKinds));
    expect(unvalidatedKinds.filter((kind) => !KINDS_WITHOUT_SCHEMA.includes(kind))).toEqual([]);
  });
});

describe('every object an upstream chart renders validates against the Kubernetes schemas of the target version', () => {
  const { results } = synthesizedShipped();

  it.each(results.map((result) => [result.env.name, result] as const))('%s', async (_name, result) => {
    // CRDs are left to the API server (npm run prove applies them): the strict pass reads the free-form
    // JSON Schema inside them (every `description`) as unknown fields. Custom resources of a chart are
    // checked against their CRD by the API server too.
    const objects = result.rendered.flatMap((release) => release.objects).filter((o) => o.kind !== 'CustomResourceDefinition');
    const { results: checked } = await validateAgainstKubernetesSchemas(objects, result.env.cluster.kubernetesVersion);
    expect(checked.filter((r) => r.errors.length > 0)).toEqual([]);
  });
});

function countUnvalidated(result: Parameters<typeof manifestsOf>[0], kinds: readonly string[]): number {
  return manifestsOf(result).filter((m) => kinds.includes(`${m.apiVersion}/${m.kind}`)).length;
}

describe('the schema validation itself', () => {
  const deployment = (container: Record<string, unknown>): Manifest => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'demo', labels: { any: 'label' } },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27', ...container }] } },
    },
  });

  async function errorsOf(manifest: Manifest, version = '1.33'): Promise<readonly string[]> {
    const { results } = await validateAgainstKubernetesSchemas([manifest], version);
    return results[0].errors;
  }

  it('accepts a valid object, including free-form maps such as labels', async () => {
    expect(await errorsOf(deployment({ env: [{ name: 'A', value: 'b' }] }))).toEqual([]);
  });

  it('rejects an unknown field', async () => {
    expect(await errorsOf(deployment({ imagePullPolicyy: 'Always' }))).toEqual([
      '/spec/template/spec/containers/0/imagePullPolicyy is not a field of Deployment',
    ]);
  });

  it('rejects a wrong type and a bad enum value', async () => {
    const errors = await errorsOf(deployment({ ports: [{ containerPort: 'eighty', protocol: 'TCPP' }] }));
    expect(errors.join('\n')).toMatch(/containerPort must be of type integer/);
    expect(errors.join('\n')).toMatch(/protocol must be one of SCTP, TCP, UDP/);
  });

  it('rejects an API version the target Kubernetes no longer serves', async () => {
    const old = { apiVersion: 'policy/v1beta1', kind: 'PodDisruptionBudget', metadata: { name: 'x', namespace: 'demo' } };
    expect(await errorsOf(old)).toEqual(['policy/v1beta1 is no longer served since Kubernetes 1.25']);
  });

  it('validates custom resources against their CRD packages, unknown fields rejected', async () => {
    const certificate: Manifest = {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name: 'x', namespace: 'demo' },
      spec: { secretName: 'x', issuerRef: { name: 'ca', kind: 'ClusterIssuer' }, dnsName: ['a.example'] },
    };
    expect(await errorsOf(certificate)).toEqual(['/spec/dnsName is not a field of Certificate']);
    const gateway: Manifest = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'g', namespace: 'demo' }, spec: { listeners: [] } };
    expect((await errorsOf(gateway)).join('\n')).toMatch(/gatewayClassName/);
  });

  it('rejects a kind Kubernetes does not have', async () => {
    expect(await errorsOf({ apiVersion: 'v1', kind: 'Servise', metadata: { name: 'x', namespace: 'demo' } })).toEqual([
      'no schema for v1 Servise',
    ]);
  });
});
