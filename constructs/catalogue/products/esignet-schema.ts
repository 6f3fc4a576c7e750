/**
 * The database schemas of eSignet 1.8.0 and of its mock identity system 0.13.0, as data the kit owns.
 *
 * Neither service creates its tables: eSignet builds its own JPA setup (EsignetDaoConfig.java), which
 * reads `hibernate.hbm2ddl.auto` with the default `none`, and the mock identity system sets
 * `spring.jpa.hibernate.ddl-auto=none`. MOSIP ships the schemas as SQL beside the code; the tables,
 * columns, keys and key policies below are those of mosip/esignet `db_scripts/mosip_esignet` at v1.8.0
 * and mosip/esignet-mock-services `db_scripts/mosip_mockidentitysystem` at v0.13.0.
 */

/** A column: name, PostgreSQL type, and whether it is required or has a default. */
interface Column {
  readonly name: string;
  readonly type: string;
  readonly notNull?: boolean;
  readonly default?: string;
}

interface Table {
  readonly name: string;
  readonly columns: readonly Column[];
  /** Constraint name and columns, as MOSIP names them (their scripts and upgrades refer to them). */
  readonly primaryKey?: readonly [string, readonly string[]];
  readonly unique?: readonly (readonly [string, readonly string[]])[];
  readonly indexes?: readonly (readonly [string, readonly string[]])[];
}

/** A schema of one service: its tables and the key policies its key manager reads at start. */
export interface ServiceSchema {
  readonly schema: string;
  readonly tables: readonly Table[];
  /** Key manager policies by application id: key validity and days before expiry to renew. */
  readonly keyPolicies: Readonly<Record<string, { readonly validityDays: number; readonly preExpireDays: number }>>;
  /** Further rows the service reads as configuration. */
  readonly rows?: readonly { readonly table: string; readonly values: Readonly<Record<string, string>> }[];
}

const required = (name: string, type: string): Column => ({ name, type, notNull: true });
const optional = (name: string, type: string): Column => ({ name, type });

/** MOSIP's audit columns: who created and changed a row, and its soft deletion. */
const AUDITED: readonly Column[] = [
  required('cr_by', 'varchar(256)'),
  required('cr_dtimes', 'timestamp'),
  optional('upd_by', 'varchar(256)'),
  optional('upd_dtimes', 'timestamp'),
  { name: 'is_deleted', type: 'boolean', default: 'false' },
  optional('del_dtimes', 'timestamp'),
];

/**
 * The key manager's tables, the same in every MOSIP service that embeds it: key aliases (one per
 * generated key, written when the service creates its keys at start), the keys wrapped by the
 * keystore's master keys, the key policies, and the trusted CA certificates. Certificates are
 * `certificateType`: bounded in eSignet's scripts, unbounded in the mock identity system's.
 */
function keyManagerTables(certificateType: string): Table[] {
  return [
    {
      name: 'key_alias',
      columns: [
        required('id', 'varchar(36)'),
        required('app_id', 'varchar(36)'),
        optional('ref_id', 'varchar(128)'),
        optional('key_gen_dtimes', 'timestamp'),
        optional('key_expire_dtimes', 'timestamp'),
        optional('status_code', 'varchar(36)'),
        optional('lang_code', 'varchar(3)'),
        ...AUDITED,
        optional('cert_thumbprint', 'varchar(100)'),
        optional('uni_ident', 'varchar(50)'),
      ],
      primaryKey: ['pk_keymals_id', ['id']],
      unique: [['uni_ident_const', ['uni_ident']]],
    },
    {
      name: 'key_policy_def',
      columns: [
        required('app_id', 'varchar(36)'),
        optional('key_validity_duration', 'smallint'),
        required('is_active', 'boolean'),
        optional('pre_expire_days', 'smallint'),
        optional('access_allowed', 'varchar(1024)'),
        ...AUDITED,
      ],
      primaryKey: ['pk_keypdef_id', ['app_id']],
    },
    {
      name: 'key_store',
      columns: [
        required('id', 'varchar(36)'),
        required('master_key', 'varchar(36)'),
        required('private_key', 'varchar(2500)'),
        required('certificate_data', certificateType),
        ...AUDITED,
      ],
      primaryKey: ['pk_keystr_id', ['id']],
    },
    {
      name: 'ca_cert_store',
      columns: [
        required('cert_id', 'varchar(36)'),
        required('cert_subject', 'varchar(500)'),
        required('cert_issuer', 'varchar(500)'),
        required('issuer_id', 'varchar(36)'),
        optional('cert_not_before', 'timestamp'),
        optional('cert_not_after', 'timestamp'),
        optional('crl_uri', 'varchar(120)'),
        optional('cert_data', certificateType),
        optional('cert_thumbprint', 'varchar(100)'),
        optional('cert_serial_no', 'varchar(50)'),
        optional('partner_domain', 'varchar(36)'),
        ...AUDITED.map((column) => ({ ...column, notNull: false })),
        optional('ca_cert_type', 'varchar(25)'),
      ],
      primaryKey: ['pk_cacs_id', ['cert_id']],
      unique: [['cert_thumbprint_unique', ['cert_thumbprint', 'partner_domain']]],
    },
  ];
}

/** The consent tables share their columns; history keeps every consent ever given. */
const consentColumns: readonly Column[] = [
  required('id', 'varchar(36)'),
  required('client_id', 'varchar(256)'),
  required('psu_token', 'varchar(256)'),
  required('claims', 'varchar(2048)'),
  required('authorization_scopes', 'varchar(1024)'),
  { name: 'cr_dtimes', type: 'timestamp', notNull: true, default: 'CURRENT_TIMESTAMP' },
  optional('expire_dtimes', 'timestamp'),
  optional('signature', 'varchar(1024)'),
  optional('hash', 'varchar(100)'),
  optional('accepted_claims', 'varchar(1024)'),
  optional('permitted_scopes', 'varchar(1024)'),
];

export const ESIGNET_SCHEMA: ServiceSchema = {
  schema: 'esignet',
  tables: [
    {
      name: 'client_detail',
      columns: [
        required('id', 'varchar(100)'),
        required('name', 'varchar(600)'),
        required('rp_id', 'varchar(100)'),
        required('logo_uri', 'varchar(2048)'),
        required('redirect_uris', 'varchar(2048)'),
        required('claims', 'varchar(2048)'),
        required('acr_values', 'varchar(1024)'),
        required('public_key', 'varchar(1024)'),
        required('public_key_hash', 'varchar(128)'),
        optional('enc_public_key', 'varchar(1024)'),
        optional('enc_public_key_hash', 'varchar(128)'),
        optional('enc_public_key_cert', 'varchar(4000)'),
        required('grant_types', 'varchar(512)'),
        required('auth_methods', 'varchar(512)'),
        required('status', 'varchar(20)'),
        optional('additional_config', 'varchar(2048)'),
        required('cr_dtimes', 'timestamp'),
        optional('upd_dtimes', 'timestamp'),
      ],
      primaryKey: ['pk_clntdtl_id', ['id']],
      unique: [['uk_clntdtl_public_key_hash', ['public_key_hash']]],
    },
    {
      name: 'consent_detail',
      columns: consentColumns,
      primaryKey: ['pk_consent_detail', ['id']],
      unique: [['unique_client_token', ['client_id', 'psu_token']]],
      indexes: [['idx_consent_psu_client', ['psu_token', 'client_id']]],
    },
    {
      name: 'consent_history',
      columns: consentColumns,
      primaryKey: ['pk_consent_history', ['id']],
      indexes: [['idx_consent_history_psu_client', ['psu_token', 'client_id']]],
    },
    {
      name: 'public_key_registry',
      columns: [
        required('id_hash', 'varchar(100)'),
        required('auth_factor', 'varchar(25)'),
        required('psu_token', 'varchar(256)'),
        required('public_key', 'varchar(2500)'),
        required('expire_dtimes', 'timestamp'),
        required('wallet_binding_id', 'varchar(256)'),
        required('public_key_hash', 'varchar(100)'),
        required('certificate', 'varchar(4000)'),
        required('cr_dtimes', 'timestamp'),
        required('thumbprint', 'varchar(128)'),
      ],
      primaryKey: ['pk_public_key_registry', ['id_hash', 'auth_factor']],
    },
    {
      name: 'server_profile',
      columns: [required('profile_name', 'varchar(100)'), required('feature', 'varchar(100)'), required('additional_config_key', 'varchar(200)')],
      primaryKey: ['pk_server_profile', ['profile_name', 'feature']],
    },
    ...keyManagerTables('varchar(4000)'),
  ],
  // dml/esignet-key_policy_def.sql: the service's own keys, its partners', wallet binding, the mock binding.
  keyPolicies: {
    ROOT: { validityDays: 2920, preExpireDays: 1125 },
    OIDC_SERVICE: { validityDays: 1095, preExpireDays: 60 },
    OIDC_PARTNER: { validityDays: 1095, preExpireDays: 60 },
    BINDING_SERVICE: { validityDays: 1095, preExpireDays: 60 },
    MOCK_BINDING_SERVICE: { validityDays: 1095, preExpireDays: 50 },
  },
  // dml/esignet-server_profile.sql: what the FAPI 2.0 profile turns on for a client.
  rows: [
    ['PAR', 'require_pushed_authorization_requests'],
    ['DPOP', 'dpop_bound_access_tokens'],
    ['PKCE', 'require_pkce'],
  ].map(([feature, key]) => ({ table: 'server_profile', values: { profile_name: 'fapi2.0', feature: feature!, additional_config_key: key! } })),
};

export const MOCK_IDENTITY_SCHEMA: ServiceSchema = {
  schema: 'mockidentitysystem',
  tables: [
    {
      name: 'mock_identity',
      columns: [required('individual_id', 'varchar(36)'), required('identity_json', 'varchar')],
      primaryKey: ['pk_mock_id_code', ['individual_id']],
    },
    {
      name: 'verified_claim',
      columns: [
        required('id', 'varchar(100)'),
        required('individual_id', 'varchar(36)'),
        required('claim', 'varchar'),
        required('trust_framework', 'varchar'),
        optional('detail', 'varchar'),
        ...AUDITED.slice(0, 4),
        { name: 'is_active', type: 'boolean', default: 'true' },
      ],
      primaryKey: ['pk_verified_claim_id', ['id']],
    },
    {
      name: 'partner_data',
      columns: [
        required('partner_id', 'varchar(100)'),
        required('client_id', 'varchar(100)'),
        optional('public_key', 'text'),
        optional('status', 'varchar(50)'),
        required('cr_dtimes', 'timestamp'),
      ],
      primaryKey: ['pk_partner_data_partner_id_client_id', ['partner_id', 'client_id']],
    },
    {
      // MOSIP's script gives the KYC record of each authentication no primary key; nor does the kit.
      name: 'kyc_auth',
      columns: [
        optional('kyc_token', 'varchar(255)'),
        optional('individual_id', 'varchar(255)'),
        optional('partner_specific_user_token', 'varchar(255)'),
        optional('response_time', 'timestamp'),
        optional('transaction_id', 'varchar(255)'),
        optional('validity', 'integer'),
      ],
    },
    ...keyManagerTables('varchar'),
  ],
  // dml/mockidentitysystem-key_policy_def.csv
  keyPolicies: {
    ROOT: { validityDays: 2920, preExpireDays: 1125 },
    MOCK_AUTHENTICATION_SERVICE: { validityDays: 1095, preExpireDays: 60 },
  },
};

const quoteLiteral = (value: string) => `'${value.replace(/'/g, "''")}'`;

function columnSql(column: Column): string {
  return [column.name, column.type, column.notNull ? 'NOT NULL' : '', column.default ? `DEFAULT ${column.default}` : ''].filter(Boolean).join(' ');
}

function tableSql(schema: string, owner: string, table: Table): string[] {
  const qualified = `${schema}.${table.name}`;
  const constraints = [
    ...(table.primaryKey ? [`CONSTRAINT ${table.primaryKey[0]} PRIMARY KEY (${table.primaryKey[1].join(', ')})`] : []),
    ...(table.unique ?? []).map(([name, columns]) => `CONSTRAINT ${name} UNIQUE (${columns.join(', ')})`),
  ];
  return [
    `CREATE TABLE IF NOT EXISTS ${qualified} (${[...table.columns.map(columnSql), ...constraints].join(', ')});`,
    `ALTER TABLE ${qualified} OWNER TO ${owner};`,
    ...(table.indexes ?? []).map(([name, columns]) => `CREATE INDEX IF NOT EXISTS ${name} ON ${qualified} (${columns.join(', ')});`),
  ];
}

/**
 * SQL that creates a service's schema, owned by the application role, with every table, the key
 * policies and the configuration rows. Idempotent: run again, it changes nothing.
 */
export function schemaSql(service: ServiceSchema, owner: string): string {
  const { schema } = service;
  const policies = Object.entries(service.keyPolicies).map(
    ([appId, policy]) =>
      `INSERT INTO ${schema}.key_policy_def (app_id, key_validity_duration, pre_expire_days, access_allowed, is_active, cr_by, cr_dtimes) ` +
      `VALUES (${quoteLiteral(appId)}, ${policy.validityDays}, ${policy.preExpireDays}, 'NA', true, 'govstack-kit', now()) ON CONFLICT (app_id) DO NOTHING;`,
  );
  const rows = (service.rows ?? []).map(({ table, values }) => {
    const columns = Object.keys(values);
    return `INSERT INTO ${schema}.${table} (${columns.join(', ')}) VALUES (${columns.map((c) => quoteLiteral(values[c]!)).join(', ')}) ON CONFLICT DO NOTHING;`;
  });
  return [
    `CREATE SCHEMA IF NOT EXISTS ${schema} AUTHORIZATION ${owner};`,
    ...service.tables.flatMap((table) => tableSql(schema, owner, table)),
    ...policies,
    ...rows,
  ].join('\n');
}
