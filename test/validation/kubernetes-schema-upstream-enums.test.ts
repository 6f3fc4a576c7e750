import type { Manifest } from '../../src/synth/manifest';
import { validateAgainstKubernetesSchemas } from '../../src/validation/kubernetes-schema';

const externalSecret = (generatorKind: string): Manifest => ({
  apiVersion: 'external-secrets.io/v1',
  kind: 'ExternalSecret',
  metadata: { name: 'key', namespace: 'demo' },
  spec: {
    refreshPolicy: 'CreatedOnce',
    target: { name: 'key' },
    dataFrom: [{ sourceRef: { generatorRef: { apiVersion: 'generators.external-secrets.io/v1alpha1', kind: generatorKind, name: 'key-generator' } } }],
  },
});

describe('schema packages that predate the installed controllers', () => {
  it('accept the SSHKey generator external-secrets 2.9 has, and still reject a kind no version has', async () => {
    const { results } = await validateAgainstKubernetesSchemas([externalSecret('SSHKey'), externalSecret('SSHKeys')], '1.33');
    expect(results.map((r) => r.errors.length)).toEqual([0, 1]);
    expect(results[1].errors[0]).toMatch(/generatorRef\/kind must be one of/);
  });
});
