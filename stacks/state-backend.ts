import { TerraformBackend, type TerraformRemoteState } from 'cdktf';
import type { Construct } from 'constructs';
import type { Environment } from '../constructs/environment/schema';
import type { LayerName } from '../charts/kit-chart';

/**
 * A Terraform backend block written exactly as given. cdktf 0.21 has no `kubernetes` backend class,
 * its `pg` class insists on a connection string (which would put credentials in the JSON), and its
 * `s3` class lacks `use_lockfile`; one small class covers all four without secrets in the output.
 */
class StateBackend extends TerraformBackend {
  constructor(
    scope: Construct,
    type: string,
    private readonly attributes: Record<string, unknown>,
  ) {
    super(scope, 'backend', type);
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return this.attributes;
  }

  protected synthesizeHclAttributes(): Record<string, unknown> {
    return this.attributes;
  }

  getRemoteStateDataSource(): TerraformRemoteState {
    throw new Error('stacks of this kit share no outputs through remote state; order them with dependencies instead');
  }
}

/**
 * Each stack gets its own state key in the environment's backend, so layers lock and roll back independently.
 * Credentials never appear here: PG_CONN_STR, KUBE_CONFIG_PATH and AWS_* come from the operator's shell.
 */
export function addStateBackend(stack: Construct, env: Pick<Environment, 'name' | 'terraformState'>, layer: LayerName): void {
  const stackName = `${env.name}-${layer}`;
  const state = env.terraformState;
  switch (state.backend) {
    case 'local':
      new StateBackend(stack, 'local', { path: `../../../${state.directory}/${stackName}.tfstate` });
      return;
    case 'pg':
      new StateBackend(stack, 'pg', { schema_name: `${state.schemaPrefix}_${stackName.replace(/-/g, '_')}` });
      return;
    case 'kubernetes':
      new StateBackend(stack, 'kubernetes', {
        secret_suffix: stackName,
        namespace: state.namespace,
        config_context: state.kubeContext,
      });
      return;
    case 's3':
      new StateBackend(stack, 's3', {
        bucket: state.bucket,
        key: `${state.keyPrefix}/${stackName}.tfstate`,
        region: state.region,
        encrypt: true,
        use_lockfile: true,
        ...(state.endpoint
          ? {
              endpoints: { s3: state.endpoint },
              use_path_style: state.usePathStyle,
              skip_credentials_validation: true,
              skip_region_validation: true,
              skip_requesting_account_id: true,
              skip_metadata_api_check: true,
              skip_s3_checksum: true,
            }
          : { use_path_style: state.usePathStyle }),
      });
      return;
  }
}
