import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { besidesProgress, runCli, scratchProject } from '../support/cli';

describe('npm run report', () => {
  it('writes the review bundle of the environment and prints what procurement and the review board ask first', () => {
    const root = scratchProject();
    const run = runCli(['report', '--env', 'veloria-production'], root);
    expect(besidesProgress(run.stderr)).toEqual([]);
    expect(run.status).toBe(0);
    for (const file of ['REVIEW.md', 'review.html', 'architecture.svg', 'capacity.json', 'images.txt', 'charts.txt']) {
      expect(existsSync(path.join(root, 'dist', 'veloria-production', file))).toBe(true);
    }
    expect(run.stdout).toMatch(/nodes to buy: \d+ of 16 CPU \/ 64 GiB \(\d+ needed \+ 1 spare\)/);
    expect(run.stdout).toContain('changes: first synthesis, nothing to compare');
  });
});

describe('npm run diff', () => {
  it('shows how a fork differs from another environment: settings, then objects by component and namespace', () => {
    const run = runCli(['diff', '--env', 'marenland-staging', '--against', 'veloria-production'], scratchProject());
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^marenland-staging \(sources now\) compared with veloria-production \(sources now\)/);
    expect(run.stdout).toContain('  country.code: "XV" → "XM"');
    expect(run.stdout).toMatch(/Objects: (identical\.|\d+ added)/);
  });

  it('compares an environment\'s sources with its last synthesis, and says when there is none', () => {
    const root = scratchProject();
    const none = runCli(['diff', '--env', 'veloria-production', '--against', 'previous'], root);
    expect(none.status).toBe(1);
    expect(none.stderr).toContain('no previous synthesis of veloria-production in dist/veloria-production/manifests: run npm run synth -- --env veloria-production first');

    expect(runCli(['synth', '--env', 'veloria-production'], root).status).toBe(0);
    expect(runCli(['diff', '--env', 'veloria-production', '--against', 'previous'], root).stdout).toContain('Objects: identical.');

    const file = path.join(root, 'environments', 'veloria-production', 'environment.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('kubernetesVersion: "1.33"', 'kubernetesVersion: "1.34"'));
    const changed = runCli(['diff', '--env', 'veloria-production', '--against', 'previous'], root);
    expect(changed.stdout).toContain('  cluster.kubernetesVersion: "1.33" → "1.34"');
    expect(changed.stdout).toMatch(/~ Namespace\/[a-z0-9-]+\n\s+metadata\.labels\.pod-security\.kubernetes\.io\/enforce-version: "v1\.33" → "v1\.34"/);
  });

  it('names the known environments when one does not exist', () => {
    const run = runCli(['diff', '--env', 'atlantis', '--against', 'sandbox'], scratchProject());
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/environments\/atlantis\/environment\.yaml: expected an existing environment; known: .*sandbox/);
  });
});
