import { PLATFORM_RELEASES } from '../../constructs/platform';
import { environmentsWith, podSpecOf, renderShipped } from '../support/upstream-render';

const environments = environmentsWith(PLATFORM_RELEASES.openbao);

describe('OpenBao, rendered by its chart with the values the kit gives it', () => {
  it('is the secret store of the shipped staging and production environments', () => {
    expect(environments.map((env) => env.name).sort()).toEqual(['marenland-staging', 'veloria-production']);
  });

  it.each(environments.map((env) => [env.name, env] as const))('in %s, audits every request to a file on the audit claim, declared in its configuration', async (_name, env) => {
    const { objects } = (await renderShipped(env)).find((shipped) => shipped.release.releaseName === PLATFORM_RELEASES.openbao)!;
    const config = Object.values((objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'openbao-config') as any).data).join('\n');
    const audit = /audit "file" "[^"]+" \{[\s\S]*?file_path = "([^"]+)"/.exec(config);
    expect(audit).not.toBeNull();
    const server = objects.find((o) => o.kind === 'StatefulSet') as any;
    expect(server.spec.volumeClaimTemplates.map((claim: any) => claim.metadata.name)).toContain('audit');
    const auditMount = (podSpecOf(server)!.containers as any[])[0].volumeMounts.find((mount: any) => mount.name === 'audit');
    expect(audit![1].startsWith(`${auditMount.mountPath}/`)).toBe(true);
  });
});

describe('OpenBao unseals itself, sets itself up and leaves a snapshot off the cluster', () => {
  it.each(environments.map((env) => [env.name, env] as const))('in %s, unseals with the transit key the environment names, its token from a Secret', async (_name, env) => {
    const { objects } = (await renderShipped(env)).find((shipped) => shipped.release.releaseName === PLATFORM_RELEASES.openbao)!;
    const config = Object.values((objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'openbao-config') as any).data).join('\n');
    const unseal = env.platform.openbao.unseal as Extract<NonNullable<typeof env.platform.openbao.unseal>, { mode: 'transit' }>;
    expect(config).toContain(`seal "transit" {\n  address = "${unseal.address}"\n  mount_path = "${unseal.mountPath}/"\n  key_name = "${unseal.keyName}"\n  tls_ca_cert = "/openbao/unseal/ca.crt"\n}`);
    expect(config).not.toMatch(/\btoken\s*=/);
    const server = podSpecOf(objects.find((o) => o.kind === 'StatefulSet')!) as any;
    const container = server.containers[0];
    expect(container.env).toContainEqual({ name: 'VAULT_TRANSIT_SEAL_TOKEN', valueFrom: { secretKeyRef: { name: 'openbao-unseal', key: 'TRANSIT_TOKEN' } } });
    expect(container.volumeMounts).toContainEqual({ name: 'unseal-ca', mountPath: '/openbao/unseal', readOnly: true });
  });

  it.each(environments.map((env) => [env.name, env] as const))('in %s, mounts the KV store, Kubernetes auth and its clients\' roles on the first start, external-secrets read-only', async (_name, env) => {
    const { objects } = (await renderShipped(env)).find((shipped) => shipped.release.releaseName === PLATFORM_RELEASES.openbao)!;
    const config = Object.values((objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'openbao-config') as any).data).join('\n');
    expect(config).toMatch(/request "kv" \{\s+operation = "update"\s+path = "sys\/mounts\/secret"\s+data = \{\s+type = "kv"\s+options = \{\s+version = "2"/);
    expect(config).toMatch(/path = "sys\/auth\/kubernetes"\s+data = \{\s+type = "kubernetes"/);
    expect(config).toMatch(/path "secret\/data\/\*" \{ capabilities = \["read"\] \}\s+path "secret\/metadata\/\*" \{ capabilities = \["read", "list"\] \}\s+EOT/);
    expect(config).toMatch(/path = "auth\/kubernetes\/role\/external-secrets"\s+data = \{\s+bound_service_account_names = \["external-secrets"\]\s+bound_service_account_namespaces = \["external-secrets"\]\s+token_policies = \["external-secrets-read"\]/);
    expect(config).toMatch(/path "sys\/storage\/raft\/snapshot" \{ capabilities = \["read"\] \}/);
    // Only a recovery may overwrite the store from a snapshot.
    expect(config).not.toContain('snapshot-force');
  });

  it.each(environments.map((env) => [env.name, env] as const))('in %s, puts a Raft snapshot under OpenBao\'s prefix of the off-cluster target, encrypted at rest, on its schedule', async (_name, env) => {
    const { objects } = (await renderShipped(env)).find((shipped) => shipped.release.releaseName === PLATFORM_RELEASES.openbao)!;
    const target = env.platform.backups.target!;
    const cronJob = objects.find((o) => o.kind === 'CronJob' && o.metadata.name === 'openbao-snapshot') as any;
    expect(cronJob.spec.schedule).toBe(env.platform.openbao.snapshotSchedule);
    const settings = (objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'openbao-snapshot') as any).data;
    expect(settings).toMatchObject({
      S3_HOST: new URL(target.endpoint).host,
      S3_URI: `s3://${target.bucket}/openbao/raft/`,
      S3_EXPIRE_DAYS: String(env.platform.backups.retentionDays),
      BAO_ROLE: 'raft-snapshot',
      TOKEN_PATH: '/var/run/secrets/openbao/token',
    });
    expect(settings.S3CMD_EXTRA_FLAG.split(' ')).toEqual(expect.arrayContaining(['--ssl', '--server-side-encryption', `--region=${target.region}`]));
    const pod = podSpecOf(cronJob) as any;
    // At the Service OpenBao's certificate names, not the chart's openbao-active.
    expect(pod.containers[0].env).toContainEqual({ name: 'BAO_ADDR', value: 'https://openbao.openbao.svc:8200' });
    // Its own service account, without an automounted token: a projected one logs in to OpenBao.
    expect(pod.serviceAccountName).toBe('openbao-snapshot');
    expect(pod.volumes).toContainEqual({ name: 'openbao-token', projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 600 } }] } });
    // s3cmd reads the namespace's own key from its configuration file, not from the environment.
    expect(pod.containers[0].env ?? []).not.toContainEqual(expect.objectContaining({ name: 'AWS_SECRET_ACCESS_KEY' }));
    expect(pod.volumes).toContainEqual({ name: 's3cmd', secret: { secretName: 'openbao-backup-store', items: [{ key: '.s3cfg', path: '.s3cfg' }] } });
  });
});
