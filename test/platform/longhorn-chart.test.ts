import { resolveImage } from '../../constructs/images';
import { PINNED_CHARTS, PLATFORM_RELEASES } from '../../constructs/platform';
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
});
