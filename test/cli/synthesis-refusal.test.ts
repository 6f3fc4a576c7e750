import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadEnvironment } from '../../constructs/environment/load';
import type { Environment } from '../../constructs/environment/schema';
import { checkEnvironments } from '../../src/pipeline/check-environments';
import { buildOutput } from '../../src/pipeline/build-output';
import * as policyEvaluation from '../../src/policy/evaluate';
import { SynthesisRefused } from '../../src/pipeline/synthesis-refused';
import { readTree } from '../support/shipped';

/** The sandbox with a private key header in a realm's display name: what the loader refuses, had it slipped past. */
function sandboxWithKeyInRealm(): Environment {
  const env = structuredClone(loadEnvironment('sandbox'));
  env.buildingBlocks.iam.realms = [{ name: 'govstack', displayName: '-----BEGIN RSA PRIVATE KEY-----' }];
  return env;
}

function refusalOf(run: () => unknown): SynthesisRefused {
  try {
    run();
  } catch (error) {
    if (error instanceof SynthesisRefused) return error;
    throw error;
  }
  throw new Error('expected the synthesis to be refused');
}

describe('a synthesis whose output fails a policy check or the secret scan is refused, and nothing is moved into place', () => {
  it('names the failing check and every file the secret scan flags, as the user would find them', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'govstack-refused-'));
    mkdirSync(path.join(root, 'dist', 'sandbox'), { recursive: true });
    writeFileSync(path.join(root, 'dist', 'sandbox', 'REVIEW.md'), 'previous output\n');
    const before = readTree(root);

    const refused = refusalOf(() => buildOutput([sandboxWithKeyInRealm()], { root }));

    expect(refused.message).toContain(
      'sandbox: policy check SEC-04 fails on ConfigMap/bb-iam/keycloak-server-realms: key govstack-realm.json, line 3: private key (fix it, or declare an exception with its reason)',
    );
    expect(refused.message).toMatch(/^sandbox: secret scan: dist\/sandbox\/manifests\/bb-iam\/bb-iam\.yaml:\d+: private key; no secret value may be in the output/m);
    expect(refused.message).toMatch(/^sandbox: secret scan: dist\/sandbox\/environment\.resolved\.yaml:\d+: private key/m);
    expect(readTree(root)).toEqual(before);
    expect(existsSync(path.join(root, 'cdktf.out'))).toBe(false);
  });

  it('in every command that synthesises: check reports the same findings instead, from the one evaluation the build made', () => {
    const evaluations = jest.spyOn(policyEvaluation, 'evaluatePolicies');
    try {
      const [checked] = checkEnvironments([sandboxWithKeyInRealm()]);
      expect(evaluations).toHaveBeenCalledTimes(1);
      expect(checked.report).toBe(evaluations.mock.results[0].value);
      expect(checked.report.results).toContainEqual(expect.objectContaining({ check: 'SEC-04', object: 'ConfigMap/bb-iam/keycloak-server-realms', status: 'fail' }));
      expect(checked.secretFindings.map((finding) => finding.file)).toContain(path.join('dist', 'sandbox', 'manifests', 'bb-iam', 'bb-iam.yaml'));
    } finally {
      evaluations.mockRestore();
    }
  });

  it('lets the shipped environments through: none fails a check or holds a secret', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'govstack-refused-'));
    const results = buildOutput(['sandbox', 'veloria-production', 'marenland-staging'].map((name) => loadEnvironment(name)), { root });
    expect(results.flatMap((result) => result.secretFindings)).toEqual([]);
  });
});
