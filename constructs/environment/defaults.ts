import type { Profile, Stage } from './schema';

/**
 * The layers under a country's environment file: built-in defaults, then the stage's, then the profile.
 * Plain data so a reviewer can read what a country inherits; the file on top holds only what differs.
 * Arrays replace, objects merge (see `merge.ts`).
 */
export type Layer = { readonly [key: string]: unknown };

/** What every environment starts from: safe, small, and explicit about what must be chosen. */
export const BUILT_IN_DEFAULTS: Layer = {
  cluster: {
    kubernetesVersion: '1.33',
    kubeContext: 'govstack',
    ingressClass: 'govstack-gateway',
    storageClasses: { data: 'govstack-data', scratch: 'standard' },
    storageProvisioner: 'rancher.io/local-path',
    loadBalancer: { kind: 'none', addresses: [] },
    nodeSize: { cpu: 4, memoryGiB: 16, maxPods: 110 },
  },
  tls: { mode: 'internal-ca', internalCa: { caSecret: 'govstack-root-ca' } },
  registry: {
    allowed: ['docker.io', 'quay.io', 'ghcr.io', 'registry.k8s.io', 'docker.n8n.io'],
    digests: {},
  },
  ha: { level: 'single' },
  xroad: {
    memberClasses: ['GOV', 'ORG', 'COM'],
    centralServer: { mode: 'external' },
    securityServer: {
      version: '7.8.0',
      variant: 'full',
      countryVariant: 'none',
      topology: 'single',
      secondaries: 0,
      peerCidrs: ['0.0.0.0/0'],
      logLevel: 'INFO',
    },
  },
  buildingBlocks: {},
  platform: {
    objectStore: { region: 'local', bucketPrefix: 'govstack' },
    secretStore: 'in-cluster',
    // Hourly: a secret changed since the last snapshot is lost with the cluster. Unseal has no default.
    openbao: { snapshotSchedule: '15 * * * *' },
    storage: 'existing',
    observability: { enabled: true, metricsRetentionDays: 15, logsRetentionDays: 30 },
    backups: { enabled: true, schedule: '0 2 * * *', retentionDays: 30, volumes: 'file-system' },
    admissionPolicies: false,
    // Unknown until the country writes its API server's addresses; staging and production refuse this default.
    apiServer: { cidrs: ['0.0.0.0/0'], ports: [443, 6443] },
    gateways: { internalSourceRanges: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'], internalServiceAnnotations: {} },
    namespaceQuotas: {
      small: { cpu: 2, memoryGiB: 4, storageGiB: 20, pods: 20 },
      medium: { cpu: 4, memoryGiB: 8, storageGiB: 100, pods: 40 },
      large: { cpu: 8, memoryGiB: 16, storageGiB: 500, pods: 100 },
    },
  },
};

/**
 * What the stage decides before the profile: how often Velero copies objects and volumes off the
 * cluster and how long copies are kept. Production loses at most six hours of volume data and keeps
 * five weeks (a month's end and the days after it); staging keeps two weeks of daily copies.
 */
export const STAGE_DEFAULTS: Record<Stage, Layer> = {
  sandbox: {},
  staging: { platform: { backups: { schedule: '0 2 * * *', retentionDays: 14 } } },
  production: { platform: { backups: { schedule: '0 */6 * * *', retentionDays: 35 } } },
};

/** The core building blocks a sandbox runs for learning and demos (products from `constructs/catalogue`). */
const CORE_BUILDING_BLOCKS: Layer = {
  iam: { enabled: true, product: 'keycloak', version: '26.7.3', size: 'small', realms: [{ name: 'govstack', displayName: 'GovStack Sandbox' }] },
  identity: { enabled: true, product: 'esignet', version: '1.8.0', size: 'small' },
  'digital-registries': { enabled: true, product: 'baserow', version: '1.35.3', size: 'small' },
  registration: { enabled: true, product: 'camunda', version: '7.24.0', size: 'small' },
  workflow: { enabled: true, product: 'n8n', version: '2.23.4', size: 'small' },
  messaging: { enabled: true, product: 'apprise', version: '1.5.2', size: 'small' },
  consent: { enabled: true, product: 'bb-consent', version: '2024.2.1', size: 'small' },
  scheduling: { enabled: true, product: 'hapi-fhir', version: '8.10.0-3', size: 'small' },
  payments: { enabled: true, product: 'g2p-bridge', version: '1.0.2', size: 'small' },
};

export const PROFILE_DEFAULTS: Record<Profile, Layer> = {
  /** Everything on one small cluster; local state allowed; the development X-Road instance. */
  sandbox: {
    cluster: {
      kubeContext: 'govstack-sandbox',
      loadBalancer: { kind: 'none', addresses: [] },
      nodeSize: { cpu: 8, memoryGiB: 32, maxPods: 110 },
    },
    domain: 'sandbox.govstack.test',
    terraformState: { backend: 'local', directory: 'terraform-state' },
    xroad: {
      instance: 'SANDBOX',
      operator: { memberClass: 'GOV', memberCode: 'SANDBOX-OPERATOR' },
      centralServer: { mode: 'development' },
      members: [
        { name: 'provider', memberClass: 'GOV', memberCode: 'PROVIDER', role: 'provider' },
        { name: 'consumer', memberClass: 'ORG', memberCode: 'CLIENT', role: 'consumer' },
      ],
    },
    buildingBlocks: CORE_BUILDING_BLOCKS,
    platform: {
      observability: { enabled: true, metricsRetentionDays: 3, logsRetentionDays: 3 },
      backups: { enabled: false, schedule: '0 2 * * *', retentionDays: 7, volumes: 'file-system' },
      namespaceQuotas: {
        small: { cpu: 1, memoryGiB: 2, storageGiB: 5, pods: 10 },
        medium: { cpu: 2, memoryGiB: 4, storageGiB: 20, pods: 20 },
        large: { cpu: 4, memoryGiB: 8, storageGiB: 50, pods: 60 },
      },
    },
  },
  /** A sovereign data centre: MetalLB, an internal CA, Longhorn, a registry mirror, no cloud APIs; backups go to another site's store. */
  onprem: {
    cluster: {
      loadBalancer: { kind: 'metallb', addresses: [] },
      storageProvisioner: 'driver.longhorn.io',
      nodeSize: { cpu: 16, memoryGiB: 64, maxPods: 110 },
    },
    tls: { mode: 'internal-ca', internalCa: { caSecret: 'govstack-root-ca' } },
    terraformState: { backend: 'pg', schemaPrefix: 'govstack' },
    ha: { level: 'replicated' },
    xroad: {
      securityServer: { topology: 'primary-secondaries', secondaries: 2 },
    },
    platform: {
      secretStore: 'openbao',
      storage: 'longhorn',
      admissionPolicies: true,
      namespaceQuotas: {
        small: { cpu: 2, memoryGiB: 4, storageGiB: 50, pods: 20 },
        medium: { cpu: 8, memoryGiB: 16, storageGiB: 500, pods: 60 },
        large: { cpu: 16, memoryGiB: 48, storageGiB: 2000, pods: 200 },
      },
    },
  },
  /** A government cloud: its load balancer and storage, ACME certificates; backups go to its object store in another region. */
  cloud: {
    cluster: {
      loadBalancer: { kind: 'cloud', addresses: [] },
      nodeSize: { cpu: 8, memoryGiB: 32, maxPods: 110 },
    },
    tls: { mode: 'acme' },
    terraformState: { backend: 's3', bucket: 'govstack-terraform-state', region: 'eu-central-1', keyPrefix: 'govstack', usePathStyle: false },
    ha: { level: 'replicated' },
    xroad: {
      securityServer: { topology: 'primary-secondaries', secondaries: 2 },
    },
    platform: {
      secretStore: 'openbao',
      storage: 'existing',
    },
  },
};
