import { resolveImage } from '../../constructs/images';
import { LONGHORN_NODE_DOWN_POLICY, PINNED_CHARTS, PLATFORM_RELEASES } from '../../constructs/platform';
import { environmentsWith, referencedImages, renderShipped } from '../support/upstream-render';

const environments = environmentsWith(PLATFORM_RELEASES.longhorn);

describe('Longhorn, rendered by its chart with the values the kit gives it', () => {
  it('is installed where the shipped environments bring their own storage', () => {
    expect(environments.map((env) => env.name)).toEqual(['veloria-production']);
  });

  it.each(environments.map((env) => [env.name, env] as const))(
    'in %s, names every one of its images exactly as the kit resolves it (through the registry mirror), and no other',
    async (_name, env) => {
      const longhorn = (await renderShipped(env)).find((shipped) => shipped.release.releaseName === PLATFORM_RELEASES.longhorn)!;
      const expected = Object.values(PINNED_CHARTS.longhorn.images).map((image) => resolveImage(env, image));
      expect(env.registry.mirror).toBeDefined();
      expect(expected.every((image) => image.startsWith(`${env.registry.mirror}/`))).toBe(true);
      expect(referencedImages(longhorn.objects)).toEqual([...new Set(expected)].sort());
    },
  );

  it.each(environments.map((env) => [env.name, env] as const))(
    'in %s, moves the pods of a node that is down to another node with their volumes (node-down pod deletion policy), instead of leaving them hanging',
    async (_name, env) => {
      const longhorn = (await renderShipped(env)).find((shipped) => shipped.release.releaseName === PLATFORM_RELEASES.longhorn)!;
      const settings = longhorn.objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'longhorn-default-setting') as unknown as { data: Record<string, string> };
      expect(LONGHORN_NODE_DOWN_POLICY).toBe('delete-both-statefulset-and-deployment-pod');
      expect(settings.data['default-setting.yaml']).toMatch(/^node-down-pod-deletion-policy: "delete-both-statefulset-and-deployment-pod"$/m);
    },
  );
});
