import { ProofError } from '../../src/prove/errors';
import { providerMirrorPath, recipeFor, requiredProviders, requireGo, terraformCliConfig } from '../../src/prove/toolchain';

describe('the proof toolchain', () => {
  it('on a machine without Go, says what it needs and that npm test does not need it', () => {
    const noGo = { ...process.env, PATH: '/nonexistent' };
    expect(() => requireGo(noGo)).toThrow(ProofError);
    expect(() => requireGo(noGo)).toThrow(/needs Go .*Go module proxy.*kube-apiserver, etcd.*Terraform providers.*`npm test` does not need Go/);
  });

  it('builds exactly the provider versions the stacks require, each once', () => {
    const stack = { terraform: { required_providers: { helm: { source: 'helm', version: '3.1.1' }, kubernetes: { source: 'kubernetes', version: '2.38.0' } } } };
    expect(requiredProviders([stack, stack])).toEqual([
      { name: 'helm', version: '3.1.1' },
      { name: 'kubernetes', version: '2.38.0' },
    ]);
  });

  it('refuses a required provider without an exact version', () => {
    expect(() => requiredProviders([{ terraform: { required_providers: { helm: { source: 'helm' } } } }])).toThrow(/without a version/);
  });

  it('names the file to edit when a required provider version has no build recipe', () => {
    expect(() => recipeFor({ name: 'helm', version: '9.9.9' })).toThrow(/helm 9\.9\.9.*PROVIDER_RECIPES in src\/prove\/toolchain\.ts/);
  });

  it('tries the release commit first, and records any other build as not exact', () => {
    for (const required of [{ name: 'kubernetes', version: '2.38.0' }, { name: 'helm', version: '3.1.1' }]) {
      const recipe = recipeFor(required);
      expect(recipe.builds[0].exact).toBe(true);
      expect(recipe.builds.slice(1).every((b) => !b.exact)).toBe(true);
    }
  });

  it('lays providers out as an unpacked filesystem mirror under both registry hostnames', () => {
    const provider = { name: 'kubernetes', version: '2.38.0' };
    expect(providerMirrorPath('registry.terraform.io', provider)).toBe('registry.terraform.io/hashicorp/kubernetes/2.38.0/linux_amd64/terraform-provider-kubernetes_v2.38.0');
    expect(providerMirrorPath('registry.opentofu.org', provider)).toBe('registry.opentofu.org/hashicorp/kubernetes/2.38.0/linux_amd64/terraform-provider-kubernetes_v2.38.0');
  });

  it('writes a CLI config whose only installation method is the mirror (no network at init)', () => {
    const config = terraformCliConfig('/cache/terraform-mirror');
    expect(config).toMatch(/filesystem_mirror \{\n\s+path\s+= "\/cache\/terraform-mirror"/);
    expect(config).not.toMatch(/direct|network_mirror|dev_overrides/);
  });
});
