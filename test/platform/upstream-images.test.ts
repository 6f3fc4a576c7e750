import { shippedEnvironments } from '../support/shipped';
import { referencedImages, renderShipped } from '../support/upstream-render';

const environments = shippedEnvironments().map((env) => [env.name, env] as const);

describe('the images of every upstream chart', () => {
  it.each(environments)('in %s, are exactly the images each release declares (so the mirror list and the policy checks see what the cluster pulls)', async (_name, env) => {
    const mismatches = (await renderShipped(env)).flatMap(({ release, objects }) => {
      const rendered = referencedImages(objects);
      const declared = [...new Set(release.images)].sort();
      const undeclared = rendered.filter((image) => !declared.includes(image)).map((image) => `${release.releaseName} renders undeclared ${image}`);
      const unused = declared.filter((image) => !rendered.includes(image)).map((image) => `${release.releaseName} declares unrendered ${image}`);
      return [...undeclared, ...unused];
    });
    expect(mismatches).toEqual([]);
  });

  it.each(environments.filter(([, env]) => env.registry.mirror))('in %s, all come through the registry mirror', async (_name, env) => {
    const outside = (await renderShipped(env)).flatMap(({ release, objects }) =>
      referencedImages(objects).filter((image) => !image.startsWith(`${env.registry.mirror}/`)).map((image) => `${release.releaseName}: ${image}`),
    );
    expect(outside).toEqual([]);
  });
});
