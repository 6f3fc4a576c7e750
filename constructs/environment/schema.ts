import { z } from 'zod';
import { countryNames, countryNameMatches, isCountryCode } from './country-codes';
import { insideAny, ipv4Block, isCronSchedule, isHost, registryHost, urlOf } from './formats';
import { securityServerImageProblem } from '../information-mediator/sidecar-image';
import type { Recovery } from './recovery';

/**
 * The environment file a country forks: `environments/<name>/environment.yaml`.
 *
 * This schema describes the *resolved* environment (built-in defaults ← profile ← the file).
 * Every object is strict: an unknown field is an error, because a typo in a production file
 * must never be silently ignored. Defaults live in `defaults.ts` as data, not here, so that
 * the layering is visible and the JSON Schema given to editors stays honest.
 */

export const STAGES = ['sandbox', 'staging', 'production'] as const;
export const PROFILES = ['sandbox', 'onprem', 'cloud'] as const;
export const SIZES = ['small', 'medium', 'large'] as const;
export const SUPPORTED_KUBERNETES_VERSIONS = ['1.31', '1.32', '1.33', '1.34', '1.35'] as const;

const dnsLabel = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'a DNS label: lowercase letters, digits and "-", at most 63 characters');
const domainName = z
  .string()
  .regex(
    /^(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
    'a lowercase DNS domain such as "gov.example"',
  );
const ipRange = ipv4Block(['address', 'cidr', 'range'], 'an IPv4 address, CIDR ("10.0.0.0/28") or range ("10.0.0.10-10.0.0.20")');
const ipv4Cidr = ipv4Block(['cidr'], 'an IPv4 CIDR such as "198.51.100.0/24" ("0.0.0.0/0" for anywhere)');
const hostName = z.string().refine(isHost, 'a host name such as "cs.xroad.gov.example" or an IPv4 address');
/** Counts and sizes have a sane ceiling, so a typo (1e9) is refused rather than multiplied into a capacity bill. */
const count = (max: number, why: string) => z.number().int('a whole number').max(max, `at most ${max}: ${why}`);
const positive = (max: number, why: string) => z.number().positive('a number greater than 0').max(max, `at most ${max}: ${why}`);
/** Retention in days: Prometheus, Loki and Velero take it as a Go duration, which ends near 106,751 days. */
const retentionDays = count(3650, 'ten years; the products read retention as a duration in hours').positive('a number greater than 0');
const xroadIdentifier = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, 'letters, digits, "-" and "_"');

export const countrySchema = z.strictObject({
  code: z
    .string()
    .regex(/^[A-Z]{2}$/, { message: 'two capital letters (ISO 3166-1 alpha-2), e.g. "KE"', abort: true })
    .refine(isCountryCode, 'an ISO 3166-1 alpha-2 code in capitals, e.g. "KE" (user-assigned "XA"–"XZ" for fictional ones)')
    .describe('ISO 3166-1 alpha-2 country code'),
  name: z
    .string()
    .regex(/^[^\n\r\t]{2,100}$/, '2 to 100 characters on one line')
    .describe('the country name as reviewers should read it; for an officially assigned code, a name ISO 3166 gives it'),
});

export const clusterSchema = z.strictObject({
  kubernetesVersion: z.enum(SUPPORTED_KUBERNETES_VERSIONS).describe('minor version of the target cluster'),
  kubeContext: z.string().min(1).describe('kubeconfig context Terraform deploys into (credentials come from KUBE_CONFIG_PATH)'),
  ingressClass: dnsLabel.describe('GatewayClass name the kit creates and its Gateways use'),
  storageClasses: z.strictObject({
    data: dnsLabel.describe('storage class for government data; the kit creates it with reclaimPolicy Retain'),
    scratch: dnsLabel.describe('storage class for caches and other data that may be lost'),
    shared: dnsLabel
      .optional()
      .describe(
        'ReadWriteMany storage class (reclaimPolicy Retain) for files every replica of a component reads and writes, such as uploaded files; with the Longhorn the kit installs, the data class serves',
      ),
  }),
  storageProvisioner: z
    .string()
    .min(1)
    .describe('CSI provisioner behind the data class, e.g. "driver.longhorn.io" or the cloud\'s CSI driver'),
  loadBalancer: z.strictObject({
    kind: z.enum(['metallb', 'cloud', 'none']).describe('how Services of type LoadBalancer get addresses'),
    addresses: z.array(ipRange).describe('MetalLB address pool (metallb only)'),
  }),
  nodeSize: z.strictObject({
    cpu: positive(1024, 'no server has more cores').describe('allocatable CPU cores per worker node'),
    memoryGiB: positive(65536, 'no server has more than 64 TiB').describe('allocatable memory per worker node in GiB'),
    maxPods: count(1000, 'the kubelet is tested up to a few hundred pods per node').positive('a number greater than 0').describe('pods per node'),
  }),
});

export const tlsSchema = z.strictObject({
  mode: z
    .enum(['acme', 'internal-ca', 'provided'])
    .describe('acme: public certificates; internal-ca: a national/internal CA (air-gapped); provided: certificates you supply'),
  acme: z
    .strictObject({
      email: z.email().describe('contact address registered with the ACME server'),
      server: urlOf(['https'], 'https://acme-v02.api.letsencrypt.org/directory').describe('ACME directory URL'),
    })
    .optional(),
  internalCa: z
    .strictObject({ caSecret: dnsLabel.describe('Secret (in cert-manager\'s namespace) holding the CA key pair') })
    .optional(),
  provided: z.strictObject({ secret: dnsLabel.describe('TLS Secret holding the wildcard certificate') }).optional(),
});

/** Hosts a plain-http chart repository may be on: only this machine, where nothing travels over a network. */
const LOOPBACK_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\])(:\d+)?$/;

/**
 * A Helm chart repository: `oci://` (a registry path) or `https://` (an index.yaml repository);
 * `http://` only on a loopback host, where charts never cross a network unencrypted.
 */
export const chartRepositoryUrl = z
  .string()
  .refine((value) => {
    const match = /^(oci|https|http):\/\/([^/?#]+)(\/[^?#]*)?$/.exec(value);
    if (!match) return false;
    return match[1] !== 'http' || LOOPBACK_HOST.test(match[2]);
  }, 'an "oci://host/path" or "https://host/path" Helm chart repository ("http://" only for localhost or 127.0.0.1)');

export const registrySchema = z.strictObject({
  mirror: registryHost.optional().describe('every image and chart is pulled through this mirror when set (air-gap)'),
  charts: chartRepositoryUrl
    .optional()
    .describe('Helm repository every upstream chart is installed from (overrides "oci://<mirror>/charts"), e.g. a chart mirror of the data centre'),
  allowed: z.array(registryHost).min(1).describe('registries images may come from'),
  digests: z
    .record(z.string(), z.string().regex(/^sha256:[a-f0-9]{64}$/, 'a "sha256:<64 hex>" digest'))
    .describe('image reference → digest; images listed here are pinned by digest'),
});

export const terraformStateSchema = z
  .discriminatedUnion('backend', [
    z.strictObject({
      backend: z.literal('local').describe('state files on disk: sandbox only'),
      directory: z
        .string()
        .regex(/^[A-Za-z0-9_][A-Za-z0-9_-]*(\/[A-Za-z0-9_][A-Za-z0-9_-]*)*$/, 'a folder inside the project, e.g. "terraform-state" (no "..", no absolute path)')
        .describe('folder inside the project root holding <stack>.tfstate'),
    }),
    z.strictObject({
      backend: z.literal('pg').describe('PostgreSQL backend with locking; connection from PG_CONN_STR'),
      schemaPrefix: z.string().regex(/^[a-z_][a-z0-9_]*$/, 'a PostgreSQL identifier'),
    }),
    z.strictObject({
      backend: z.literal('kubernetes').describe('Secret + Lease lock in a management cluster'),
      namespace: dnsLabel,
      kubeContext: z.string().min(1).describe('context of the management cluster that keeps the state'),
    }),
    z.strictObject({
      backend: z.literal('s3').describe('S3 or S3-compatible store with lock files (use_lockfile)'),
      bucket: z.string().min(3),
      region: z.string().min(1),
      keyPrefix: z.string().min(1),
      endpoint: urlOf(['https', 'http'], 'https://objects.cloud.example')
        .optional()
        .describe('for S3-compatible stores; credentials from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY'),
      usePathStyle: z.boolean(),
    }),
  ])
  .describe('where Terraform keeps state; every stack gets its own key');

export const xroadMemberSchema = z.strictObject({
  name: dnsLabel
    .max(30, 'at most 30 characters: Kubernetes names such as "ss-<name>-secondary-<hash>" are derived from it')
    .describe('short name; also the name of this member\'s security server'),
  memberClass: xroadIdentifier,
  memberCode: xroadIdentifier,
  role: z
    .enum(['provider', 'consumer'])
    .describe('provider: hosts the government building blocks\' subsystems; consumer: e-services calling them'),
  address: domainName
    .optional()
    .describe('DNS name other security servers reach this one at (registered with the central server); required with an external central server'),
  loadBalancerIP: ipv4Block(['address'], 'an IPv4 address from the MetalLB pool, e.g. "10.20.0.21"')
    .optional()
    .describe('metallb only: the fixed address of this security server (5500/5577), so its DNS name keeps pointing at it across reinstalls'),
});

export const xroadSchema = z.strictObject({
  instance: xroadIdentifier.describe('X-Road instance identifier'),
  memberClasses: z.array(xroadIdentifier).min(1).describe('member classes of the instance'),
  operator: z.strictObject({ memberClass: xroadIdentifier, memberCode: xroadIdentifier }),
  centralServer: z.strictObject({
    mode: z
      .enum(['development', 'external'])
      .describe('development: the kit runs NIIS\'s test central server and CA (sandbox only); external: join a national instance'),
    address: hostName.optional().describe('host name of the external central server'),
    anchor: z
      .strictObject({
        kind: z.enum(['ConfigMap', 'Secret']),
        name: dnsLabel,
        key: z.string().min(1),
      })
      .optional()
      .describe('where the configuration anchor of the external instance is kept in the cluster'),
  }),
  securityServer: z.strictObject({
    version: z.string().regex(/^7\.\d+\.\d+$/, 'an X-Road 7.x release such as "7.8.0"'),
    variant: z.enum(['full', 'slim']),
    countryVariant: z.enum(['none', 'ee', 'fi', 'fo', 'is']).describe('country-specific image suffix'),
    topology: z.enum(['single', 'primary-secondaries']),
    secondaries: count(10, 'each secondary is a pod and a share of a node to buy')
      .min(0, '0 or more')
      .describe('secondary nodes behind the primary (primary-secondaries only)'),
    peerCidrs: z
      .array(ipv4Cidr)
      .min(1)
      .describe('where other members\' security servers may connect from (5500/5577) and be reached; X-Road authenticates them by TLS certificate'),
    logLevel: z.enum(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR']).describe('XROAD_LOG_LEVEL of the security servers'),
  }),
  members: z.array(xroadMemberSchema).min(1),
});

export const realmSchema = z.strictObject({
  name: dnsLabel.describe('realm name, used in OIDC URLs (/realms/<name>)'),
  displayName: z.string().min(1).describe('name shown on the sign-in page'),
});

export const buildingBlockSelectionSchema = z.strictObject({
  enabled: z
    .boolean()
    .describe('false retires the building block: nothing runs, but its namespace, database (still backed up) and secrets stay'),
  decommission: z
    .boolean()
    .optional()
    .describe('with enabled: false, removes the building block entirely; its data is then deleted by hand (README "Retire or decommission a building block")'),
  product: z.string().min(1).describe('product from the catalogue implementing this building block'),
  version: z.string().min(1).describe('product version from the catalogue'),
  size: z.enum(SIZES),
  realms: z
    .array(realmSchema)
    .optional()
    .describe('identity providers only (iam): realms imported at start; existing realms are never overwritten'),
});

export const namespaceQuotaSchema = z.strictObject({
  cpu: positive(4096, 'more than a namespace can use').describe('CPU cores all pods of the namespace may request together'),
  memoryGiB: positive(65536, 'more than a namespace can use').describe('memory all pods of the namespace may request together, in GiB'),
  storageGiB: z
    .number()
    .min(0, '0 or more')
    .max(1048576, 'at most 1048576 (1 PiB)')
    .describe('persistent storage all claims of the namespace may request together, in GiB'),
  pods: count(10000, 'more than a namespace can run').positive('a number greater than 0').describe('pods the namespace may run'),
});

/** An S3 bucket name as S3 itself accepts it: 3 to 63 lowercase letters, digits, "." and "-". */
const bucketName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name: 3 to 63 lowercase letters, digits, "." and "-"');

/**
 * Where backups go when they leave the cluster: another site's S3-compatible store or the cloud's.
 * TLS is not a choice (https only, certificates verified), nor is encryption at rest (the store
 * encrypts every object it is given). Each namespace that writes backups reads its own key,
 * scoped by the store's policy to its own prefix, from the Secret `<credentialsSecretPrefix>-<namespace>`.
 */
export const backupTargetSchema = z.strictObject({
  endpoint: urlOf(['https'], 'https://backups.dr-site.gov.example').describe('S3 endpoint of the off-cluster store (https: TLS is required, certificates are verified)'),
  cidrs: z
    .array(ipv4Cidr)
    .min(1)
    .describe('addresses the endpoint resolves to: whatever writes backups may reach only these, on the endpoint\'s port'),
  bucket: bucketName.describe('bucket of this environment\'s backups (created by the store\'s operators)'),
  region: z.string().min(1).describe('region of the bucket (any value the store accepts, e.g. "us-east-1" for most S3-compatible stores)'),
  usePathStyle: z.boolean().describe('path-style addressing (https://host/bucket), which most S3-compatible stores need'),
  serverSideEncryption: z
    .enum(['AES256', 'aws:kms'])
    .describe('encryption at rest the store applies to every object: AES256 (the store\'s keys) or aws:kms (a key of its key service)'),
  kmsKeyId: z.string().regex(/^[A-Za-z0-9:/_.-]{1,256}$/, 'a key id or ARN of the store\'s key service').optional().describe('aws:kms only: the key the store encrypts with'),
  credentialsSecretPrefix: dnsLabel
    .max(40, 'at most 40 characters: "<prefix>-<namespace>" must stay a Kubernetes name')
    .describe('each namespace that writes backups reads its own key from the Secret "<prefix>-<namespace>" in govstack-secrets (keys AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY), scoped to its own prefix of the bucket'),
});

/**
 * How OpenBao unseals after every start. `transit`: automatically, by a transit key of another
 * OpenBao or Vault (another site's, or a small unseal cluster of the data centre), which also lets
 * OpenBao configure itself on its first start (KV, Kubernetes auth, roles: no root token is handed
 * out). `manual`: Shamir key holders unseal every member after each restart (README, "OpenBao").
 * PKCS#11 needs an HSM-enabled OpenBao build and leaves the built-in seals after 2.6; the static
 * seal keeps the key beside the data it protects: neither is offered.
 */
export const openBaoUnsealSchema = z
  .discriminatedUnion('mode', [
    z.strictObject({
      mode: z.literal('transit').describe('auto-unseal with a transit key of another OpenBao or Vault'),
      address: urlOf(['https'], 'https://unseal.site2.gov.example:8200').describe('address of the OpenBao or Vault holding the key (https; its certificate is verified against ca.crt of tokenSecret)'),
      cidrs: z
        .array(ipv4Cidr)
        .min(1)
        .describe('addresses the unseal server resolves to: OpenBao may reach only these, on the address\'s port'),
      mountPath: z
        .string()
        .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*(\/[A-Za-z0-9][A-Za-z0-9_-]*)*$/, 'a mount path such as "transit" (letters, digits, "-", "_", "/" between parts)')
        .describe('mount path of the transit engine there'),
      keyName: z
        .string()
        .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/, 'a transit key name such as "govstack-production" (letters, digits, ".", "-", "_")')
        .describe('the transit key that wraps OpenBao\'s root key (never delete it: every snapshot needs it to be read)'),
      tokenSecret: dnsLabel.describe(
        'Secret in govstack-secrets, created by the operators, with keys "token" (an orphan periodic token allowed only encrypt and decrypt on the key) and "ca.crt" (the CA of the unseal server\'s certificate)',
      ),
    }),
    z.strictObject({
      mode: z.literal('manual').describe('Shamir keys: key holders unseal every member after each start (not in production)'),
    }),
  ])
  .describe('how OpenBao unseals after a start');

export const platformSchema = z.strictObject({
  objectStore: z
    .strictObject({
      region: z.string().min(1),
      bucketPrefix: dnsLabel,
    })
    .describe('the in-cluster S3 store (SeaweedFS): where a sandbox without platform.backups.target keeps its backups; its bucket is "<bucketPrefix>-<environment>-backups"'),
  secretStore: z
    .enum(['openbao', 'in-cluster'])
    .describe('openbao: the kit runs OpenBao + external-secrets; in-cluster: secrets generated in the cluster only'),
  openbao: z
    .strictObject({
      unseal: openBaoUnsealSchema.optional().describe('required with secretStore openbao: how OpenBao unseals after a start'),
      snapshotSchedule: z
        .string()
        .refine(isCronSchedule, 'a five-field cron schedule such as "15 * * * *" (minute hour day-of-month month day-of-week)')
        .describe('five-field cron of OpenBao\'s Raft snapshots to the backup target (kept platform.backups.retentionDays)'),
    })
    .describe('OpenBao, with secretStore openbao: unseal and snapshots'),
  storage: z.enum(['existing', 'longhorn']).describe('existing CSI driver, or Longhorn installed by the kit (on-prem)'),
  observability: z.strictObject({
    enabled: z.boolean(),
    metricsRetentionDays: retentionDays,
    logsRetentionDays: retentionDays,
  }),
  backups: z.strictObject({
    enabled: z.boolean(),
    schedule: z
      .string()
      .refine(isCronSchedule, 'a five-field cron schedule such as "0 2 * * *" (minute hour day-of-month month day-of-week)')
      .describe('five-field cron of Velero\'s backups of objects and volumes'),
    retentionDays,
    volumes: z
      .enum(['file-system', 'csi-snapshots'])
      .describe('how Velero copies volume contents: file-system (Kopia, by the node agent) or csi-snapshots (snapshots whose data the node agent moves to the target); either way the node agent runs (root, host paths: its namespace is privileged)'),
    target: backupTargetSchema
      .optional()
      .describe('the off-cluster store backups leave the cluster for; required outside the sandbox (the in-cluster store is lost with the cluster it protects)'),
  }),
  admissionPolicies: z.boolean().describe('install Kyverno and enforce at admission what the tests check at synthesis'),
  apiServer: z
    .strictObject({
      cidrs: z.array(ipv4Cidr).min(1).describe('addresses of the Kubernetes API server (control-plane nodes or the managed endpoint)'),
      ports: z.array(z.number().int().min(1).max(65535)).min(1).describe('its ports, e.g. [6443] for kubeadm, [443] for most managed clusters'),
    })
    .describe('controllers may open connections only to these addresses and ports for the Kubernetes API'),
  gateways: z.strictObject({
    internalSourceRanges: z
      .array(ipv4Cidr)
      .min(1)
      .describe('networks allowed to reach the internal gateway (admin UIs): the administrations\' networks'),
    internalServiceAnnotations: z
      .record(z.string(), z.string())
      .describe('annotations on the internal gateway\'s Service, e.g. the cloud\'s "internal load balancer" annotation'),
  }),
  namespaceQuotas: z
    .strictObject({ small: namespaceQuotaSchema, medium: namespaceQuotaSchema, large: namespaceQuotaSchema })
    .describe('ResourceQuota of every namespace the kit creates, by the size the component asks for'),
});

export const environmentSchema = z
  .strictObject({
    $schema: z.string().optional().describe('editor hint; ignored by the kit'),
    country: countrySchema,
    stage: z.enum(STAGES).describe('decides safety rules: production refuses development images and local state'),
    profile: z.enum(PROFILES).describe('sandbox, onprem (sovereign data centre) or cloud (government cloud)'),
    cluster: clusterSchema,
    domain: domainName.describe('base DNS domain; building blocks get <name>.<domain>'),
    tls: tlsSchema,
    registry: registrySchema,
    terraformState: terraformStateSchema,
    ha: z.strictObject({
      level: z.enum(['single', 'replicated', 'multi-zone']).describe('single: one replica; replicated: spread over nodes; multi-zone: over zones'),
    }),
    xroad: xroadSchema,
    buildingBlocks: z.record(dnsLabel, buildingBlockSelectionSchema).describe('building blocks by id'),
    platform: platformSchema,
  })
  .superRefine((env, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    if (env.terraformState.backend === 'local' && env.stage !== 'sandbox') {
      issue(['terraformState', 'backend'], `pg, kubernetes or s3: local state is allowed only when stage is sandbox, and this is ${env.stage}`);
    }
    if (env.stage !== 'sandbox' && env.xroad.centralServer.mode === 'development') {
      issue(
        ['xroad', 'centralServer', 'mode'],
        `"external" with its configuration anchor: the development central server and test CA are for the sandbox only, and this is ${env.stage}`,
      );
    }
    if (env.xroad.centralServer.mode === 'external' && !env.xroad.centralServer.anchor) {
      issue(['xroad', 'centralServer', 'anchor'], 'the configuration anchor of the external central server (kind, name, key)');
    }
    if (env.stage === 'production' && env.ha.level === 'single') {
      issue(['ha', 'level'], '"replicated" or "multi-zone": in production single replicas would not survive the loss of a node');
    }
    if (env.stage === 'production' && env.xroad.securityServer.topology !== 'primary-secondaries') {
      issue(['xroad', 'securityServer', 'topology'], '"primary-secondaries": production security servers run a primary and secondaries on an external database');
    }
    if (env.xroad.securityServer.topology === 'primary-secondaries' && env.xroad.securityServer.secondaries < 1) {
      issue(['xroad', 'securityServer', 'secondaries'], 'at least 1 secondary for the primary-secondaries topology');
    }
    const imageProblem = securityServerImageProblem(env.xroad.securityServer);
    if (imageProblem) issue(['xroad', 'securityServer', imageProblem.field], imageProblem.expected);
    if (env.xroad.centralServer.mode === 'external') {
      env.xroad.members.forEach((member, i) => {
        if (!member.address) issue(['xroad', 'members', i, 'address'], `the DNS name other security servers reach member "${member.name}" at`);
        if (member.loadBalancerIP && env.cluster.loadBalancer.kind !== 'metallb') {
          issue(['xroad', 'members', i, 'loadBalancerIP'], 'no loadBalancerIP unless cluster.loadBalancer.kind is metallb (a cloud load balancer assigns its own)');
        }
      });
    }
    for (const [id, selection] of Object.entries(env.buildingBlocks)) {
      if (selection.enabled && selection.decommission) {
        issue(
          ['buildingBlocks', id, 'decommission'],
          'false or no field while enabled is true: decommissioning removes a building block and its data, so it goes with enabled: false (enabled: false alone retires it: nothing runs, its data stays)',
        );
      }
    }
    const roles = new Set(env.xroad.members.map((m) => m.role));
    for (const role of ['provider', 'consumer'] as const) {
      if (!roles.has(role)) issue(['xroad', 'members'], `at least one member with role ${role}`);
    }
    const names = env.xroad.members.map((m) => m.name);
    names.forEach((name, i) => {
      if (names.indexOf(name) !== i) issue(['xroad', 'members', i, 'name'], `a unique member name; "${name}" is used twice`);
    });
    if (!countryNameMatches(env.country.code, env.country.name)) {
      issue(
        ['country', 'name'],
        `the name ISO 3166 gives ${env.country.code} (${countryNames(env.country.code).map((name) => `"${name}"`).join(', ')}, or a longer form containing it), or a user-assigned code ("XA"–"XZ") for a fictional country`,
      );
    }
    if (env.cluster.loadBalancer.kind === 'metallb') {
      env.xroad.members.forEach((member, i) => {
        if (member.loadBalancerIP && !insideAny(member.loadBalancerIP, env.cluster.loadBalancer.addresses)) {
          issue(['xroad', 'members', i, 'loadBalancerIP'], `an address inside the MetalLB pool cluster.loadBalancer.addresses (${env.cluster.loadBalancer.addresses.join(', ')})`);
        }
      });
    }
    if (env.cluster.loadBalancer.kind === 'metallb' && env.cluster.loadBalancer.addresses.length === 0) {
      issue(['cluster', 'loadBalancer', 'addresses'], 'an address pool for metallb, e.g. ["10.20.0.10-10.20.0.30"]');
    }
    if (env.tls.mode === 'acme' && !env.tls.acme) issue(['tls', 'acme'], 'acme.email and acme.server when tls mode is acme');
    if (env.tls.mode === 'internal-ca' && !env.tls.internalCa) issue(['tls', 'internalCa'], 'internalCa.caSecret when tls mode is internal-ca');
    if (env.tls.mode === 'provided' && !env.tls.provided) issue(['tls', 'provided'], 'provided.secret when tls mode is provided');
    if (env.stage !== 'sandbox' && env.platform.apiServer.cidrs.some((cidr) => cidr.endsWith('/0'))) {
      issue(
        ['platform', 'apiServer', 'cidrs'],
        `the API server's own addresses, e.g. ["10.0.0.10/32"] (the control-plane nodes or the managed endpoint): "0.0.0.0/0" is allowed only when stage is sandbox, and this is ${env.stage}; every controller and database would otherwise reach any address on the API server's ports`,
      );
    }
    if (env.platform.storage === 'longhorn' && env.cluster.storageProvisioner !== 'driver.longhorn.io') {
      issue(['cluster', 'storageProvisioner'], '"driver.longhorn.io" when platform.storage is longhorn: the data class must be provisioned by the Longhorn the kit installs');
    }
    if (env.platform.secretStore === 'openbao') {
      const unseal = env.platform.openbao.unseal;
      if (!unseal) {
        issue(
          ['platform', 'openbao', 'unseal'],
          'how OpenBao unseals after a start: {mode: transit, address, cidrs, mountPath, keyName, tokenSecret} (auto-unseal by another OpenBao or Vault) or {mode: manual} (Shamir key holders, README "OpenBao")',
        );
      } else if (unseal.mode === 'manual' && env.stage === 'production') {
        issue(
          ['platform', 'openbao', 'unseal', 'mode'],
          'transit in production: with manual unsealing every restarted OpenBao member stays sealed, and no secret reaches a building block, until key holders come',
        );
      }
      if (!env.platform.backups.enabled || !env.platform.backups.target) {
        issue(
          ['platform', 'secretStore'],
          'in-cluster, or OpenBao with platform.backups.enabled and an off-cluster platform.backups.target: OpenBao\'s Raft snapshots go there, and secrets without a backup are lost with the cluster',
        );
      }
    }
    const backups = env.platform.backups;
    if (env.stage === 'production' && !backups.enabled) {
      issue(['platform', 'backups', 'enabled'], 'true: production keeps off-cluster backups of its databases and volumes');
    }
    if (env.stage !== 'sandbox' && backups.enabled && !backups.target) {
      issue(
        ['platform', 'backups', 'target'],
        `an off-cluster S3-compatible store (endpoint, bucket, region, usePathStyle, serverSideEncryption, credentialsSecretPrefix): backups kept inside the cluster are lost with it, and this is ${env.stage}`,
      );
    }
    if (backups.target) {
      const host = new URL(backups.target.endpoint).hostname;
      if (/(\.svc|\.cluster\.local)$/.test(host)) {
        issue(['platform', 'backups', 'target', 'endpoint'], 'the address of a store outside this cluster: a Service of the cluster is lost with it');
      }
      if (backups.target.kmsKeyId && backups.target.serverSideEncryption !== 'aws:kms') {
        issue(['platform', 'backups', 'target', 'kmsKeyId'], 'no kmsKeyId unless serverSideEncryption is aws:kms');
      }
    }
  });

export type Environment = z.infer<typeof environmentSchema> & {
  /** The environment's folder name, e.g. `sandbox`; stacks are named `<name>-<layer>`. */
  readonly name: string;
  /** Set by `npm run restore` only: this synthesis recovers the environment into a clean cluster. */
  readonly recovery?: Recovery;
};
export type Stage = (typeof STAGES)[number];
export type Profile = (typeof PROFILES)[number];
export type Size = (typeof SIZES)[number];
export type XRoadMember = z.infer<typeof xroadMemberSchema>;
export type BackupTarget = z.infer<typeof backupTargetSchema>;
export type OpenBaoUnseal = z.infer<typeof openBaoUnsealSchema>;
export type BuildingBlockSelection = z.infer<typeof buildingBlockSelectionSchema>;
