import type { Environment } from '../../../constructs/environment/schema';
import { list, notice, paragraph, table, type Section } from '../document';

const STAGE_NOTICES: Readonly<Record<Environment['stage'], ReturnType<typeof notice>>> = {
  sandbox: notice('warning', 'Sandbox: not for real data. Local Terraform state and NIIS\'s development X-Road central server with a test CA are allowed here, and replicas are single.'),
  staging: notice('info', 'Staging: remote Terraform state and an external X-Road central server are required; single replicas are allowed.'),
  production: notice('info', 'Production: synthesis refused local Terraform state, the development X-Road central server and single replicas; capacity includes one spare node.'),
};

export function stateBackend(env: Environment): string {
  const state = env.terraformState;
  switch (state.backend) {
    case 'local':
      return `local files in \`${state.directory}/\` (sandbox only)`;
    case 'pg':
      return `PostgreSQL, schemas \`${state.schemaPrefix}_<stack>\`; connection from PG_CONN_STR`;
    case 'kubernetes':
      return `Kubernetes Secrets in namespace \`${state.namespace}\` of context \`${state.kubeContext}\``;
    case 's3':
      return `S3 bucket \`${state.bucket}\` (${state.region}), keys \`${state.keyPrefix}/<stack>.tfstate\`${state.endpoint ? ` at ${state.endpoint}` : ''}, lock files; credentials from AWS_*`;
  }
}

function loadBalancer(env: Environment): string {
  const lb = env.cluster.loadBalancer;
  if (lb.kind === 'metallb') return `MetalLB, pool ${lb.addresses.join(', ')}`;
  return lb.kind === 'cloud' ? 'the cloud\'s load balancer' : 'none (no Service of type LoadBalancer gets an address)';
}

export function glanceSection(env: Environment): Section {
  const { cluster, registry, xroad } = env;
  const rows: [string, string][] = [
    ['Environment', `\`${env.name}\` (environments/${env.name}/environment.yaml)`],
    ['Country', `${env.country.name} (${env.country.code})`],
    ['Stage', env.stage],
    ['Profile', env.profile],
    ['Domain', env.domain],
    ['High availability', env.ha.level],
    ['TLS certificates', env.tls.mode],
    ['Image registry', registry.mirror ? `everything through the mirror \`${registry.mirror}\`` : `pulled from ${registry.allowed.join(', ')}`],
    ['Images pinned by digest', `${Object.keys(registry.digests).length}`],
    ['Terraform state', stateBackend(env)],
    ['X-Road instance', `${xroad.instance}, central server ${xroad.centralServer.mode}${xroad.centralServer.address ? ` (${xroad.centralServer.address})` : ''}`],
  ];
  const assumptions = [
    `A Kubernetes ${cluster.kubernetesVersion} cluster, reached as kube context \`${cluster.kubeContext}\`, whose network plugin enforces NetworkPolicies.`,
    `Worker nodes of ${cluster.nodeSize.cpu} CPU, ${cluster.nodeSize.memoryGiB} GiB memory and ${cluster.nodeSize.maxPods} pods allocatable (capacity below is sized in these).`,
    `Storage through the CSI provisioner \`${cluster.storageProvisioner}\`: the kit creates class \`${cluster.storageClasses.data}\` (reclaim policy Retain) for data; \`${cluster.storageClasses.scratch}\` exists for data that may be lost.`,
    `Load balancing: ${loadBalancer(env)}.`,
    `Gateway API with the kit's GatewayClass \`${cluster.ingressClass}\`.`,
    'Cluster DNS in namespace `kube-system`, pods labelled `k8s-app=kube-dns`: the only egress every namespace allows.',
  ];
  return {
    id: 'environment',
    title: 'Environment at a glance',
    blocks: [STAGE_NOTICES[env.stage], table('environment', ['Setting', 'Value'], rows), paragraph('Cluster assumptions: what the kit expects of the cluster it deploys into.'), list(assumptions)],
  };
}
