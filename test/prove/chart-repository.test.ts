import { registrySchema } from '../../constructs/environment/schema';
import { blockToDisable, withBlockDisabled, withChartRepository } from '../../src/prove/prove-environment';
import { chartMirrorOf, resolveChartRepository } from '../../constructs/images';
import { shippedEnvironments } from '../support/shipped';

const sandbox = () => shippedEnvironments().find((env) => env.name === 'sandbox')!;
const veloria = () => shippedEnvironments().find((env) => env.name === 'veloria-production')!;
const registry = { allowed: ['docker.io'], digests: {} };

describe('registry.charts: the Helm repository every upstream chart is installed from', () => {
  it.each(['oci://registry.gov.example/charts', 'https://charts.gov.example', 'http://127.0.0.1:43117', 'http://localhost:8080/charts'])(
    'accepts %s',
    (charts) => {
      expect(registrySchema.safeParse({ ...registry, charts }).success).toBe(true);
    },
  );

  it.each(['http://charts.gov.example', 'http://10.0.0.5:8080', 'ftp://127.0.0.1/charts', 'charts.gov.example', 'https://'])(
    'refuses %s (plain http only on this machine; a repository is oci:// or https://)',
    (charts) => {
      const result = registrySchema.safeParse({ ...registry, charts });
      expect(result.success).toBe(false);
      expect(result.error?.issues[0].message).toMatch(/"oci:\/\/host\/path" or "https:\/\/host\/path".*localhost or 127\.0\.0\.1/);
    },
  );

  it('is where every upstream chart comes from when set, even with a registry mirror', () => {
    const env = veloria();
    const withCharts = { ...env, registry: { ...env.registry, charts: 'http://127.0.0.1:43117/' } };
    expect(resolveChartRepository(withCharts, 'https://charts.jetstack.io')).toBe('http://127.0.0.1:43117');
    expect(chartMirrorOf(withCharts)).toBe('http://127.0.0.1:43117');
  });

  it('leaves the registry mirror (oci://<mirror>/charts) or the public repository in charge when unset', () => {
    expect(resolveChartRepository(veloria(), 'https://charts.jetstack.io')).toBe(`oci://${veloria().registry.mirror}/charts`);
    expect(resolveChartRepository(sandbox(), 'https://charts.jetstack.io')).toBe('https://charts.jetstack.io');
    expect(chartMirrorOf(sandbox())).toBeUndefined();
  });
});

describe("the proof's copy of an environment", () => {
  it('takes the served chart mirror as registry.charts and changes nothing else', () => {
    const env = sandbox();
    const proved = withChartRepository(env, 'http://127.0.0.1:43117');
    expect(proved.registry.charts).toBe('http://127.0.0.1:43117');
    expect({ ...proved, registry: { ...proved.registry, charts: undefined } }).toEqual({ ...env, registry: { ...env.registry, charts: undefined } });
  });

  it('refuses a plain-http chart repository that is not on this machine', () => {
    expect(() => withChartRepository(sandbox(), 'http://charts.example:8080')).toThrow(/http:\/\/charts\.example:8080: .*"http:\/\/" only for localhost or 127\.0\.0\.1/);
  });

  it('switches exactly one building block off for the disabled-block plan', () => {
    const env = sandbox();
    const block = blockToDisable(env)!;
    const variant = withBlockDisabled(env, block);
    expect(variant.buildingBlocks[block].enabled).toBe(false);
    expect(Object.entries(variant.buildingBlocks).filter(([name]) => name !== block)).toEqual(Object.entries(env.buildingBlocks).filter(([name]) => name !== block));
  });
});
