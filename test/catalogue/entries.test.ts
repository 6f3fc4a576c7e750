import { CATALOGUE } from '../../constructs/catalogue/catalogue';
import { KEYCLOAK } from '../../constructs/catalogue/products/keycloak';
import { BUILDING_BLOCK_IDS, type ContainerEntry } from '../../constructs/catalogue/types';
import { SIZES } from '../../constructs/environment/schema';

const containersOf = (entry: (typeof CATALOGUE)[number]): ContainerEntry[] =>
  entry.components.flatMap((component) => [...(component.initContainers ?? []), ...component.containers]);

describe('the catalogue', () => {
  it('has at least one product for each of the first five building blocks', () => {
    for (const id of BUILDING_BLOCK_IDS) expect(CATALOGUE.some((entry) => entry.buildingBlock === id)).toBe(true);
  });

  it('holds one entry per building block, product and version', () => {
    const keys = CATALOGUE.map((entry) => `${entry.buildingBlock}/${entry.product}@${entry.version}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('pins every image to an explicit upstream tag, never latest, and every upstream chart to an exact version', () => {
    for (const entry of CATALOGUE) {
      const images = [...containersOf(entry).map((c) => c.image), ...(entry.deployment.kind === 'upstream-chart' ? entry.deployment.charts.flatMap((c) => Object.values(c.images)) : [])];
      for (const image of images) expect(image).toMatch(/^[a-z0-9.-]+\.[a-z]+\/[a-z0-9._/-]+:(?!latest$)[A-Za-z0-9._-]+$/);
      if (entry.deployment.kind === 'upstream-chart') {
        for (const chart of entry.deployment.charts) expect(chart.version).toMatch(/^\d+\.\d+\.\d+$/);
      }
    }
  });

  it('uses no Bitnami image', () => {
    for (const entry of CATALOGUE) for (const container of containersOf(entry)) expect(container.image).not.toMatch(/bitnami/);
  });

  it('says for every product why it is rendered by the kit or installed from its own chart, and where it may run', () => {
    for (const entry of CATALOGUE) {
      expect(entry.deployment.reason.length).toBeGreaterThan(30);
      expect(entry.stages.length).toBeGreaterThan(0);
      expect(entry.specVersion).not.toBe('');
    }
  });

  it('sizes every container for small, medium and large', () => {
    for (const entry of CATALOGUE) {
      for (const container of containersOf(entry)) {
        expect(Object.keys(container.resources).sort()).toEqual([...SIZES].sort());
      }
    }
  });

  it('marks the heavy full MOSIP as an upstream-chart option outside the sandbox', () => {
    const mosip = CATALOGUE.find((entry) => entry.product === 'mosip');
    expect(mosip?.deployment.kind).toBe('upstream-chart');
    expect(mosip?.heavy).toBeDefined();
    expect(mosip?.stages).not.toContain('sandbox');
  });

  it('publishes Keycloak\'s sign-in paths on the external gateway and its admin console only on the internal one', () => {
    const exposures = KEYCLOAK.components[0].exposures ?? [];
    expect(exposures.find((e) => e.gateway === 'external')?.paths).toEqual(['/realms/', '/resources/']);
    expect(exposures.find((e) => e.gateway === 'internal')?.paths).toBeUndefined();
  });

  it('generates every product secret in the cluster: env contracts name secrets, never values', () => {
    for (const entry of CATALOGUE) {
      for (const secret of entry.secrets) expect(secret.keys.length).toBeGreaterThan(0);
    }
  });
});
