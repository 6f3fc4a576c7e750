import { MOSIP } from '../../constructs/catalogue/products/mosip';
import { buildingBlockNamespace } from '../../constructs/information-mediator/contract';
import { validateAgainstKubernetesSchemas } from '../../src/validation/kubernetes-schema';
import { shippedEnvironments } from '../support/shipped';
import { containersOf, podSpecOf, renderShipped } from '../support/upstream-render';

const namespace = buildingBlockNamespace(MOSIP.buildingBlock);
const running = shippedEnvironments().filter((env) => env.buildingBlocks[MOSIP.buildingBlock]?.product === MOSIP.product);

const mosipReleases = async (envName: string) =>
  (await renderShipped(running.find((env) => env.name === envName)!)).filter((shipped) => shipped.release.namespace === namespace);

describe('MOSIP, rendered by its own charts with the values the kit gives them', () => {
  it('runs in the shipped production environment', () => {
    expect(running.map((env) => env.name)).toEqual(['veloria-production']);
  });

  it.each(running.map((env) => [env.name, env] as const))('in %s, renders objects the API server accepts (strict schemas): every environment value a string or unset', async (name, env) => {
    const releases = await mosipReleases(name);
    expect(releases).toHaveLength(MOSIP.deployment.kind === 'upstream-chart' ? MOSIP.deployment.charts.length : 0);
    const objects = releases.flatMap((shipped) => shipped.objects);
    const { results } = await validateAgainstKubernetesSchemas(objects, env.cluster.kubernetesVersion);
    expect(results.filter((result) => result.errors.length > 0)).toEqual([]);
    const typed = containersOf(objects).flatMap(({ object, container }) =>
      ((container.env ?? []) as { name: string; value?: unknown }[])
        .filter((variable) => variable.value !== undefined && variable.value !== null && typeof variable.value !== 'string')
        .map((variable) => `${object.metadata.name}/${container.name}: ${variable.name}=${JSON.stringify(variable.value)}`),
    );
    expect(typed).toEqual([]);
  });

  it.each(running.map((env) => [env.name] as const))('in %s, runs every pod as Pod Security restricted asks, config-server and the ID repository\'s sub-charts included', async (name) => {
    const objects = (await mosipReleases(name)).flatMap((shipped) => shipped.objects);
    const pods = objects.filter((object) => podSpecOf(object));
    expect(pods.map((pod) => pod.metadata.name)).toEqual(expect.arrayContaining(['mosip-config-server', 'mosip-idrepo-identity', 'mosip-idrepo-vid']));
    for (const pod of pods) {
      const spec = podSpecOf(pod) as { securityContext?: Record<string, unknown> };
      expect([pod.metadata.name, spec.securityContext]).toEqual([
        pod.metadata.name,
        expect.objectContaining({ runAsNonRoot: true, runAsUser: 1001, seccompProfile: { type: 'RuntimeDefault' } }),
      ]);
    }
    for (const { object, container } of containersOf(pods)) {
      expect([object.metadata.name, container.name, container.securityContext]).toEqual([
        object.metadata.name,
        container.name,
        expect.objectContaining({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } }),
      ]);
    }
  });

  it.each(running.map((env) => [env.name, env] as const))('in %s, pulls config-server through the mirror and leaves the salt generator, which cannot run restricted, to the operators', async (name, env) => {
    const releases = await mosipReleases(name);
    const images = containersOf(releases.flatMap((shipped) => shipped.objects)).map(({ container }) => container.image as string);
    expect(images).toContain(`${env.registry.mirror}/mosipid/config-server:1.1.2`);
    expect(releases.flatMap((shipped) => shipped.objects).filter((object) => object.kind === 'Job')).toEqual([]);
    expect(MOSIP.deployment.kind === 'upstream-chart' && MOSIP.deployment.prerequisites).toEqual(expect.arrayContaining([expect.stringMatching(/idrepo-saltgen/)]));
  });
});
