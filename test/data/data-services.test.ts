import { App, Chart } from 'cdk8s';
import { KitChart } from '../../charts/kit-chart';
import { namespaceBaseline } from '../../constructs/baseline/namespace-sizing';
import { SecureNamespace } from '../../constructs/baseline/secure-namespace';
import { PostgresCluster } from '../../constructs/data/postgres-cluster';
import { Valkey } from '../../constructs/data/valkey';
import { GeneratedSecret } from '../../constructs/data/generated-secret';
import type { Environment } from '../../constructs/environment/schema';
import type { Manifest } from '../../src/synth/manifest';
import { NetworkPolicyModel } from '../../src/validation/network-policy';
import { admits, allowsTraffic } from '../support/network-policy';
import { shippedEnvironmentOfStage } from '../support/building-blocks';

/** Data services live in a building block's chart (a PostgreSQL cluster names the operator releases it needs there). */
function synth(build: (chart: Chart) => void): Manifest[] {
  const chart = new KitChart(new App(), { layer: 'building-blocks', component: 'bb-test', releaseNamespace: 'bb-test' });
  build(chart);
  return chart.toJson() as Manifest[];
}

function postgres(env: Environment, extra: Partial<ConstructorParameters<typeof PostgresCluster>[2]> = {}): Manifest[] {
  return synth((chart) => {
    const namespace = new SecureNamespace(chart, 'Namespace', { name: 'bb-test', ...namespaceBaseline(env, 'small') });
    new PostgresCluster(chart, 'db', {
      env,
      name: 'app-db',
      namespace,
      database: 'app',
      owner: 'app',
      storageSize: '5Gi',
      resources: { cpu: '250m', memory: '512Mi' },
      clientPodLabels: { 'govstack.dev/product': 'app' },
      ...extra,
    });
  });
}

describe('a building block\'s PostgreSQL cluster', () => {
  it('runs the init SQL once through the operator\'s bootstrap, from a ConfigMap', () => {
    const manifests = postgres(shippedEnvironmentOfStage('sandbox'), { initSql: 'CREATE SCHEMA s AUTHORIZATION app;' });
    const cluster = manifests.find((m) => m.kind === 'Cluster') as Manifest & { spec: { bootstrap: { initdb: Record<string, unknown> } } };
    expect(cluster.spec.bootstrap.initdb.postInitApplicationSQLRefs).toEqual({ configMapRefs: [{ name: 'app-db-init-sql', key: 'init.sql' }] });
    expect(manifests.find((m) => m.kind === 'ConfigMap')?.data).toEqual({ 'init.sql': 'CREATE SCHEMA s AUTHORIZATION app;\n' });
  });

  it('lets in the operator and the named clients, and no other pod of the namespace', () => {
    const manifests = postgres(shippedEnvironmentOfStage('production'));
    const instance = { namespace: 'bb-test', labels: { 'cnpg.io/cluster': 'app-db' } };
    expect(admits(manifests, { namespace: 'cnpg-system', labels: { 'app.kubernetes.io/name': 'cloudnative-pg' } }, instance, 8000)).toBe(true);
    expect(admits(manifests, { namespace: 'bb-test', labels: { 'govstack.dev/product': 'app' } }, instance, 5432)).toBe(true);
    expect(admits(manifests, { namespace: 'bb-test', labels: { app: 'other' } }, instance, 5432)).toBe(false);
    expect(admits(manifests, { namespace: 'bb-test', labels: { 'govstack.dev/product': 'app' } }, instance, 8000)).toBe(false);
  });

  it('reaches the off-cluster backup target only at its addresses and port, and no in-cluster store', () => {
    const manifests = postgres(shippedEnvironmentOfStage('production'));
    const instance = { namespace: 'bb-test', labels: { 'cnpg.io/cluster': 'app-db' } };
    const reaches = (ip: string, port: number) =>
      new NetworkPolicyModel(manifests).allows({ from: { kind: 'pod', workload: 'Pod/bb-test/app-db-1', ...instance, ports: [] }, to: { kind: 'external', ip }, port });
    expect(reaches('10.50.4.5', 443)).toBe(true);
    expect(reaches('10.50.4.5', 80)).toBe(false);
    expect(reaches('203.0.113.9', 443)).toBe(false);
    expect(allowsTraffic(manifests, instance, { namespace: 'object-store', labels: { any: 'pod' } }, 8333)).toBe(false);
  });

  it('archives WAL and base backups off the cluster, over TLS, encrypted at rest, under its namespace\'s own prefix', () => {
    const store = postgres(shippedEnvironmentOfStage('production')).find((m) => m.kind === 'ObjectStore') as Manifest & { spec: Record<string, any> };
    expect(store.spec.configuration).toMatchObject({
      destinationPath: 's3://veloria-production-backups/bb-test/postgres/',
      endpointURL: 'https://objects.site2.ndc.veloria.example',
      wal: { encryption: 'AES256' },
      data: { encryption: 'AES256' },
    });
  });

  it('names the key of the key service to barman when the store encrypts with aws:kms', () => {
    const store = postgres(shippedEnvironmentOfStage('staging')).find((m) => m.kind === 'ObjectStore') as Manifest & { spec: Record<string, any> };
    expect(store.spec.configuration.wal).toMatchObject({ encryption: 'aws:kms', archiveAdditionalCommandArgs: ['--sse-kms-key-id=govstack-backups-staging'] });
    expect(store.spec.configuration.data).toMatchObject({ encryption: 'aws:kms', additionalCommandArgs: ['--sse-kms-key-id=govstack-backups-staging'] });
  });

  it('reads its namespace\'s own key from the secret store, never a key shared with other namespaces', () => {
    const credentials = postgres(shippedEnvironmentOfStage('production')).filter((m) => m.kind === 'ExternalSecret');
    expect(credentials).toHaveLength(1);
    const spec = (credentials[0] as Manifest & { spec: Record<string, any> }).spec;
    expect(credentials[0].metadata).toMatchObject({ name: 'app-db-backup-store', namespace: 'bb-test' });
    expect(spec.data.map((d: Record<string, any>) => d.remoteRef.key)).toEqual(['backup-bb-test', 'backup-bb-test']);
    expect(spec.target.template.data.REGION).toBe('ndc-site2');
  });

  it('keeps Velero away from its instances\' pods and volumes, which the WAL archive backs up consistently', () => {
    const cluster = postgres(shippedEnvironmentOfStage('production')).find((m) => m.kind === 'Cluster') as Manifest & { spec: Record<string, any> };
    expect(cluster.spec.inheritedMetadata).toEqual({ labels: { 'velero.io/exclude-from-backup': 'true' } });
  });

  it('makes its chart wait for the operator releases, and refuses a chart that is not one of the kit\'s', () => {
    const env = shippedEnvironmentOfStage('sandbox');
    const chart = new KitChart(new App(), { layer: 'building-blocks', component: 'bb-test', releaseNamespace: 'bb-test' });
    const namespace = new SecureNamespace(chart, 'Namespace', { name: 'bb-test', ...namespaceBaseline(env, 'small') });
    new PostgresCluster(chart, 'db', { env, name: 'app-db', namespace, database: 'app', owner: 'app', storageSize: '5Gi', resources: { cpu: '250m', memory: '512Mi' } });
    expect(chart.requires).toEqual(['cloudnative-pg', 'plugin-barman-cloud']);
    const plain = new Chart(new App(), 'plain');
    expect(() => new PostgresCluster(plain, 'db', { env, name: 'app-db', namespace, database: 'app', owner: 'app', storageSize: '5Gi', resources: { cpu: '250m', memory: '512Mi' } })).toThrow(
      /must be created inside a KitChart/,
    );
  });

  it('labels the namespace it is given as writing backups', () => {
    const namespace = postgres(shippedEnvironmentOfStage('production')).find((m) => m.kind === 'Namespace')!;
    expect(namespace.metadata.labels).toMatchObject({ 'govstack.dev/backup-credentials': 'true' });
  });

  it('archives WAL to the environment\'s object store through the Barman Cloud plugin, with the retention of the environment', () => {
    const env = shippedEnvironmentOfStage('production');
    const store = postgres(env).find((m) => m.kind === 'ObjectStore') as Manifest & { spec: { retentionPolicy: string } };
    expect(store.spec.retentionPolicy).toBe(`${env.platform.backups.retentionDays}d`);
  });
});

describe('a building block\'s Valkey', () => {
  const manifests = synth((chart) => {
    new Valkey(chart, 'cache', {
      env: shippedEnvironmentOfStage('production'),
      name: 'app-cache',
      namespace: 'bb-test',
      resources: { cpu: '50m', cpuLimit: '250m', memory: '256Mi', ephemeralStorage: '256Mi' },
      clientPodLabels: { 'govstack.dev/product': 'app' },
      holds: 'sessions in flight',
    });
  });
  const pod = { namespace: 'bb-test', labels: { 'app.kubernetes.io/name': 'valkey', 'app.kubernetes.io/instance': 'app-cache' } };

  interface ValkeyPod {
    spec: { template: { spec: { containers: { command: string[]; args: string[]; env?: unknown[] }[]; volumes: { name: string; secret?: { secretName: string } }[] } } };
  }

  it('requires a generated password, read from its Secret as a file, and keeps nothing on disk', () => {
    const deployment = manifests.find((m) => m.kind === 'Deployment') as Manifest & ValkeyPod;
    const [container] = deployment.spec.template.spec.containers;
    expect(container.command.join(' ')).toMatch(/valkey-server - .*requirepass \$\(cat \/run\/secrets\/app-cache-password\/password\)/s);
    expect(container.env).toBeUndefined();
    expect(container.args).toEqual(expect.arrayContaining(['--appendonly', 'no']));
    expect(container.args.join(' ')).not.toMatch(/requirepass/);
    expect(deployment.spec.template.spec.volumes.map((volume) => volume.secret?.secretName)).toContain('app-cache-password');
    expect(manifests.filter((m) => m.kind === 'ExternalSecret').map((m) => m.metadata.name)).toEqual(['app-cache-password']);
  });

  it('declares its single replica in production, saying what it holds', () => {
    const deployment = manifests.find((m) => m.kind === 'Deployment');
    expect(deployment?.metadata.annotations?.['policy.govstack.dev/exception.REL-01']).toMatch(/sessions in flight/);
  });

  it('admits only its clients', () => {
    expect(admits(manifests, { namespace: 'bb-test', labels: { 'govstack.dev/product': 'app' } }, pod, 6379)).toBe(true);
    expect(admits(manifests, { namespace: 'bb-test', labels: { other: 'x' } }, pod, 6379)).toBe(false);
  });
});

describe('a generated secret', () => {
  const manifests = synth((chart) => {
    new GeneratedSecret(chart, 'secret', { name: 'app-keys', namespace: 'bb-test', keys: ['a', 'b'], neverRotate: 'encrypts data' });
  });

  it('is generated once in the cluster, one value per key, and kept when the release is removed', () => {
    const external = manifests.find((m) => m.kind === 'ExternalSecret') as Manifest & { spec: { refreshPolicy: string; dataFrom: unknown[] } };
    expect(external.spec.refreshPolicy).toBe('CreatedOnce');
    expect(external.spec.dataFrom).toHaveLength(2);
    expect(external.metadata.annotations?.['helm.sh/resource-policy']).toBe('keep');
    expect(manifests.some((m) => m.kind === 'Secret')).toBe(false);
  });
});
