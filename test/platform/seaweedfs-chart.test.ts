import { PLATFORM_RELEASES } from '../../constructs/platform';
import { manifestsOf, synthesizedShipped } from '../support/shipped';
import { environmentsWith, podSpecOf, renderShipped } from '../support/upstream-render';

const environments = environmentsWith(PLATFORM_RELEASES.seaweedfs);

describe('SeaweedFS, rendered by its chart with the values the kit gives it', () => {
  it('is installed where the shipped environments keep backups in the cluster', () => {
    expect(environments.map((env) => env.name)).toEqual(['veloria-production']);
  });

  it.each(environments.map((env) => [env.name, env] as const))(
    'in %s, keeps the volume servers\' data and index on claims of the data class, with no host path anywhere',
    async (_name, env) => {
      const { objects } = (await renderShipped(env)).find((shipped) => shipped.release.releaseName === PLATFORM_RELEASES.seaweedfs)!;
      const volume = objects.find((o) => o.kind === 'StatefulSet' && o.metadata.name === 'seaweedfs-volume') as any;
      const claims = Object.fromEntries(volume.spec.volumeClaimTemplates.map((claim: any) => [claim.metadata.name, claim.spec.storageClassName]));
      expect(claims).toEqual({ data: env.cluster.storageClasses.data, idx: env.cluster.storageClasses.data });
      const mounts = podSpecOf(volume)!.containers!.flatMap((c: any) => c.volumeMounts.map((m: any) => m.name));
      expect(mounts).toEqual(expect.arrayContaining(['data', 'idx']));
      expect(objects.flatMap((o) => (podSpecOf(o) as any)?.volumes ?? []).filter((v: any) => v.hostPath)).toEqual([]);
    },
  );

  it.each(environments.map((env) => [env.name, env] as const))(
    'in %s, runs as many filers as masters, each on its own node and its own claim, under a disruption budget',
    async (_name, env) => {
      const { objects } = (await renderShipped(env)).find((shipped) => shipped.release.releaseName === PLATFORM_RELEASES.seaweedfs)!;
      const statefulSet = (name: string) => objects.find((o) => o.kind === 'StatefulSet' && o.metadata.name === `seaweedfs-${name}`) as any;
      const filer = statefulSet('filer');
      expect(filer.spec.replicas).toBe(3);
      expect(filer.spec.replicas).toBe(statefulSet('master').spec.replicas);
      expect((podSpecOf(filer) as any).affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution).toEqual([
        expect.objectContaining({ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: expect.objectContaining({ 'app.kubernetes.io/component': 'filer' }) } }),
      ]);
      expect(filer.spec.volumeClaimTemplates.map((claim: any) => claim.spec.storageClassName)).toContain(env.cluster.storageClasses.data);
      const kit = manifestsOf(synthesizedShipped().results.find((result) => result.env.name === env.name)!);
      const budget = kit.find((o) => o.kind === 'PodDisruptionBudget' && o.metadata.name === 'seaweedfs-filer') as any;
      expect(budget.spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: expect.objectContaining({ 'app.kubernetes.io/component': 'filer' }) } });
    },
  );
});
