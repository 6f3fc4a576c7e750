import type { OpenBaoUnseal } from '../environment/schema';

/**
 * OpenBao's server configuration (HCL), as the kit writes it: every key checked against OpenBao
 * 2.6.2 (`website/content/docs/configuration/`, the transit wrapper of go-kms-wrapping v2.8.0).
 * It names files and environment variables, never a secret value.
 */

/** Where the server's certificate, key and the internal CA are mounted. */
export const OPENBAO_TLS_DIR = '/openbao/tls';
/** Where the chart mounts the audit claim (its `server.auditStorage.mountPath` default). */
export const OPENBAO_AUDIT_DIR = '/openbao/audit';
/** Where the transit seal's CA (`ca.crt` of the unseal Secret) is mounted. */
export const OPENBAO_UNSEAL_DIR = '/openbao/unseal';
/** The transit wrapper reads its token from this variable (go-kms-wrapping `EnvVaultTransitSealToken`), so the token stays out of the file. */
export const TRANSIT_TOKEN_VARIABLE = 'VAULT_TRANSIT_SEAL_TOKEN';

/** What OpenBao serves the kit, set up by the configuration itself on the first start (auto-unseal only). */
export const OPENBAO_SETUP = {
  kvMount: 'secret',
  kubernetesAuthMount: 'kubernetes',
  externalSecrets: { role: 'external-secrets', policy: 'external-secrets-read' },
  snapshots: { role: 'raft-snapshot', policy: 'raft-snapshot', serviceAccount: 'openbao-snapshot' },
  restore: { role: 'raft-restore', policy: 'raft-restore', serviceAccount: 'openbao-restore' },
} as const;

export interface OpenBaoConfigProps {
  readonly port: number;
  readonly clusterPort: number;
  /** `https://<member>.<internal service>:<port>` of each Raft member to join; empty for one server. */
  readonly raftPeers: readonly string[];
  readonly unseal: OpenBaoUnseal;
  /** The service account external-secrets reads with. */
  readonly externalSecrets: { readonly serviceAccount: string; readonly namespace: string };
  readonly namespace: string;
  /** A recovery: the restore Job's role exists in the fresh cluster until the snapshot replaces its data. */
  readonly recovery: boolean;
}

export function openBaoConfig(props: OpenBaoConfigProps): string {
  const listener = block('listener "tcp"', [
    `address = "[::]:${props.port}"`,
    `cluster_address = "[::]:${props.clusterPort}"`,
    `tls_cert_file = "${OPENBAO_TLS_DIR}/tls.crt"`,
    `tls_key_file = "${OPENBAO_TLS_DIR}/tls.key"`,
    'tls_min_version = "tls13"',
  ]);
  const joins = props.raftPeers.map((peer) => block('retry_join', [`leader_api_addr = "${peer}"`, `leader_ca_cert_file = "${OPENBAO_TLS_DIR}/ca.crt"`]));
  const raft = block('storage "raft"', ['path = "/openbao/data"', ...joins]);
  // Declared in the configuration (OpenBao 2.4+ refuses audit devices enabled through the API by
  // default), so every request is audited from the first start, on the audit claim.
  const audit = block('audit "file" "file"', ['description = "every request and response"', block('options', [`file_path = "${OPENBAO_AUDIT_DIR}/audit.log"`])]);
  return [
    'ui = true',
    listener,
    raft,
    audit,
    ...(props.unseal.mode === 'transit' ? [transitSeal(props.unseal), ...selfInitialisation(props)] : []),
    'service_registration "kubernetes" {}',
    '',
  ].join('\n');
}

function transitSeal(unseal: Extract<OpenBaoUnseal, { mode: 'transit' }>): string {
  return block('seal "transit"', [
    `address = "${unseal.address}"`,
    `mount_path = "${unseal.mountPath}/"`,
    `key_name = "${unseal.keyName}"`,
    `tls_ca_cert = "${OPENBAO_UNSEAL_DIR}/ca.crt"`,
  ]);
}

/**
 * Self-initialisation (OpenBao 2.4+, auto-unseal only): on its very first start OpenBao mounts
 * the KV store, enables Kubernetes auth against its own cluster and writes the read-only policy and
 * roles the kit's clients log in with; the root token it uses is revoked, and no recovery key is
 * handed out (README, "OpenBao"). A snapshot restored later brings its own copy of all of this.
 */
function selfInitialisation(props: OpenBaoConfigProps): string[] {
  const { kvMount, kubernetesAuthMount: auth, externalSecrets, snapshots, restore } = OPENBAO_SETUP;
  const request = (name: string, path: string, data: readonly string[]) => block(`request "${name}"`, ['operation = "update"', `path = "${path}"`, block('data =', data)]);
  const policy = (name: string, rules: readonly string[]) => request(name, `sys/policies/acl/${name}`, ['policy = <<-EOT', ...rules.map((rule) => `  ${rule}`), 'EOT']);
  const role = (name: string, serviceAccount: string, namespace: string, policyName: string, ttl: string) =>
    request(`role-${name}`, `auth/${auth}/role/${name}`, [
      `bound_service_account_names = ["${serviceAccount}"]`,
      `bound_service_account_namespaces = ["${namespace}"]`,
      `token_policies = ["${policyName}"]`,
      `token_ttl = "${ttl}"`,
      `token_max_ttl = "${ttl}"`,
    ]);
  return [
    block('initialize "secrets"', [request('kv', `sys/mounts/${kvMount}`, ['type = "kv"', block('options =', ['version = "2"'])])]),
    block('initialize "kubernetes-auth"', [
      request('enable', `sys/auth/${auth}`, ['type = "kubernetes"']),
      // The pod's own CA and token review the tokens: nothing of this cluster is written into OpenBao's data.
      request('config', `auth/${auth}/config`, ['kubernetes_host = "https://kubernetes.default.svc"']),
    ]),
    block('initialize "policies"', [
      policy(externalSecrets.policy, [`path "${kvMount}/data/*" { capabilities = ["read"] }`, `path "${kvMount}/metadata/*" { capabilities = ["read", "list"] }`]),
      policy(snapshots.policy, ['path "sys/storage/raft/snapshot" { capabilities = ["read"] }']),
      ...(props.recovery ? [policy(restore.policy, ['path "sys/storage/raft/snapshot-force" { capabilities = ["update"] }'])] : []),
    ]),
    block('initialize "roles"', [
      role(externalSecrets.role, props.externalSecrets.serviceAccount, props.externalSecrets.namespace, externalSecrets.policy, '1h'),
      role(snapshots.role, snapshots.serviceAccount, props.namespace, snapshots.policy, '15m'),
      ...(props.recovery ? [role(restore.role, restore.serviceAccount, props.namespace, restore.policy, '15m')] : []),
    ]),
  ];
}

/** An HCL block (or object) with its body indented; `<<-` heredocs allow their indented terminator. */
function block(header: string, body: readonly string[]): string {
  return [`${header} {`, ...body.flatMap((line) => line.split('\n')).map((line) => `  ${line}`), '}'].join('\n');
}
