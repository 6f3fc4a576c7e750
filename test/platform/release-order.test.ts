import { PLATFORM_RELEASES } from '../../constructs/platform';
import type { Manifest } from '../../src/synth/manifest';
import { installedBefore } from '../../src/upstream';
import { shippedEnvironments } from '../support/shipped';
import { renderShipped, type ShippedRelease } from '../support/upstream-render';

const environments = shippedEnvironments().map((env) => [env.name, env] as const);

/** `group/Kind` of an object, or of the objects a CustomResourceDefinition defines. */
const kindOf = (manifest: Manifest) => `${manifest.apiVersion.includes('/') ? manifest.apiVersion.split('/')[0] : ''}/${manifest.kind}`;
const definedKind = (crd: Manifest) => {
  const spec = crd.spec as { group: string; names: { kind: string } };
  return `${spec.group}/${spec.names.kind}`;
};

/** Names of the releases Terraform has installed when it installs `shipped`. */
function before(all: readonly ShippedRelease[], shipped: ShippedRelease): Set<string> {
  const rendered = all.map((s) => s.rendered);
  const available = new Map(rendered.map((r) => [`${r.stack} ${r.address}`, r]));
  return new Set(installedBefore(shipped.rendered, rendered, available).map((r) => r.releaseName));
}

describe('the order in which upstream releases are installed', () => {
  it.each(environments)('in %s, installs each custom resource an upstream chart renders after the release that brings its CRD (or with it)', async (_name, env) => {
    const releases = await renderShipped(env);
    const providers = new Map<string, string>();
    for (const shipped of releases) {
      for (const crd of shipped.objects.filter((o) => o.kind === 'CustomResourceDefinition')) providers.set(definedKind(crd), shipped.release.releaseName);
    }
    const tooEarly: string[] = [];
    for (const shipped of releases) {
      const name = shipped.release.releaseName;
      const installed = before(releases, shipped);
      for (const object of shipped.objects) {
        const provider = providers.get(kindOf(object));
        if (provider && provider !== name && !installed.has(provider)) tooEarly.push(`${name}: ${object.kind}/${object.metadata.name} needs ${provider} first`);
      }
    }
    expect(tooEarly).toEqual([]);
  });

  it.each(environments)('in %s, starts cert-manager with Gateway API support only after the Gateway API CRDs are installed', async (_name, env) => {
    const releases = await renderShipped(env);
    const certManager = releases.find((s) => s.release.releaseName === PLATFORM_RELEASES.certManager)!;
    expect(certManager.release.values).toEqual(expect.objectContaining({ config: expect.objectContaining({ gatewayAPI: { enabled: true } }) }));
    const gatewayApiProvider = releases.find((s) => s.objects.some((o) => o.kind === 'CustomResourceDefinition' && definedKind(o) === 'gateway.networking.k8s.io/Gateway'));
    expect(gatewayApiProvider?.release.releaseName).toBe(PLATFORM_RELEASES.envoyGateway);
    expect(before(releases, certManager)).toContain(PLATFORM_RELEASES.envoyGateway);
  });

  it.each(environments)('in %s, scrapes cert-manager through a monitor that comes with kube-prometheus-stack', async (_name, env) => {
    const monitoring = (await renderShipped(env)).find((s) => s.release.releaseName === PLATFORM_RELEASES.monitoring)!;
    const monitor = monitoring.objects.find((o) => o.kind === 'ServiceMonitor' && o.metadata.name === PLATFORM_RELEASES.certManager);
    expect(monitor?.spec).toEqual(expect.objectContaining({ namespaceSelector: { matchNames: ['cert-manager'] } }));
  });
});
