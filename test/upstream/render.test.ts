import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { chartSourceFromSetting, customApiVersions, helmBinary, parseRendered, renderReleases, type UpstreamRelease } from '../../src/upstream';

const release = (over: Partial<UpstreamRelease>): UpstreamRelease => ({
  stack: 'demo-platform',
  address: 'helm_release.release-metallb',
  releaseName: 'metallb',
  namespace: 'metallb-system',
  repository: 'https://metallb.github.io/metallb',
  chart: 'metallb',
  version: '0.16.1',
  values: '',
  dependsOn: [],
  ...over,
});

describe('rendering an upstream chart with the real Helm', () => {
  const source = chartSourceFromSetting();

  it('runs the pinned Helm 4', () => {
    expect(require('node:child_process').execFileSync(helmBinary(), ['version', '--short'], { encoding: 'utf8' })).toMatch(/^v4\./);
  });

  it('renders every object the release installs, CRDs included, each in the namespace Helm puts it', () => {
    const [metallb] = renderReleases([release({})], { kubernetesVersion: '1.33', source });
    expect(metallb.error).toBeUndefined();
    expect(metallb.objects.filter((o) => o.kind === 'CustomResourceDefinition').map((o) => o.metadata.name)).toContain('ipaddresspools.metallb.io');
    const namespaced = metallb.objects.filter((o) => ['Deployment', 'DaemonSet', 'ServiceAccount', 'Role'].includes(o.kind));
    expect(new Set(namespaced.map((o) => o.metadata.namespace))).toEqual(new Set(['metallb-system']));
    expect(customApiVersions([metallb])).toEqual(expect.arrayContaining(['metallb.io/v1beta1', 'metallb.io/v1beta1/IPAddressPool']));
  });

  it('reads a cached render back as exactly what Helm printed parses to, from the YAML or from its parsed copy beside it', () => {
    const cache = mkdtempSync(path.join(tmpdir(), 'govstack-render-cache-'));
    const previous = process.env.GOVSTACK_KIT_CACHE;
    process.env.GOVSTACK_KIT_CACHE = cache;
    try {
      const [fromHelm] = renderReleases([release({})], { kubernetesVersion: '1.33', source });
      const files = readdirSync(path.join(cache, 'rendered'));
      expect(files.map((file) => file.replace(/^[0-9a-f]{64}/, 'KEY'))).toEqual(['KEY.yaml', expect.stringMatching(/^KEY\.yaml-\d+\.\d+\.\d+\.schemas-last\.v8$/)]);
      const [fromParsedCopy] = renderReleases([release({})], { kubernetesVersion: '1.33', source });
      rmSync(path.join(cache, 'rendered', files[1]));
      const [fromYaml] = renderReleases([release({})], { kubernetesVersion: '1.33', source });
      expect(fromParsedCopy).toEqual(fromHelm);
      expect(fromYaml).toEqual(fromHelm);
      expect(existsSync(path.join(cache, 'rendered', files[1]))).toBe(true);
    } finally {
      if (previous === undefined) delete process.env.GOVSTACK_KIT_CACHE;
      else process.env.GOVSTACK_KIT_CACHE = previous;
      rmSync(cache, { recursive: true, force: true });
    }
  });

  it('reports, without throwing, what Helm says when the chart refuses the values', () => {
    const [loki] = renderReleases(
      [release({ address: 'helm_release.release-loki', releaseName: 'loki', namespace: 'logging', chart: 'loki', version: '18.11.0', repository: 'https://grafana-community.github.io/helm-charts', values: 'deploymentMode: Monolithic\n' })],
      { kubernetesVersion: '1.33', source },
    );
    expect(loki.objects).toEqual([]);
    expect(loki.error).toMatch(/^Error: execution error at \(loki\/templates\/[a-z/]+\.yaml:\d+:\d+\): ./);
  });

  it('tells a chart which custom resources exist when it installs: those of the releases it depends on, not others', () => {
    const crd = (group: string, kind: string) =>
      `apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: x.${group}\nspec:\n  group: ${group}\n  scope: Namespaced\n  names: {kind: ${kind}, plural: x}\n  versions: [{name: v1, served: true}, {name: v0, served: false}]\n`;
    const objects = parseRendered(crd('example.io', 'Widget'), { releaseName: 'widgets', namespace: 'demo' });
    expect(customApiVersions([{ objects }])).toEqual(['example.io/v1', 'example.io/v1/Widget']);
  });

  it('puts a namespaced object without a namespace into the release namespace, and leaves cluster-scoped ones alone', () => {
    const objects = parseRendered('kind: ConfigMap\napiVersion: v1\nmetadata: {name: a}\n---\nkind: ClusterRole\napiVersion: rbac.authorization.k8s.io/v1\nmetadata: {name: b}\n---\n# empty\n', {
      releaseName: 'r',
      namespace: 'demo',
    });
    expect(objects.map((o) => [o.kind, o.metadata.namespace])).toEqual([
      ['ConfigMap', 'demo'],
      ['ClusterRole', undefined],
    ]);
  });
});
