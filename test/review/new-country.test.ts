import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { loadEnvironment } from '../../constructs/environment/load';
import { deriveEnvName } from '../../src/review/new-country';
import { buildOutput } from '../../src/pipeline/build-output';
import { readTree } from '../support/shipped';
import { runCli, scratchProject } from '../support/cli';

describe('npm run new-country', () => {
  it.each([
    ['onprem', 'production'],
    ['cloud', 'staging'],
  ])('writes a commented %s %s environment that is refused until its placeholders are replaced, then synthesises and passes the checks', (profile, stage) => {
    const root = scratchProject();
    const run = runCli(['new-country', '--code', 'XA', '--name', 'Atlantis', '--profile', profile, '--stage', stage], root);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const name = `atlantis-${stage}`;
    const text = readFileSync(path.join(root, 'environments', name, 'environment.yaml'), 'utf8');
    expect(text).toMatch(/^# yaml-language-server: \$schema=\.\.\/environment\.schema\.json/);
    expect(text).toContain('REPLACE');
    expect(text).not.toMatch(/^ *(kind: metallb|mode: acme|backend: s3)$/m); // the profile's own values are inherited, not repeated

    expect(() => loadEnvironment(name, path.join(root, 'environments'))).toThrow(
      /field "domain" has value "(staging\.)?gov\.atlantis\.example"; expected your own value: this is a placeholder \(marked REPLACE\)/,
    );
    // Once the placeholders are replaced (here: only their marks removed), the first synthesis succeeds.
    writeFileSync(path.join(root, 'environments', name, 'environment.yaml'), text.replace(/#\s*REPLACE\b.*$/gm, '#'));
    const env = loadEnvironment(name, path.join(root, 'environments'));
    expect(env).toEqual(expect.objectContaining({ stage, profile, country: { code: 'XA', name: 'Atlantis' } }));
    const [result] = buildOutput([env], { root });
    expect(existsSync(path.join(root, 'dist', name, 'REVIEW.md'))).toBe(true);
    // The policy suite must find nothing to fail in a fresh country.
    expect(result.policy.results.filter((r) => r.status === 'fail')).toEqual([]);
  });

  it('names the environment after the country and stage, or as told', () => {
    expect(deriveEnvName('République de Côte d\'Ivoire', 'staging')).toBe('republique-de-cote-d-ivoire-staging');
    const root = scratchProject();
    const run = runCli(['new-country', '--code', 'ke', '--name', 'Kenya', '--profile', 'cloud', '--stage', 'production', '--env-name', 'ke-prod'], root);
    expect(run.status).toBe(0);
    expect(readFileSync(path.join(root, 'environments', 'ke-prod', 'environment.yaml'), 'utf8')).toContain('code: KE');
  });

  it.each([
    [['--code', 'UK', '--name', 'Atlantis', '--profile', 'onprem', '--stage', 'production'], /--code "UK" is not an ISO 3166-1 alpha-2 country code/],
    [['--code', 'X1', '--name', 'Atlantis', '--profile', 'onprem', '--stage', 'production'], /--code "X1" is not an ISO 3166-1 alpha-2 country code/],
    [['--code', 'XA', '--name', 'Atlantis', '--profile', 'sandbox', '--stage', 'production'], /--profile "sandbox" is not one of onprem, cloud/],
    [['--code', 'XA', '--name', 'Atlantis', '--profile', 'onprem', '--stage', 'sandbox'], /--stage "sandbox" is not one of staging, production/],
    [['--code', 'XA', '--name', 'Atlantis', '--profile', 'onprem', '--stage', 'production', '--env-name', 'Atlantis_Prod'], /--env-name "Atlantis_Prod" must be lowercase/],
    [['--code', 'XA', '--name', 'Ατλαντίς', '--profile', 'onprem', '--stage', 'production'], /cannot derive an environment name .* give one with --env-name/],
    [['--code', 'XA', '--name', 'Atlantis', '--profile', 'onprem'], /required option '--stage <stage>' not specified/],
    [['--code', 'XA', '--name', 'Veloria', '--profile', 'onprem', '--stage', 'production', '--env-name', 'veloria-production'], /environments\/veloria-production\/ already exists: refusing to overwrite it/],
  ])('rejects %j with a clear message, exit 1, and writes nothing', (args, message) => {
    const root = scratchProject();
    const before = readTree(path.join(root, 'environments'));
    const run = runCli(['new-country', ...args], root);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\bat .*\.ts:\d+/);
    expect(readTree(path.join(root, 'environments'))).toEqual(before);
  });
});
