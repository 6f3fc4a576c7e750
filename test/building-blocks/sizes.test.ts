import { declaredExceptions } from '../../constructs/baseline/policy-exception';
import { enabledEntries } from '../../constructs/catalogue/catalogue';
import { componentServiceName } from '../../constructs/catalogue/addresses';
import type { Manifest } from '../../src/synth/manifest';
import { buildingBlockManifests, shippedEnvironmentOfStage } from '../support/building-blocks';

const byKind = (manifests: readonly Manifest[], kind: string) => manifests.filter((m) => m.kind === kind);
const named = (manifests: readonly Manifest[], name: string) => manifests.find((m) => m.metadata.name === name && ['Deployment', 'StatefulSet'].includes(m.kind));
type WorkloadSpec = { replicas: number; template: { spec: { topologySpreadConstraints?: { topologyKey: string; whenUnsatisfiable: string }[] } } };

describe('a production environment (veloria-production)', () => {
  const env = shippedEnvironmentOfStage('production');
  const entries = enabledEntries(env).filter((entry) => entry.deployment.kind === 'manifests');
  const manifests = buildingBlockManifests(env);

  it('runs every scalable component with at least two replicas spread strictly over nodes, under a PodDisruptionBudget', () => {
    for (const entry of entries) {
      for (const component of entry.components.filter((c) => c.scaling === 'horizontal')) {
        const name = componentServiceName(entry, component.name);
        const spec = named(manifests, name)?.spec as WorkloadSpec;
        expect([name, spec.replicas >= 2]).toEqual([name, true]);
        expect(spec.template.spec.topologySpreadConstraints).toContainEqual(
          expect.objectContaining({ topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule' }),
        );
        const budget = byKind(manifests, 'PodDisruptionBudget').find((pdb) => pdb.metadata.name === name);
        expect(budget?.spec).toEqual(expect.objectContaining({ maxUnavailable: 1 }));
      }
    }
  });

  it('declares, with its reason, every component that must stay a single replica, a StatefulSet as much as a Deployment', () => {
    for (const entry of entries) {
      for (const component of entry.components.filter((c) => c.scaling !== 'horizontal')) {
        const workload = named(manifests, componentServiceName(entry, component.name)) as Manifest;
        expect((workload.spec as WorkloadSpec).replicas).toBe(1);
        expect(declaredExceptions(workload).get('REL-01')).toMatch(/single replica: .{20,}/);
      }
    }
  });

  it('runs Baserow\'s backend on two nodes, both mounting one ReadWriteMany claim of uploaded files on the Longhorn data class', () => {
    const backend = named(manifests, 'baserow-backend') as Manifest;
    expect(backend.kind).toBe('Deployment');
    expect((backend.spec as WorkloadSpec).replicas).toBe(2);
    expect(declaredExceptions(backend).get('REL-01')).toBeUndefined();
    const claim = manifests.find((m) => m.kind === 'PersistentVolumeClaim' && m.metadata.name === 'baserow-backend-media') as any;
    expect(claim.spec).toEqual(expect.objectContaining({ accessModes: ['ReadWriteMany'], storageClassName: env.cluster.storageClasses.data }));
    expect((backend.spec as any).template.spec.volumes).toContainEqual({ name: 'media', persistentVolumeClaim: { claimName: 'baserow-backend-media' } });
  });

  it('gives every building block with a database three PostgreSQL instances, a PDB, strict anti-affinity and backups', () => {
    const clusters = byKind(manifests, 'Cluster');
    expect(clusters.length).toBe(entries.filter((entry) => entry.dataServices.postgres).length);
    for (const cluster of clusters) {
      const spec = cluster.spec as Record<string, unknown>;
      expect(spec).toEqual(
        expect.objectContaining({
          instances: 3,
          enablePDB: true,
          affinity: expect.objectContaining({ podAntiAffinityType: 'required' }),
          storage: expect.objectContaining({ storageClass: env.cluster.storageClasses.data }),
          plugins: [expect.objectContaining({ name: 'barman-cloud.cloudnative-pg.io', isWALArchiver: true })],
        }),
      );
      const namespace = cluster.metadata.namespace;
      expect(byKind(manifests, 'ScheduledBackup').filter((b) => b.metadata.namespace === namespace)).toHaveLength(1);
      expect(byKind(manifests, 'ObjectStore').filter((o) => o.metadata.namespace === namespace)).toHaveLength(1);
    }
  });
});

describe('a staging environment whose cloud storage shares no volume (marenland-staging)', () => {
  const env = shippedEnvironmentOfStage('staging');
  const manifests = buildingBlockManifests(env, 'digital-registries');

  it('runs Baserow\'s backend as one replica with uploaded files on its own claim', () => {
    const backend = named(manifests, 'baserow-backend') as Manifest;
    expect(backend.kind).toBe('StatefulSet');
    expect((backend.spec as WorkloadSpec).replicas).toBe(1);
    expect((backend.spec as any).volumeClaimTemplates.map((claim: any) => [claim.metadata.name, claim.spec.accessModes])).toEqual([['media', ['ReadWriteOnce']]]);
  });
});

describe('a sandbox', () => {
  const env = shippedEnvironmentOfStage('sandbox');
  const manifests = buildingBlockManifests(env);

  it('runs one PostgreSQL instance per building block, without backups or a PDB that would block drains', () => {
    const clusters = byKind(manifests, 'Cluster');
    expect(clusters.length).toBeGreaterThan(0);
    for (const cluster of clusters) {
      expect(cluster.spec).toEqual(expect.objectContaining({ instances: 1, enablePDB: false }));
      expect((cluster.spec as Record<string, unknown>).plugins).toBeUndefined();
    }
    expect(byKind(manifests, 'ScheduledBackup')).toEqual([]);
    expect(byKind(manifests, 'ObjectStore')).toEqual([]);
  });

  it('runs single replicas and so needs no PodDisruptionBudgets', () => {
    for (const workload of [...byKind(manifests, 'Deployment'), ...byKind(manifests, 'StatefulSet')]) {
      expect([workload.metadata.name, (workload.spec as WorkloadSpec).replicas]).toEqual([workload.metadata.name, 1]);
    }
    expect(byKind(manifests, 'PodDisruptionBudget')).toEqual([]);
  });

  it('runs the five core building blocks, messaging, consent, scheduling and payments, each in its own namespace with a quota', () => {
    const namespaces = byKind(manifests, 'Namespace').map((ns) => ns.metadata.name).sort();
    expect(namespaces).toEqual(['bb-consent', 'bb-digital-registries', 'bb-iam', 'bb-identity', 'bb-messaging', 'bb-payments', 'bb-registration', 'bb-scheduling', 'bb-workflow']);
    expect(byKind(manifests, 'ResourceQuota')).toHaveLength(9);
  });
});
