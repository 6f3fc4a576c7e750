import { App } from 'cdk8s';
import { addPlatformCharts } from '../../charts/platform';
import { PLATFORM_RELEASES } from '../../constructs/platform';
import { shippedEnvironmentOfStage } from '../support/building-blocks';
import { environmentsWith, podSpecOf, renderShipped } from '../support/upstream-render';

/** The sandbox with backups turned on: the one kind of environment that keeps them in the cluster. */
function sandboxWithBackups() {
  const sandbox = shippedEnvironmentOfStage('sandbox');
  return { ...sandbox, name: 'sandbox-with-backups', platform: { ...sandbox.platform, backups: { ...sandbox.platform.backups, enabled: true } } };
}

const environments = [sandboxWithBackups()];

describe('SeaweedFS, rendered by its chart with the values the kit gives it', () => {
  it('is installed by no shipped environment: staging and production keep their backups off the cluster, the sandbox none', () => {
    expect(environmentsWith(PLATFORM_RELEASES.seaweedfs)).toEqual([]);
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

  it('runs as many filers as masters where nodes are replicated, each on its own node and its own claim, under a disruption budget', async () => {
    const env = { ...sandboxWithBackups(), name: 'replicated-with-backups', ha: { level: 'replicated' as const } };
    const { objects } = (await renderShipped(env)).find((shipped) => shipped.release.releaseName === PLATFORM_RELEASES.seaweedfs)!;
    const statefulSet = (name: string) => objects.find((o) => o.kind === 'StatefulSet' && o.metadata.name === `seaweedfs-${name}`) as any;
    const filer = statefulSet('filer');
    expect(filer.spec.replicas).toBe(3);
    expect(filer.spec.replicas).toBe(statefulSet('master').spec.replicas);
    expect((podSpecOf(filer) as any).affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution).toEqual([
      expect.objectContaining({ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: expect.objectContaining({ 'app.kubernetes.io/component': 'filer' }) } }),
    ]);
    expect(filer.spec.volumeClaimTemplates.map((claim: any) => claim.spec.storageClassName)).toContain(env.cluster.storageClasses.data);
    const app = new App();
    addPlatformCharts(app, env);
    const budget = app.charts.flatMap((chart) => chart.toJson()).find((o: any) => o.kind === 'PodDisruptionBudget' && o.metadata.name === 'seaweedfs-filer') as any;
    expect(budget.spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: expect.objectContaining({ 'app.kubernetes.io/component': 'filer' }) } });
  });
});
