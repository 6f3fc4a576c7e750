import { PLATFORM_RELEASES } from '../../constructs/platform';
import { containersOf, renderRelease, shippedReleases } from '../support/upstream-render';

const releases = shippedReleases(PLATFORM_RELEASES.loki);

describe('Loki, rendered by its chart with the values the kit gives it', () => {
  it('is installed in every shipped environment', () => {
    expect(releases.map(({ env }) => env.name).sort()).toEqual(['marenland-staging', 'sandbox', 'veloria-production']);
  });

  it.each(releases.map(({ env, release }) => [env.name, env, release] as const))(
    'renders in %s as one monolithic Loki on a claim of the data class, without simple-scalable targets',
    (_name, env, release) => {
      const objects = renderRelease(env, release);
      const workloads = objects.filter((o) => ['Deployment', 'StatefulSet', 'DaemonSet'].includes(o.kind));
      expect(workloads.map((w) => `${w.kind}/${w.metadata.name}`)).toEqual(['StatefulSet/loki']);
      const loki = workloads[0] as any;
      expect(loki.spec.replicas).toBe(1);
      expect(containersOf([loki]).map(({ container }) => container.args)).toContainEqual(expect.arrayContaining(['-target=all']));
      expect(loki.spec.volumeClaimTemplates).toEqual([
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
