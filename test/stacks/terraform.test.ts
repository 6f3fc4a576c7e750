import { HelmProvider, HelmRelease, KubernetesNamespace, KubernetesProvider } from '../../constructs/providers';
import { LAYERS } from '../../charts/kit-chart';
import { shippedEnvironments } from '../support/shipped';
import { synthStacks } from '../support/stacks';
import { fromTerraformLiteral, toTerraformLiteral } from '../../stacks/terraform-literal';

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

  it('escapes every `${` and `%{` of an upstream chart\'s values, so Terraform passes them to Helm as written instead of reading its own interpolation', () => {
    const documents = Object.values(stacks).flatMap((json) =>
      Object.values((JSON.parse(json).resource?.helm_release ?? {}) as Record<string, { values?: string[] }>).flatMap((release) => release.values ?? []),
    );
    expect(documents.length).toBeGreaterThan(0);
    expect(documents.filter((document) => /[$%]\{/.test(document.replace(/([$%])\1\{/g, '')))).toEqual([]);
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

describe('text Terraform must pass on as it is', () => {
  it('is escaped for Terraform\'s templates and read back as Helm receives it', () => {
    const shell = 'java -Dspring.profiles.active="${active_profile_env:-default}" %{not a directive} $$ 100%';
    expect(toTerraformLiteral(shell)).toBe('java -Dspring.profiles.active="$${active_profile_env:-default}" %%{not a directive} $$ 100%');
    expect(fromTerraformLiteral(toTerraformLiteral(shell))).toBe(shell);
  });
});
