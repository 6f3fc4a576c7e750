import { declaredExceptions } from '../../constructs/baseline/policy-exception';
import { MOSIP } from '../../constructs/catalogue/products/mosip';
import { mirroredChartRepository } from '../../constructs/images';
import { buildingBlockNamespace } from '../../constructs/information-mediator/contract';
import { assembleCountry } from '../../stacks/country';
import { buildingBlockManifests, environmentRunning } from '../support/building-blocks';

/** Every `{ registry, repository, tag }` (or `{ repository, tag }` naming the registry) in a chart's values, as the reference the chart pulls. */
function imagesInValues(values: unknown): string[] {
  if (typeof values !== 'object' || values === null) return [];
  const node = values as Record<string, unknown>;
  const named = typeof node.repository === 'string' && typeof node.tag === 'string';
  const own = named ? [typeof node.registry === 'string' ? `${node.registry}/${node.repository}:${node.tag}` : `${node.repository}:${node.tag}`] : [];
  return [...own, ...Object.values(node).flatMap(imagesInValues)];
}

const releasesIn = (stage: 'staging' | 'production') =>
  assembleCountry(environmentRunning(MOSIP, stage)).upstreamCharts.filter((chart) => chart.props.namespace === buildingBlockNamespace(MOSIP.buildingBlock));

describe('MOSIP, installed from its own charts', () => {
  it('with a registry mirror, takes every chart from the mirror and sets every image it lists in the values, pulled through the mirror', () => {
    const env = environmentRunning(MOSIP, 'production');
    const mirror = env.registry.mirror!;
    const releases = releasesIn('production');
    expect(releases.length).toBe(MOSIP.deployment.kind === 'upstream-chart' ? MOSIP.deployment.charts.length : 0);
    for (const { props } of releases) {
      expect(props.repository).toBe(mirroredChartRepository(mirror));
      for (const image of props.images) expect(image.startsWith(`${mirror}/`)).toBe(true);
      expect([props.releaseName, imagesInValues(props.values).sort()]).toEqual([props.releaseName, [...props.images].sort()]);
    }
  });

  it('without a mirror, takes the charts from MOSIP\'s repository', () => {
    for (const { props } of releasesIn('staging')) expect(props.repository).toBe('https://mosip.github.io/mosip-helm');
  });

  it('turns security contexts on for every chart, the sub-charts of an umbrella chart included (those it runs)', () => {
    for (const { props } of releasesIn('staging')) {
      const subCharts = Object.values(props.values as Record<string, { enabled?: boolean }>).filter((subChart) => subChart.enabled !== false);
      const roots = props.chart === 'idrepo' ? subCharts : [props.values];
      expect(roots.length).toBeGreaterThan(0);
      for (const root of roots) expect(root).toEqual(expect.objectContaining({ podSecurityContext: expect.objectContaining({ enabled: true, runAsNonRoot: true }) }));
    }
  });

  it('lets its pods talk to each other only, on any port, and declares why the ports are not named', () => {
    const policies = buildingBlockManifests(environmentRunning(MOSIP, 'staging'), MOSIP.buildingBlock).filter((m) => m.kind === 'NetworkPolicy');
    const ownPods = policies.find((policy) => policy.metadata.name === 'allow-mosip-own-pods');
    expect(ownPods?.spec).toEqual(
      expect.objectContaining({ podSelector: { matchLabels: {} }, ingress: [{ from: [{ podSelector: {} }] }], egress: [{ to: [{ podSelector: {} }] }] }),
    );
    expect(declaredExceptions(ownPods!).get('NET-02')).toMatch(/upstream charts/);
  });
});
