import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { readTree, SHIPPED_ENVIRONMENTS } from '../support/shipped';
import { besidesProgress, runCli, runScript, scratchProject } from '../support/cli';

describe('npm run synth', () => {
  it('synthesises the sandbox by default and prints a summary of stacks, objects and namespaces', () => {
    const root = scratchProject();
    const run = runCli(['synth'], root);
    expect(besidesProgress(run.stderr)).toEqual([]);
    expect(run.stderr).toMatch(/^  sandbox: building constructs/m);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/sandbox: 3 stacks \(sandbox-platform, sandbox-information-mediator, sandbox-building-blocks\), \d+ objects in \d+ namespaces/);
    expect(readdirSync(path.join(root, 'dist'))).toEqual(['sandbox']);
    expect(existsSync(path.join(root, 'cdktf.out', 'stacks', 'sandbox-platform', 'cdk.tf.json'))).toBe(true);
  });

  it('synthesises one named environment, or all of them', () => {
    const root = scratchProject();
    expect(runCli(['synth', '--env', 'veloria-production'], root).status).toBe(0);
    expect(readdirSync(path.join(root, 'dist'))).toEqual(['veloria-production']);
    expect(runCli(['synth', '--all'], root).status).toBe(0);
    expect(readdirSync(path.join(root, 'dist')).sort()).toEqual([...SHIPPED_ENVIRONMENTS]);
  });

  it('refuses a broken environment with file, field and expectation, exit 1, no stack trace, and writes nothing', () => {
    const root = scratchProject();
    expect(runCli(['synth', '--all'], root).status).toBe(0);
    const before = new Map([...readTree(path.join(root, 'dist')), ...readTree(path.join(root, 'cdktf.out'))]);
    const file = path.join(root, 'environments', 'veloria-production', 'environment.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('backend: pg', 'backend: local\n  directory: state').replace(/schemaPrefix:.*\n/, ''));

    const run = runCli(['synth', '--all'], root);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      /environments\/veloria-production\/environment\.yaml:\d+:\d+: field "terraformState\.backend" has value "local"; expected pg, kubernetes or s3/,
    );
    expect(run.stderr).toContain('nothing was written');
    expect(run.stderr).not.toMatch(/\bat .*\.ts:\d+/);
    expect(new Map([...readTree(path.join(root, 'dist')), ...readTree(path.join(root, 'cdktf.out'))])).toEqual(before);
  });

  it('answers a refused environment file before it loads cdktf, cdk8s and the constructs, for every command that synthesises', () => {
    const root = scratchProject();
    const file = path.join(root, 'environments', 'sandbox', 'environment.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^profile: .*$/m, 'profile: nowhere'));
    // A probe Node loads first, which says at exit which of the frameworks the command had loaded.
    const probe = path.join(root, 'loaded-frameworks.cjs');
    writeFileSync(probe, "process.on('exit', () => process.stderr.write(`frameworks loaded: ${['cdktf', 'cdk8s'].filter((name) => Object.keys(require.cache).some((file) => file.includes(`/node_modules/${name}/`))).join(', ') || 'none'}\\n`));\n");
    for (const args of [['synth'], ['check'], ['report'], ['restore', '--env', 'sandbox', '--from', 'cluster-daily-20260301020000']]) {
      const run = runScript('src/cli/main.ts', args, root, { NODE_OPTIONS: `--require ${probe}` });
      expect({ args, status: run.status, refused: run.stderr.includes('field "profile"') }).toEqual({ args, status: 1, refused: true });
      expect(run.stderr).toContain('frameworks loaded: none');
    }
  });

  it('names the known environments when asked for one that does not exist', () => {
    const run = runCli(['synth', '--env', 'atlantis'], scratchProject());
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/environments\/atlantis\/environment\.yaml: expected an existing environment; known: .*sandbox/);
  });

  it('rejects contradictory options and unknown ones with exit 1', () => {
    const root = scratchProject();
    expect(runCli(['synth', '--env', 'sandbox', '--all'], root).stderr).toMatch(/either --env NAME or --all/);
    const unknown = runCli(['synth', '--evn', 'sandbox'], root);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/unknown option '--evn'/);
  });
});

describe('govstack --help', () => {
  it('names every command with its summary, and a command\'s own help names its options', () => {
    const root = scratchProject();
    const help = runCli(['--help'], root);
    expect(help.status).toBe(0);
    for (const command of ['synth', 'restore', 'schema', 'report', 'new-country', 'diff', 'check', 'silent-values', 'products', 'pins']) {
      expect(help.stdout).toMatch(new RegExp(`^  ${command} +\\w`, 'm'));
    }
    for (const args of [['synth', '--help'], ['help', 'synth']]) {
      const own = runCli(args, root);
      expect(own.status).toBe(0);
      expect(own.stdout).toContain('--env <name>');
    }
  });
});

describe('the ecosystem\'s own commands', () => {
  it('cdktf.json\'s app writes every environment\'s stacks where the cdktf CLI asks', () => {
    const root = scratchProject();
    const run = runScript('src/cli/cdktf-app.ts', [], root, { CDKTF_OUTDIR: path.join(root, 'cli-out') });
    expect(run.status).toBe(0);
    expect(existsSync(path.join(root, 'cli-out', 'stacks', 'veloria-production-building-blocks', 'cdk.tf.json'))).toBe(true);
    expect(existsSync(path.join(root, 'cli-out', 'manifest.json'))).toBe(true);
  });

  it('cdk8s.yaml\'s app writes the default environment\'s manifests where the cdk8s CLI asks', () => {
    const root = scratchProject();
    const run = runScript('src/cli/cdk8s-app.ts', [], root, { CDK8S_OUTDIR: path.join(root, 'k8s-out') });
    expect(run.status).toBe(0);
    expect(readdirSync(path.join(root, 'k8s-out'))).toContain('_cluster');
  });
});
