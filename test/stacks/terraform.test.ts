import { HelmProvider, HelmRelease, KubernetesNamespace, KubernetesProvider } from '../../constructs/providers';
import { LAYERS } from '../../charts/kit-chart';
import { shippedEnvironments } from '../support/shipped';
import { synthStacks } from '../support/stacks';
import '../support/terraform-matchers';
import { fromTerraformLiteral, terraformLiteral } from '../../stacks/terraform-literal';
import { upstreamReleasesOf } from '../../src/upstream/releases';

const envs = shippedEnvironments();
const byName = (name: string) => envs.find((env) => env.name === name)!;

describe.each(envs.map((env) => [env.name, env] as const))('the Terraform stacks of %s', (_name, env) => {
  const stacks = synthStacks(env);

  it('has one stack per layer, each with the Kubernetes and Helm providers bound to the environment\'s context', () => {
    expect(Object.keys(stacks)).toEqual([...LAYERS]);
    for (const json of Object.values(stacks)) {
      expect(json).toHaveProvider(KubernetesProvider);
      expect(json).toHaveProviderWithProperties(HelmProvider, { kubernetes: { config_context: env.cluster.kubeContext } });
    }
  });

  it('creates every namespace in the platform stack and refuses to destroy it', () => {
    expect(stacks.platform).toHaveResourceWithProperties(KubernetesNamespace, { lifecycle: { prevent_destroy: true } });
    expect(stacks['building-blocks']).not.toHaveResource(KubernetesNamespace);
  });

  it('installs the kit\'s charts with atomic helm releases that keep history for rollback', () => {
    expect(stacks.platform).toHaveResourceWithProperties(HelmRelease, { atomic: true, max_history: 5, create_namespace: false });
  });

  it('hands every string to Terraform as data: no template sequence (`${`, `%{`) that Terraform would interpolate', () => {
    // Only `$${` and `%%{`, Terraform's literal forms, may appear (MOSIP's shell defaults such as ${hsm_zip_file_path:-…}).
    const templates = (json: string) => [...JSON.stringify(JSON.parse(json)).matchAll(/(?<![$%])[$%]\{[^}]{0,40}/g)].map((m) => m[0]);
    for (const [layer, json] of Object.entries(stacks)) expect([layer, templates(json)]).toEqual([layer, []]);
  });

  it('gives every stack its own state key', () => {
    const keys = Object.values(stacks).map((json) => JSON.stringify(JSON.parse(json).terraform.backend));
    expect(new Set(keys).size).toBe(LAYERS.length);
  });
});

describe('the state backend follows the environment', () => {
  it('keeps sandbox state on local disk', () => {
    expect(JSON.parse(synthStacks(byName('sandbox')).platform).terraform.backend).toEqual({
      local: { path: '../../../terraform-state/sandbox-platform.tfstate' },
    });
  });

  it('keeps on-prem production state in PostgreSQL with no connection string in the JSON', () => {
    const backend = JSON.parse(synthStacks(byName('veloria-production')).platform).terraform.backend;
    expect(backend).toEqual({ pg: { schema_name: 'veloria_govstack_veloria_production_platform' } });
  });

  it('keeps cloud staging state in S3 with lock files', () => {
    const backend = JSON.parse(synthStacks(byName('marenland-staging'))['information-mediator']).terraform.backend;
    expect(backend.s3).toMatchObject({
      bucket: 'marenland-govstack-tfstate',
      key: 'staging/marenland-staging-information-mediator.tfstate',
      use_lockfile: true,
      encrypt: true,
      endpoints: { s3: 'https://objects.gcloud.marenland.example' },
    });
  });
});

describe('chart values Terraform hands to Helm', () => {
  it('keep a shell default as written once Terraform has read its literal form', () => {
    const releases = upstreamReleasesOf(
      { 'veloria-production-building-blocks': JSON.parse(synthStacks(byName('veloria-production'))['building-blocks']) },
      ['veloria-production-building-blocks'],
    );
    const keymanager = releases.find((r) => r.releaseName === 'mosip-keymanager')!;
    expect(keymanager.values).toContain('${hsm_zip_file_path:-artifactory/libs-release-local/hsm/client.zip}');
    expect(fromTerraformLiteral(terraformLiteral('a $${b} ${c:-d} %{if} %%{x}'))).toBe('a $${b} ${c:-d} %{if} %%{x}');
  });
});
