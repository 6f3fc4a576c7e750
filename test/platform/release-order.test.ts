import { LAYERS } from '../../charts/kit-chart';
import { PLATFORM_RELEASES } from '../../constructs/platform';
import type { Manifest } from '../../src/synth/manifest';
import { renderRelease, shippedReleases, type ShippedRelease } from '../support/upstream-render';

const byEnvironment = new Map<string, ShippedRelease[]>();
for (const shipped of shippedReleases()) byEnvironment.set(shipped.env.name, [...(byEnvironment.get(shipped.env.name) ?? []), shipped]);

/** `group/Kind` of an object, or of the objects a CustomResourceDefinition defines. */
const kindOf = (manifest: Manifest) => `${manifest.apiVersion.includes('/') ? manifest.apiVersion.split('/')[0] : ''}/${manifest.kind}`;
const definedKind = (crd: Manifest) => {
  const spec = crd.spec as { group: string; names: { kind: string } };
  return `${spec.group}/${spec.names.kind}`;
};

/** Releases certainly installed before `name` in its environment: earlier layers, and its own `dependsOn`, transitively. */
function installedBefore(releases: readonly ShippedRelease[], name: string): Set<string> {
  const own = releases.find((r) => r.release.releaseName === name)!;
  const before = new Set(releases.filter((r) => LAYERS.indexOf(r.layer as never) < LAYERS.indexOf(own.layer as never)).map((r) => r.release.releaseName));
  const visit = (release: string) => {
    for (const dependency of releases.find((r) => r.release.releaseName === release)?.release.dependsOn ?? []) {
      if (!before.has(dependency)) {
        before.add(dependency);
        visit(dependency);
      }
    }
  };
  visit(name);
  return before;
}

describe('the order in which upstream releases are installed', () => {
  it.each([...byEnvironment.keys()])(
    'in %s, installs each custom resource an upstream chart renders after the release that brings its CRD (or with it)',
    (envName) => {
      const releases = byEnvironment.get(envName)!;
      const rendered = new Map(releases.map(({ env, release }) => [release.releaseName, renderRelease(env, release)]));
      const providers = new Map<string, string>();
      for (const [name, objects] of rendered) {
        for (const crd of objects.filter((o) => o.kind === 'CustomResourceDefinition')) providers.set(definedKind(crd), name);
      }
      const tooEarly: string[] = [];
      for (const [name, objects] of rendered) {
        const before = installedBefore(releases, name);
        for (const object of objects) {
          const provider = providers.get(kindOf(object));
          if (provider && provider !== name && !before.has(provider)) tooEarly.push(`${name}: ${object.kind}/${object.metadata.name} needs ${provider} first`);
        }
      }
      expect(tooEarly).toEqual([]);
    },
  );

  it.each([...byEnvironment.keys()])('in %s, starts cert-manager with Gateway API support only after the Gateway API CRDs are installed', (envName) => {
    const releases = byEnvironment.get(envName)!;
    const certManager = releases.find((r) => r.release.releaseName === PLATFORM_RELEASES.certManager)!;
    expect(certManager.release.values).toEqual(expect.objectContaining({ config: expect.objectContaining({ gatewayAPI: { enabled: true } }) }));
    const gatewayApiProvider = releases.find(({ env, release }) =>
      renderRelease(env, release).some((o) => o.kind === 'CustomResourceDefinition' && definedKind(o) === 'gateway.networking.k8s.io/Gateway'),
    );
    expect(gatewayApiProvider?.release.releaseName).toBe(PLATFORM_RELEASES.envoyGateway);
    expect(installedBefore(releases, PLATFORM_RELEASES.certManager)).toContain(PLATFORM_RELEASES.envoyGateway);
  });

  it('scrapes cert-manager where observability is on, through a monitor that comes with kube-prometheus-stack', () => {
    for (const [envName, releases] of byEnvironment) {
      const monitoring = releases.find((r) => r.release.releaseName === PLATFORM_RELEASES.monitoring);
      if (!monitoring) continue;
      const monitors = renderRelease(monitoring.env, monitoring.release).filter((o) => o.kind === 'ServiceMonitor');
      expect([envName, monitors.find((m) => m.metadata.name === PLATFORM_RELEASES.certManager)?.spec]).toEqual([
        envName,
        expect.objectContaining({ namespaceSelector: { matchNames: ['cert-manager'] } }),
      ]);
    }
  });
});
