import { MOSIP, MOSIP_EXTERNAL_OBJECTS } from '../../constructs/catalogue/products/mosip';
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

  /** Secrets and ConfigMaps a pod reads: its volumes, env and envFrom. */
  function referencedByPods(objects: readonly { kind: string; metadata: { name: string } }[]): Set<string> {
    const referenced = new Set<string>();
    for (const object of objects) {
      const spec = podSpecOf(object as never) as { volumes?: { secret?: { secretName: string }; configMap?: { name: string } }[] } | undefined;
      if (!spec) continue;
      for (const volume of spec.volumes ?? []) {
        if (volume.secret) referenced.add(`Secret/${volume.secret.secretName}`);
        if (volume.configMap) referenced.add(`ConfigMap/${volume.configMap.name}`);
      }
    }
    for (const { container } of containersOf(objects as never)) {
      for (const variable of container.env ?? []) {
        if (variable.valueFrom?.secretKeyRef) referenced.add(`Secret/${variable.valueFrom.secretKeyRef.name}`);
        if (variable.valueFrom?.configMapKeyRef) referenced.add(`ConfigMap/${variable.valueFrom.configMapKeyRef.name}`);
      }
      for (const source of container.envFrom ?? []) {
        if (source.secretRef) referenced.add(`Secret/${source.secretRef.name}`);
        if (source.configMapRef) referenced.add(`ConfigMap/${source.configMapRef.name}`);
      }
    }
    return referenced;
  }

  it.each(running.map((env) => [env.name] as const))('in %s, reads only Secrets and ConfigMaps that a chart creates or that the prerequisites name, and renders no Istio object', async (name) => {
    const objects = (await mosipReleases(name)).flatMap((shipped) => shipped.objects);
    const created = new Set(objects.filter((object) => object.kind === 'Secret' || object.kind === 'ConfigMap').map((object) => `${object.kind}/${object.metadata.name}`));
    expect([...referencedByPods(objects)].filter((ref) => !created.has(ref) && !MOSIP_EXTERNAL_OBJECTS.includes(ref))).toEqual([]);
    const prerequisites = MOSIP.deployment.kind === 'upstream-chart' ? MOSIP.deployment.prerequisites.join('\n') : '';
    for (const ref of MOSIP_EXTERNAL_OBJECTS) expect(prerequisites).toContain(ref);
    expect(objects.filter((object) => object.apiVersion.includes('istio.io'))).toEqual([]);
  });

  /**
   * mosip/keymanager v1.2.0.1 kernel-keymanager-service/configure_start.sh always, and mosip/esignet
   * v1.6.2 esignet-service/configure_start.sh unless the profile is exactly `local`, run
   * `sudo ./install.sh`; sudo cannot gain privileges with allowPrivilegeEscalation false, and the script exits.
   */
  it.each(running.map((env) => [env.name] as const))('in %s, starts keymanager and eSignet without their sudo entrypoint, the HSM client unpacked where uid 1001 may write', async (name) => {
    const objects = (await mosipReleases(name)).flatMap((shipped) => shipped.objects);
    for (const deployment of ['mosip-keymanager', 'mosip-esignet']) {
      const { container } = containersOf(objects).find(({ object }) => object.kind === 'Deployment' && object.metadata.name === deployment)!;
      expect([deployment, container.command]).toEqual([deployment, ['/bin/bash', '-c']]);
      const script = (container.args as string[]).join('\n');
      expect(script).not.toMatch(/sudo|configure_start|install\.sh/);
      expect(script).toMatch(/^exec java -jar .*\.jar$/m);
      expect(script).toContain('/home/mosip/');
    }
  });

  /** The identity plugin's settings: mosip-identity-plugin application.properties, mosip/esignet-plugins v1.3.2. */
  it.each(running.map((env) => [env.name] as const))('in %s, wires eSignet to MOSIP\'s ID authentication through the identity plugin, not the mock plugin', async (name) => {
    const objects = (await mosipReleases(name)).flatMap((shipped) => shipped.objects);
    const { container } = containersOf(objects).find(({ object }) => object.kind === 'Deployment' && object.metadata.name === 'mosip-esignet')!;
    const env = Object.fromEntries(((container.env ?? []) as { name: string; value?: string }[]).map((variable) => [variable.name, variable.value]));
    expect(env).toEqual(expect.objectContaining({
      plugin_name_env: 'mosip-identity-plugin.jar',
      MOSIP_ESIGNET_INTEGRATION_AUTHENTICATOR: 'IdaAuthenticatorImpl',
      MOSIP_ESIGNET_INTEGRATION_KEY_BINDER: 'IdaKeyBinderImpl',
    }));
    const services = new Set(objects.filter((object) => object.kind === 'Service').map((object) => `http://${object.metadata.name}.${namespace}`));
    for (const variable of ['MOSIP_ESIGNET_AUTHENTICATOR_IDA_KYC_AUTH_URL', 'MOSIP_ESIGNET_AUTHENTICATOR_IDA_KYC_EXCHANGE_URL', 'MOSIP_ESIGNET_AUTHENTICATOR_IDA_SEND_OTP_URL']) {
      expect([variable, services.has(new URL(env[variable]!).origin)]).toEqual([variable, true]);
    }
  });
});
