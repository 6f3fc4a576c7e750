import { CATALOGUE } from '../../constructs/catalogue/catalogue';
import { loadEnvironment } from '../../constructs/environment/load';
import { DISTRIBUTIONS } from '../../src/products/distributions';
import { productWorkloadsOf } from '../../src/products/pod-workloads';
import { renderComponents } from '../../src/synth/render';
import { assembleCountry } from '../../stacks/country';
import { readTree } from '../support/shipped';
import { runCli, scratchProject } from '../support/cli';

describe('each catalogue entry states how far it is proven to start', () => {
  it('is started by the harness exactly when the harness has its distribution, at the catalogue\'s version', () => {
    for (const entry of CATALOGUE) {
      const distribution = DISTRIBUTIONS.get(entry.product);
      if (entry.verification.level === 'harness-started') {
        expect({ product: entry.product, version: distribution?.version }).toEqual({ product: entry.product, version: entry.version });
      } else {
        expect({ product: entry.product, distribution: distribution?.product }).toEqual({ product: entry.product, distribution: undefined });
        expect(entry.verification.reason.length).toBeGreaterThan(40);
      }
    }
  });

  it('runs each distribution in containers the synthesised sandbox pod of its product has', () => {
    const sandbox = loadEnvironment('sandbox');
    const workloads = productWorkloadsOf(renderComponents(assembleCountry(sandbox)).flatMap((c) => c.manifests));
    for (const distribution of DISTRIBUTIONS.values()) {
      const pods = workloads.filter((w) => w.product === distribution.product);
      expect({ product: distribution.product, pods: pods.length > 0 }).toEqual({ product: distribution.product, pods: true });
      for (const pod of pods) expect(pod.pod.containers.some((c) => distribution.containers.includes(c.name))).toBe(true);
    }
  });
});

describe('npm run products, given a product the environment does not run', () => {
  it('names the products it does run, exits 1, and writes nothing', () => {
    const root = scratchProject();
    const before = readTree(root);
    const run = runCli(['products', '--product', 'nosuch'], root);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('error: environment sandbox runs no product "nosuch" (it runs apprise, baserow, bb-consent, camunda, esignet, g2p-bridge, hapi-fhir, keycloak, n8n)');
    expect(readTree(root)).toEqual(before);
  });
});
