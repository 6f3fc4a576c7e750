import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { recoveryOf, RecoveryPointError } from '../../constructs/environment/recovery';
import { loadEnvironment } from '../../constructs/environment/load';
import { recoveryEnvironment } from '../../src/cli/commands/restore';
import { UsageError } from '../../src/cli/run-command';
import type { Manifest } from '../../src/synth/manifest';
import { buildOutput } from '../../src/pipeline/build-output';
import { manifestsOf } from '../support/shipped';
import { runCli, scratchProject } from '../support/cli';

type Json = Record<string, any>;
const NOW = new Date('2026-06-01T00:00:00Z');

describe('the point a recovery starts from (--from)', () => {
  it('takes a schedule\'s backup by name, and recovers the databases to the instant its name carries', () => {
    expect(recoveryOf('cluster-daily-20260301020000', undefined, NOW)).toEqual({ backupName: 'cluster-daily-20260301020000', targetTime: '2026-03-01T02:00:00Z', mark: '20260301020000' });
  });

  it('takes an RFC 3339 point in time for the databases, and the schedule\'s newest backup or the one named for volumes', () => {
    expect(recoveryOf('2026-03-01T03:30:00+01:00', undefined, NOW)).toEqual({ targetTime: '2026-03-01T03:30:00+01:00', mark: '20260301023000' });
    expect(recoveryOf('2026-03-01T03:30:00Z', 'cluster-daily-20260301020000', NOW)).toMatchObject({ backupName: 'cluster-daily-20260301020000' });
  });

  it.each([
    ['a word', 'yesterday', /names no instant: give a backup named as Velero names a schedule's backups/],
    ['a path', '../etc/passwd', /is neither an RFC 3339 point in time .* nor a Velero backup name/],
    ['a date that does not exist', '2026-02-30T01:00:00Z', /names a date or time that does not exist/],
    ['a time without its offset', '2026-03-01T02:00:00', /is not an RFC 3339 point in time/],
    ['a time in the future', '2027-01-01T00:00:00Z', /is in the future: no backup holds it yet/],
    ['a scheduled backup from an impossible instant', 'cluster-daily-20261399020000', /the time in backup name .* names a date or time that does not exist/],
  ])('refuses %s', (_what, from, message) => {
    expect(() => recoveryOf(from, undefined, NOW)).toThrow(RecoveryPointError);
    expect(() => recoveryOf(from, undefined, NOW)).toThrow(message);
  });

  it('refuses --volumes-from beside a backup name, which already says where volumes come from', () => {
    expect(() => recoveryOf('cluster-daily-20260301020000', 'cluster-daily-20260228020000', NOW)).toThrow(/--volumes-from goes with a point in time/);
  });

  it('refuses an environment whose backups stay in the cluster: they are lost with it', () => {
    expect(() => recoveryEnvironment(loadEnvironment('sandbox'), '2026-03-01T02:00:00Z', undefined, NOW)).toThrow(UsageError);
  });
});

describe('npm run restore', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'govstack-restore-'));
  const env = recoveryEnvironment(loadEnvironment('veloria-production'), 'cluster-daily-20260301020000', undefined, NOW);
  // Synthesis refuses output that fails a policy check: a recovery passes the same checks as the environment.
  const [result] = buildOutput([env], { root });
  const manifests = manifestsOf(result);
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const find = (kind: string, name: string, namespace?: string) =>
    manifests.find((m) => m.kind === kind && m.metadata.name === name && (!namespace || m.metadata.namespace === namespace)) as Json & Manifest;

  it('writes its own output folder and stacks, so the environment\'s own output and state stay untouched', () => {
    expect(result.stacks).toEqual(['veloria-production-restore-platform', 'veloria-production-restore-information-mediator', 'veloria-production-restore-building-blocks']);
    expect(readdirSync(path.join(root, 'dist'))).toEqual(['veloria-production-restore']);
  });

  it('bootstraps every PostgreSQL cluster from its archive, to the backup\'s instant, archiving its new timeline beside the old', () => {
    const clusters = manifests.filter((m) => m.kind === 'Cluster');
    expect(clusters.length).toBeGreaterThan(0);
    const keycloak = find('Cluster', 'keycloak-db', 'bb-iam');
    expect(keycloak.spec.bootstrap).toEqual({ recovery: { source: 'origin', database: expect.any(String), owner: expect.any(String), recoveryTarget: { targetTime: '2026-03-01T02:00:00Z' } } });
    expect(keycloak.spec.externalClusters).toEqual([{ name: 'origin', plugin: { name: 'barman-cloud.cloudnative-pg.io', parameters: { barmanObjectName: 'keycloak-db-backups', serverName: 'keycloak-db' } } }]);
    expect(keycloak.spec.plugins[0].parameters).toEqual({ barmanObjectName: 'keycloak-db-backups', serverName: 'keycloak-db-20260301020000' });
    for (const cluster of clusters) expect(Object.keys((cluster as Json).spec.bootstrap)).toEqual(['recovery']);
  });

  it('restores objects and volumes from the named backup with Velero, leaving Helm\'s records and the databases to their owners', () => {
    expect(find('Restore', 'recover-20260301020000', 'velero').spec).toMatchObject({
      backupName: 'cluster-daily-20260301020000',
      excludedNamespaces: expect.arrayContaining(['velero', 'kube-system']),
      excludedResources: expect.arrayContaining(['clusters.postgresql.cnpg.io']),
      labelSelector: { matchExpressions: [{ key: 'owner', operator: 'NotIn', values: ['helm'] }] },
      restorePVs: true,
      existingResourcePolicy: 'none',
    });
  });

  it('reads the lost cluster\'s backups read-only and pauses its own schedule until the recovery is verified', () => {
    expect(find('Schedule', 'cluster-daily', 'velero').spec.paused).toBe(true);
    const platform = readFileSync(path.join(root, 'cdktf.out', 'stacks', 'veloria-production-restore-platform', 'cdk.tf.json'), 'utf8');
    expect(platform).toContain('accessMode: ReadOnly');
  });

  it('restores last in the platform layer: after every operator, CRD, secret store and OpenBao it brings objects back for', () => {
    const platform = JSON.parse(readFileSync(path.join(root, 'cdktf.out', 'stacks', 'veloria-production-restore-platform', 'cdk.tf.json'), 'utf8'));
    const releases = Object.keys(platform.resource.helm_release).filter((id) => id !== 'release-restore');
    expect(releases).toEqual(expect.arrayContaining(['release-openbao', 'release-external-secrets', 'release-cloudnative-pg', 'release-secrets', 'release-backups']));
    expect(platform.resource.helm_release['release-restore'].depends_on).toEqual(expect.arrayContaining(releases.map((id) => `helm_release.${id}`)));
    expect(manifests.filter((m) => m.kind === 'Restore').map((m) => (m as Json).metadata.labels['govstack.dev/component'])).toEqual(['restore']);
  });

  it('restores OpenBao\'s newest Raft snapshot taken at or before the recovery point, once OpenBao has unsealed itself', () => {
    const job = find('Job', 'openbao-restore-20260301020000', 'openbao');
    const script = job.spec.template.spec.containers[0].command[2] as string;
    expect(script).toContain('s3cmd ls "s3://veloria-production-backups/openbao/raft/"');
    expect(script).toContain('awk -v newest="s3://veloria-production-backups/openbao/raft/bao_2026-03-01-0200.snapshot" \'$0 <= newest\'');
    expect(script).toContain('role=raft-restore');
    expect(script).toContain('bao operator raft snapshot restore -force /work/openbao.snapshot');
    expect((job as Json).metadata.labels['govstack.dev/component']).toBe('restore');
    expect(job.spec.template.spec.automountServiceAccountToken).toBe(false);
  });

  it('gives the restore Job its role only in the recovery, and runs no snapshot agent that would expire the lost cluster\'s snapshots', () => {
    const platform = readFileSync(path.join(root, 'cdktf.out', 'stacks', 'veloria-production-restore-platform', 'cdk.tf.json'), 'utf8');
    expect(platform).toContain('auth/kubernetes/role/raft-restore');
    expect(platform).toContain('sys/storage/raft/snapshot-force');
    const values = JSON.parse(platform).resource.helm_release['release-openbao'].values[0] as string;
    expect(values).toMatch(/snapshotAgent:\n(?:  .*\n)*?  enabled: false\n/);
  });

  it('refuses a point that does not parse with a clear error, and writes nothing', () => {
    const project = scratchProject();
    const run = runCli(['restore', '--env', 'veloria-production', '--from', '2026-13-01T00:00:00Z'], project);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('error: --from "2026-13-01T00:00:00Z" names a date or time that does not exist; nothing was written\n');
    expect(existsSync(path.join(project, 'dist'))).toBe(false);
    expect(existsSync(path.join(project, 'cdktf.out'))).toBe(false);
  });
});
