import { CONSENT } from '../../constructs/catalogue/products/bb-consent';
import { buildingBlockServiceEndpoint } from '../../constructs/information-mediator/contract';
import type { Manifest } from '../../src/synth/manifest';
import { buildingBlockManifests, canWrite, environmentRunning, literalEnv, synthesisedContainer } from '../support/building-blocks';
import { synthStacks } from '../support/stacks';

type PodSpec = {
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number; sysctls?: { name: string; value: string }[] };
  volumes?: { name: string; emptyDir?: { medium?: string } }[];
};
type Peer = { namespaceSelector?: { matchLabels?: Record<string, string> }; podSelector?: { matchLabels?: Record<string, string> } };
type PolicySpec = {
  podSelector: { matchLabels?: Record<string, string> };
  ingress?: { from?: Peer[]; ports?: { port: number }[] }[];
  egress?: { to?: Peer[]; ports?: { port: number }[] }[];
};

const NAME_LABEL = 'kubernetes.io/metadata.name';
const find = (manifests: readonly Manifest[], kind: string, name: string) => manifests.find((m) => m.kind === kind && m.metadata.name === name);
const podOf = (manifests: readonly Manifest[], workload: string) => (find(manifests, 'Deployment', workload)?.spec as { template: { spec: PodSpec } }).template.spec;

/**
 * What bb-consent-api 2024.2.1 needs, read in its source at that release: one JSON configuration file
 * `/opt/bb-consent/api/config/<--config>` (internal/cmd/start_api.go, internal/config) with every secret
 * inside; a MongoDB database (go.mongodb.org/mongo-driver); port 80, hard-coded; Keycloak's master
 * realm for an admin token at every start (internal/iam).
 */
describe.each(CONSENT.stages)('bb-consent as the kit runs it in %s', (stage) => {
  const env = environmentRunning(CONSENT, stage);
  const manifests = buildingBlockManifests(env);
  const consent = buildingBlockManifests(env, 'consent');

  it('keeps its MongoDB data in its own CloudNativePG cluster with the DocumentDB extension, created in its database and granted to its owner', () => {
    const cluster = find(consent, 'Cluster', 'bb-consent-db')?.spec as Record<string, any>;
    expect(cluster.imageName).toMatch(/ferretdb\/postgres-documentdb:17-0\.107\.0-ferretdb-2\.7\.0$/);
    expect([cluster.postgresUID, cluster.postgresGID]).toEqual([999, 999]);
    expect(cluster.postgresql).toEqual({ shared_preload_libraries: ['pg_cron', 'pg_documentdb_core', 'pg_documentdb'], parameters: { 'cron.database_name': 'consent' } });
    const initSql = (find(consent, 'ConfigMap', 'bb-consent-db-init-sql')?.data as Record<string, string>)['init.sql'];
    expect(initSql).toContain('CREATE EXTENSION IF NOT EXISTS documentdb CASCADE;');
    expect(initSql).toContain('GRANT documentdb_admin_role TO "consent";');
  });

  it('serves MongoDB through FerretDB, which reads the connection URL from the operator\'s Secret file and reports nothing home', () => {
    const ferretdb = synthesisedContainer(consent, 'bb-consent-ferretdb', 'ferretdb');
    expect(literalEnv(ferretdb, 'FERRETDB_POSTGRESQL_URL_FILE')).toBe('/run/secrets/bb-consent-db-app/uri');
    expect(literalEnv(ferretdb, 'FERRETDB_TELEMETRY')).toBe('disable');
    expect(ferretdb.env?.some((variable) => variable.valueFrom)).toBe(false);
  });

  it('writes the configuration the API opens into memory before it starts, from Secret files only', () => {
    const render = synthesisedContainer(consent, 'bb-consent-api', 'render-config');
    const api = synthesisedContainer(consent, 'bb-consent-api', 'api');
    expect(api.command).toEqual(['/app/bin/bb-consent-api', 'start-api', '--config', 'config-production.json']);
    expect(canWrite(render, '/opt/bb-consent/api/config/config-production.json')).toBe(true);
    const configMount = api.volumeMounts?.find((mount) => mount.mountPath === '/opt/bb-consent/api/config');
    expect(podOf(consent, 'bb-consent-api').volumes?.find((volume) => volume.name === configMount?.name)?.emptyDir?.medium).toBe('Memory');
    expect(render.env?.filter((variable) => variable.valueFrom)).toEqual([]);
    const script = Object.values(find(consent, 'ConfigMap', 'bb-consent-api-script')?.data as Record<string, string>)[0];
    for (const file of ['DB_PASSWORD_FILE', 'ADMIN_PASSWORD_FILE', 'API_SECRET_KEY_FILE', 'IAM_ADMIN_USER_FILE', 'IAM_ADMIN_PASSWORD_FILE']) {
      expect([file, literalEnv(render, file)?.startsWith('/run/secrets/'), script.includes(`"$${file}"`)]).toEqual([file, true, true]);
    }
    expect(script).toContain(`"Hosts": ["bb-consent-ferretdb.bb-consent.svc:27017"]`);
  });

  it('binds its fixed port 80 as a non-root user through the namespaced, Pod-Security-safe sysctl', () => {
    const pod = podOf(consent, 'bb-consent-api');
    expect(pod.securityContext).toEqual(expect.objectContaining({ runAsNonRoot: true, runAsUser: 10001, sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }] }));
    expect(podOf(consent, 'bb-consent-ferretdb').securityContext?.sysctls).toBeUndefined();
  });

  it('reaches the IAM building block\'s Keycloak inside the cluster from its API pods only, and Keycloak admits them on that port only', () => {
    expect(literalEnv(synthesisedContainer(consent, 'bb-consent-api', 'render-config'), 'IAM_URL')).toBe('http://keycloak-server.bb-iam.svc:8080');
    expect(JSON.stringify(find(consent, 'NetworkPolicy', 'allow-bb-consent-egress'))).not.toContain('bb-iam');
    const toIam = find(consent, 'NetworkPolicy', 'allow-bb-consent-api-to-iam')?.spec as PolicySpec;
    expect(toIam.podSelector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'bb-consent', 'app.kubernetes.io/component': 'api' });
    expect(toIam.egress).toEqual([{
      to: [{ namespaceSelector: { matchLabels: { [NAME_LABEL]: 'bb-iam' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'keycloak', 'app.kubernetes.io/component': 'server' } } }],
      ports: [expect.objectContaining({ port: 8080 })],
    }]);
    const keycloakIn = manifests.find((m) => m.kind === 'NetworkPolicy' && m.metadata.namespace === 'bb-iam' && m.metadata.name === 'allow-keycloak-server-ingress')?.spec as PolicySpec;
    const fromConsent = (keycloakIn.ingress ?? []).filter((rule) => rule.from?.some((peer) => peer.namespaceSelector?.matchLabels?.[NAME_LABEL] === 'bb-consent'));
    expect(fromConsent.map((rule) => [rule.from?.map((peer) => peer.podSelector?.matchLabels?.['app.kubernetes.io/component']), rule.ports?.map((port) => port.port)])).toEqual([[['api'], [8080]]]);
  });

  it('signs in to Keycloak with the account the country puts in its secret store, never one the kit invents', () => {
    const copy = find(consent, 'ExternalSecret', 'bb-consent-keycloak-admin')?.spec as Record<string, any>;
    expect(copy.secretStoreRef).toEqual({ kind: 'ClusterSecretStore', name: 'govstack-secrets' });
    expect(copy.dataFrom).toEqual([{ extract: { key: 'bb-consent-keycloak-admin' } }]);
  });

  it('is called through X-Road by the workflow, at the URL the Information Mediator contract gives', () => {
    const workflow = env.buildingBlocks.workflow;
    if (!workflow?.enabled) return;
    const endpoint = buildingBlockServiceEndpoint(env, 'workflow', 'consent', 'consent-service');
    const vars = manifests.filter((m) => m.metadata.namespace === 'bb-workflow').flatMap((m) => JSON.stringify(m).match(/"GOVSTACK_CONSENT_URL","value":"[^"]+"/g) ?? []);
    expect(vars.length).toBeGreaterThan(0);
    for (const found of vars) expect(found).toContain(endpoint.url);
  });
});

describe('the building-blocks Terraform stack of an environment running bb-consent', () => {
  it('installs consent without waiting for readiness, which needs the Keycloak account the operator provides; the others still wait', () => {
    const stacks = synthStacks(environmentRunning(CONSENT, 'staging'));
    const releases = Object.values(JSON.parse(stacks['building-blocks']).resource.helm_release as Record<string, { name: string; atomic: boolean; wait: boolean }>);
    expect(releases.filter((release) => !release.wait).map((release) => [release.name, release.atomic])).toEqual([['bb-consent', true]]);
    expect(releases.length).toBeGreaterThan(1);
  });
});
