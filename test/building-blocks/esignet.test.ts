import { ESIGNET } from '../../constructs/catalogue/products/esignet';
import type { Manifest } from '../../src/synth/manifest';
import { buildingBlockManifests, environmentRunning, synthesisedContainer } from '../support/building-blocks';

/**
 * What eSignet 1.8.0 and its mock identity system 0.13.0 need in their database before they start:
 * - neither creates tables: eSignet's EsignetDaoConfig.java (mosip/esignet v1.8.0) builds its own JPA
 *   setup and reads `hibernate.hbm2ddl.auto`, default `none`; the mock identity system's
 *   application-default.properties (mosip/esignet-mock-services v0.13.0) sets `spring.jpa.hibernate.ddl-auto=none`;
 * - the tables are those of db_scripts/mosip_esignet/ddl at v1.8.0 and db_scripts/mosip_mockidentitysystem/ddl
 *   at v0.13.0; at start the key managers read key_policy_def and write key_alias and key_store for
 *   every application id they generate keys for (the policies of the two dml scripts).
 */
const TABLES: Readonly<Record<string, readonly string[]>> = {
  esignet: ['ca_cert_store', 'client_detail', 'consent_detail', 'consent_history', 'key_alias', 'key_policy_def', 'key_store', 'public_key_registry', 'server_profile'],
  mockidentitysystem: ['ca_cert_store', 'key_alias', 'key_policy_def', 'key_store', 'kyc_auth', 'mock_identity', 'partner_data', 'verified_claim'],
};
const KEY_POLICIES: Readonly<Record<string, readonly string[]>> = {
  esignet: ['BINDING_SERVICE', 'MOCK_BINDING_SERVICE', 'OIDC_PARTNER', 'OIDC_SERVICE', 'ROOT'],
  mockidentitysystem: ['MOCK_AUTHENTICATION_SERVICE', 'ROOT'],
};
/** The key manager's key_alias, as its entity maps it (the columns of esignet-key_alias.sql). */
const KEY_ALIAS_COLUMNS = ['id', 'app_id', 'ref_id', 'key_gen_dtimes', 'key_expire_dtimes', 'status_code', 'lang_code', 'cr_by', 'cr_dtimes', 'upd_by', 'upd_dtimes', 'is_deleted', 'del_dtimes', 'cert_thumbprint', 'uni_ident'];

function initSql(manifests: readonly Manifest[]): string {
  const map = manifests.find((m) => m.kind === 'ConfigMap' && m.metadata.name.endsWith('-init-sql'));
  if (!map) throw new Error('no init SQL ConfigMap');
  return (map as unknown as { data: Record<string, string> }).data['init.sql']!;
}

/** Tables the SQL creates, by schema, with their column names. */
function createdTables(sql: string): Record<string, Record<string, string[]>> {
  const tables: Record<string, Record<string, string[]>> = {};
  for (const [, schema, table, body] of sql.matchAll(/CREATE TABLE IF NOT EXISTS (\w+)\.(\w+) \((.*)\);$/gm)) {
    const columns = body!.split(', ').filter((part) => !part.startsWith('CONSTRAINT')).map((part) => part.split(' ')[0]!);
    (tables[schema!] ??= {})[table!] = columns;
  }
  return tables;
}

describe.each(ESIGNET.stages)('eSignet\'s database as the kit creates it in %s', (stage) => {
  const manifests = buildingBlockManifests(environmentRunning(ESIGNET, stage), ESIGNET.buildingBlock);
  const sql = initSql(manifests);
  const tables = createdTables(sql);

  it('holds every table of both services\' schemas, created by the init SQL since neither service creates its own', () => {
    expect(Object.fromEntries(Object.entries(tables).map(([schema, byName]) => [schema, Object.keys(byName).sort()]))).toEqual(TABLES);
  });

  it('gives both key managers the key_alias table they write when they generate their keys at start', () => {
    for (const schema of Object.keys(TABLES)) expect(tables[schema]!['key_alias']).toEqual(KEY_ALIAS_COLUMNS);
  });

  it('holds the key policy of every application id either service generates keys for', () => {
    for (const [schema, appIds] of Object.entries(KEY_POLICIES)) {
      const inserted = [...sql.matchAll(new RegExp(`INSERT INTO ${schema}\\.key_policy_def .*? VALUES \\('(\\w+)'`, 'g'))].map((match) => match[1]);
      expect(inserted.sort()).toEqual(appIds);
    }
  });

  it('gives every table to the application role and can run again without error (IF NOT EXISTS, ON CONFLICT)', () => {
    const owner = ESIGNET.dataServices.postgres!.owner;
    for (const [schema, byName] of Object.entries(tables)) {
      for (const table of Object.keys(byName)) expect(sql).toContain(`ALTER TABLE ${schema}.${table} OWNER TO ${owner};`);
    }
    expect(sql.split('\n').filter((line) => line.startsWith('INSERT') && !line.includes('ON CONFLICT'))).toEqual([]);
    expect(sql.split('\n').filter((line) => /^CREATE (TABLE|INDEX|SCHEMA) (?!IF NOT EXISTS)/.test(line))).toEqual([]);
  });

  it('sets no Hibernate DDL switch that the services do not read', () => {
    for (const [workload, container] of [['esignet-server', 'esignet'], ['esignet-mock-identity', 'mock-identity-system']] as const) {
      const names = (synthesisedContainer(manifests, workload, container).env ?? []).map((variable) => variable.name);
      expect(names.filter((name) => /DDL|HBM2DDL/.test(name))).toEqual([]);
    }
  });
});
