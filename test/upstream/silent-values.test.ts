import { chartSourceFromSetting, renderReleases, type UpstreamRelease } from '../../src/upstream';
import { changed, findSilentValues, leafPaths, masked } from '../../src/upstream/silent-values';

const metallb = (values: string): UpstreamRelease => ({
  stack: 'demo-platform',
  address: 'helm_release.release-metallb',
  releaseName: 'metallb',
  namespace: 'metallb-system',
  repository: 'https://metallb.github.io/metallb',
  chart: 'metallb',
  version: '0.16.1',
  values,
  dependsOn: [],
});

describe('values the kit sets but the chart never reads (npm run silent-values)', () => {
  it('finds a misspelt key, and not a key the chart reads, even where it equals the chart default', async () => {
    const source = chartSourceFromSetting();
    // logLevel "info" is the chart's default (removing it changes nothing, changing it does); lgoLevel is a typo.
    const release = renderReleases([metallb('controller:\n  logLevel: info\n  lgoLevel: debug\n')], { kubernetesVersion: '1.33', source });
    expect(await findSilentValues(release, { kubernetesVersion: '1.33', source })).toEqual([{ release: 'metallb', path: 'controller.lgoLevel' }]);
  });

  it('walks every leaf (a list counts as one), changes each to another value of its type, and masks what Helm generates afresh', () => {
    expect(leafPaths({ a: { b: 1, c: [1, 2], d: {} }, e: 'x' })).toEqual([['a', 'b'], ['a', 'c'], ['a', 'd'], ['e']]);
    expect(changed({ a: { b: true, n: 1, s: 'x', l: [] } }, ['a', 'b'])).toContain('b: false');
    expect(masked('ca.crt: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUM=\nname: web\n')).toBe('ca.crt: <generated>\nname: web\n');
  });
});
