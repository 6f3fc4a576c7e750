import { isCountryCode } from '../../constructs/environment/country-codes';
import { PROFILE_DEFAULTS } from '../../constructs/environment/defaults';
import type { Environment } from '../../constructs/environment/schema';

/** What `npm run new-country` is asked for. */
export interface NewCountryRequest {
  /** ISO 3166-1 alpha-2, any case. */
  readonly code: string;
  readonly name: string;
  readonly profile: string;
  readonly stage: string;
  /** @default derived from the country name and stage, e.g. `atlantis-production` */
  readonly envName?: string;
}

export const FORK_PROFILES = ['onprem', 'cloud'] as const;
export const FORK_STAGES = ['staging', 'production'] as const;
type ForkProfile = (typeof FORK_PROFILES)[number];
type ForkStage = (typeof FORK_STAGES)[number];

export interface NewCountry {
  readonly envName: string;
  readonly code: string;
  readonly profile: ForkProfile;
  readonly stage: ForkStage;
  /** The environment file, commented for the engineer who completes it. */
  readonly text: string;
}

/** A user error in the request; the message names the option, the value and what is expected. */
export class NewCountryError extends Error {}

const ENV_NAME = /^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?$/;

/** `Republic of Atlantis` + production → `republic-of-atlantis-production`. */
export function deriveEnvName(countryName: string, stage: string): string {
  const slug = countryName
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug ? `${slug}-${stage}` : '';
}

function validated(request: NewCountryRequest): Omit<NewCountry, 'text'> {
  const code = request.code.trim().toUpperCase();
  if (!isCountryCode(code)) {
    throw new NewCountryError(
      `--code "${request.code}" is not an ISO 3166-1 alpha-2 country code: expected two letters such as "KE" (user-assigned "XA"–"XZ" for a fictional country)`,
    );
  }
  if (!/^[^\n\r\t]{2,100}$/.test(request.name.trim())) {
    throw new NewCountryError(`--name "${request.name}" must be the country's name as reviewers should read it: 2 to 100 characters on one line`);
  }
  if (!(FORK_PROFILES as readonly string[]).includes(request.profile)) {
    throw new NewCountryError(`--profile "${request.profile}" is not one of ${FORK_PROFILES.join(', ')} (the sandbox profile is only for the shipped sandbox environment)`);
  }
  if (!(FORK_STAGES as readonly string[]).includes(request.stage)) {
    throw new NewCountryError(`--stage "${request.stage}" is not one of ${FORK_STAGES.join(', ')}`);
  }
  const envName = request.envName ?? deriveEnvName(request.name, request.stage);
  if (!ENV_NAME.test(envName)) {
    throw new NewCountryError(
      request.envName
        ? `--env-name "${request.envName}" must be lowercase letters, digits and "-", at most 40 characters, starting and ending with a letter or digit`
        : `cannot derive an environment name from --name "${request.name}": give one with --env-name (lowercase letters, digits and "-")`,
    );
  }
  return { envName, code, profile: request.profile as ForkProfile, stage: request.stage as ForkStage };
}

const q = (text: string) => JSON.stringify(text);

/**
 * The environment file of a new country: only what the profile cannot know (identity, domain,
 * cluster context and addresses, X-Road identity, cloud endpoints), with placeholders that pass
 * validation — documentation addresses (192.0.2.0/24) and `.example` domains — marked REPLACE.
 */
export function newCountryEnvironment(request: NewCountryRequest): NewCountry {
  const fork = validated(request);
  const { envName, code, profile, stage } = fork;
  const slug = envName.slice(0, -(stage.length + 1)) || envName;
  const domain = `${stage === 'production' ? '' : 'staging.'}gov.${slug}.example`;
  const nodeSize = (PROFILE_DEFAULTS[profile] as { cluster: { nodeSize: Environment['cluster']['nodeSize'] } }).cluster.nodeSize;
  const lines = [
    '# yaml-language-server: $schema=../environment.schema.json',
    '#',
    `# ${request.name.trim()}, ${stage}, on the "${profile}" profile. Created by \`npm run new-country\`.`,
    '# Only what differs from the profile is written here; after `npm run synth -- --env ' + envName + '`,',
    `# dist/${envName}/environment.resolved.yaml shows every inherited value and dist/${envName}/REVIEW.md the result.`,
    '# Values marked REPLACE are placeholders that pass validation (".example" domains, documentation',
    '# addresses 192.0.2.0/24): replace them with your own before deploying anything.',
    'country:',
    `  code: ${code}`,
    `  name: ${q(request.name.trim())}`,
    `stage: ${stage}`,
    `profile: ${profile}`,
    '',
    '# REPLACE: the DNS domain of your services; building blocks are reached as <name>.<domain>.',
    `domain: ${domain}`,
    '',
    'cluster:',
    '  # REPLACE: the kubeconfig context of the target cluster; Terraform deploys into it.',
    `  kubeContext: ${envName}`,
    ...(profile === 'onprem'
      ? [
          '  loadBalancer:   # MetalLB, from the profile',
          '    # REPLACE: addresses MetalLB may announce on your data-centre network (X-Road and gateways need one each).',
          '    addresses:',
          '      - 192.0.2.10-192.0.2.30',
        ]
      : []),
    '  # The profile assumes worker nodes of its default size; set yours for the capacity bill of materials:',
    `  # nodeSize: { cpu: ${nodeSize.cpu}, memoryGiB: ${nodeSize.memoryGiB}, maxPods: ${nodeSize.maxPods} }`,
    ...(profile === 'onprem'
      ? [
          '',
          '# Air-gapped? Pull every image and chart through your registry mirror (see dist/<env>/images.txt):',
          '# registry:',
          `#   mirror: registry.${domain}/govstack`,
          `#   allowed: [registry.${domain}]`,
          '',
          '# Terraform state: the profile\'s PostgreSQL backend (connection string from PG_CONN_STR, never this file).',
        ]
      : [
          '',
          'tls:   # ACME certificates, from the profile',
          '  acme:',
          `    email: platform-team@${domain}   # REPLACE: who the ACME server writes to about expiring certificates`,
          `    server: ${stage === 'production' ? 'https://acme-v02.api.letsencrypt.org/directory' : 'https://acme-staging-v02.api.letsencrypt.org/directory'}`,
          '',
          '# Terraform state in your cloud\'s S3-compatible store; credentials from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY.',
          'terraformState:   # backend s3, from the profile',
          `  bucket: ${slug}-govstack-tfstate   # REPLACE`,
          '  region: eu-central-1               # REPLACE',
          `  keyPrefix: ${stage}`,
          `  endpoint: https://objects.cloud.${slug}.example   # REPLACE, or remove for AWS S3 itself`,
          '  usePathStyle: true',
        ]),
    '',
    'platform:',
    ...openBaoLines(slug, envName),
    ...backupTargetLines(slug, envName),
    ...apiServerLines(profile === 'onprem' ? 6443 : 443),
    '',
    '# The X-Road instance this environment joins; identities come from your national X-Road operator.',
    'xroad:',
    `  instance: ${code}${stage === 'production' ? '' : '-TEST'}   # REPLACE: the instance identifier`,
    '  operator:',
    '    memberClass: GOV',
    `    memberCode: ${code}-OPERATOR   # REPLACE: the operator's member code`,
    '  centralServer:   # external: this environment joins an existing instance',
    `    address: cs.xroad.${domain}   # REPLACE: host name of the central server`,
    '    anchor:   # where you keep the configuration anchor (downloaded from the central server) in the cluster',
    '      kind: ConfigMap',
    '      name: xroad-configuration-anchor',
    '      key: configuration-anchor.xml',
    '  members:',
    '    - name: gov-platform   # hosts the government building blocks\' subsystems',
    '      memberClass: GOV',
    `      memberCode: ${code}-GOV-0001   # REPLACE: registered member code`,
    '      role: provider',
    `      address: ss-gov.xroad.${domain}   # REPLACE: DNS name other security servers reach this one at`,
    '    - name: eservices      # the e-services that call the building blocks',
    '      memberClass: GOV',
    `      memberCode: ${code}-GOV-0002   # REPLACE: registered member code`,
    '      role: consumer',
    `      address: ss-eservices.xroad.${domain}   # REPLACE: DNS name other security servers reach this one at`,
    '',
    '# Building blocks to run, from the catalogue (see README "Environments"), e.g.:',
    '# buildingBlocks:',
    '#   <id>: { enabled: true, product: <product>, version: <version>, size: medium }',
  ];
  return { ...fork, text: `${lines.join('\n')}\n` };
}

/** The off-cluster store every staging and production environment names for its backups. */
function backupTargetLines(slug: string, envName: string): string[] {
  return [
    '  # Backups leave the cluster: another site\'s S3-compatible store, or your cloud\'s in another region.',
    '  # Each namespace that writes backups reads its own key, which the store must limit to the prefix',
    '  # "<namespace>/" of the bucket, from the Secret "backup-<namespace>" in govstack-secrets',
    '  # (keys AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY): create one per namespace (README "Backups").',
    '  backups:',
    '    target:',
    `      endpoint: https://backups.${slug}.example   # REPLACE: the store's https endpoint`,
    '      cidrs: [192.0.2.64/28]                     # REPLACE: the addresses it resolves to',
    `      bucket: ${envName}-backups`,
    '      region: us-east-1                          # REPLACE: the bucket\'s region',
    '      usePathStyle: true',
    '      serverSideEncryption: AES256               # or aws:kms with kmsKeyId',
    '      credentialsSecretPrefix: backup',
  ];
}

/** Both fork profiles run OpenBao, which must say how it unseals (README "OpenBao"). */
function openBaoLines(slug: string, envName: string): string[] {
  return [
    '  # OpenBao unseals itself with a transit key of another OpenBao or Vault (README "OpenBao"); its token',
    '  # (allowed only encrypt/decrypt with that key) and that server\'s CA go in the Secret "openbao-unseal"',
    '  # of govstack-secrets (keys token, ca.crt). Outside production, {mode: manual} lets key holders unseal.',
    '  openbao:',
    '    unseal:',
    '      mode: transit',
    `      address: https://unseal.${slug}.example:8200   # REPLACE: the unseal server`,
    '      cidrs: [192.0.2.80/29]                     # REPLACE: the addresses it resolves to',
    '      mountPath: transit',
    `      keyName: govstack-${envName}`,
    '      tokenSecret: openbao-unseal',
  ];
}

/** Staging and production refuse the default "anywhere" for the API server: controllers may reach only its real addresses. */
function apiServerLines(port: number): string[] {
  return [
    '  # REPLACE: the addresses of your Kubernetes API server (control-plane nodes, or the managed endpoint):',
    '  # controllers may open connections to the Kubernetes API there and nowhere else.',
    '  apiServer:',
    '    cidrs: [192.0.2.1/32]',
    `    ports: [${port}]`,
  ];
}
