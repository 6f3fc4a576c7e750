import { PLATFORM_RELEASES } from '../../constructs/platform';
import { containersOf, environmentsWith, renderShipped } from '../support/upstream-render';

const environments = environmentsWith(PLATFORM_RELEASES.loki);

describe('Loki, rendered by its chart with the values the kit gives it', () => {
  it('is installed in every shipped environment', () => {
    expect(environments.map((env) => env.name).sort()).toEqual(['marenland-staging', 'sandbox', 'veloria-production']);
  });

  it.each(environments.map((env) => [env.name, env] as const))(
    'renders in %s as one monolithic Loki on a claim of the data class, without simple-scalable targets',
    async (_name, env) => {
      const loki = (await renderShipped(env)).find((shipped) => shipped.release.releaseName === PLATFORM_RELEASES.loki)!;
      const workloads = loki.objects.filter((o) => ['Deployment', 'StatefulSet', 'DaemonSet'].includes(o.kind));
      expect(workloads.map((w) => `${w.kind}/${w.metadata.name}`)).toEqual(['StatefulSet/loki']);
      const statefulSet = workloads[0] as any;
      expect(statefulSet.spec.replicas).toBe(1);
      expect(containersOf([statefulSet]).map(({ container }) => container.args)).toContainEqual(expect.arrayContaining(['-target=all']));
      expect(statefulSet.spec.volumeClaimTemplates).toEqual([
        expect.objectContaining({
          spec: expect.objectContaining({
            storageClassName: env.cluster.storageClasses.data,
            resources: { requests: { storage: env.stage === 'sandbox' ? '5Gi' : '50Gi' } },
          }),
        }),
      ]);
    },
  );
});
