import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { acquireSynthesisLock, LOCK_FILE } from '../../src/synth/synthesis-lock';
import { KIT_NODE, PROJECT, runCli, runScript, scratchProject, type CliRun } from '../support/cli';

function runCliAsync(args: readonly string[], cwd: string): Promise<CliRun> {
  return new Promise((resolve) => {
    const [node, ...hook] = KIT_NODE;
    const child = spawn(node, [...hook, path.join(PROJECT, 'src/cli/main.ts'), ...args], { cwd, env: { ...process.env, FORCE_COLOR: '0' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('synthesis in one folder, one at a time', () => {
  it('a second synthesis started while one runs waits for it, and both succeed', async () => {
    const root = scratchProject();
    const runs = await Promise.all([runCliAsync(['synth'], root), runCliAsync(['synth'], root)]);
    for (const run of runs) {
      expect(run.stderr).not.toMatch(/internal error|^\s+at /m);
      expect(run.status).toBe(0);
    }
    expect(existsSync(path.join(root, LOCK_FILE))).toBe(false);
    expect(existsSync(path.join(root, 'dist', 'sandbox', 'REVIEW.md'))).toBe(true);
  });

  it('refuses clearly when the other does not finish in time', () => {
    const root = scratchProject();
    const release = acquireSynthesisLock(root);
    try {
      expect(() => acquireSynthesisLock(root, { waitMs: 300 })).toThrow(
        `another synthesis (pid ${process.pid}) is writing into this folder and did not finish in time; wait for it and run again (if no such process runs, remove .synth-staging/lock); nothing was written`,
      );
    } finally {
      release();
    }
  });

  it('takes over the lock of a synthesis that was killed', () => {
    const root = scratchProject();
    mkdirSync(path.join(root, '.synth-staging'));
    writeFileSync(path.join(root, LOCK_FILE), '999999999\n');
    const release = acquireSynthesisLock(root, { waitMs: 0 });
    expect(readFileSync(path.join(root, LOCK_FILE), 'utf8')).toBe(`${process.pid}\n`);
    release();
  });
});

describe('Terraform\'s working files survive synthesis', () => {
  it('keeps each stack\'s .terraform.lock.hcl and .terraform/ when the stack is synthesised again', () => {
    const root = scratchProject();
    expect(runCli(['synth'], root).status).toBe(0);
    const stack = path.join(root, 'cdktf.out', 'stacks', 'sandbox-platform');
    writeFileSync(path.join(stack, '.terraform.lock.hcl'), 'provider "registry.terraform.io/hashicorp/helm" {}\n');
    mkdirSync(path.join(stack, '.terraform', 'providers'), { recursive: true });
    writeFileSync(path.join(stack, '.terraform', 'terraform.tfstate'), '{}\n');

    expect(runCli(['synth'], root).status).toBe(0);

    expect(readFileSync(path.join(stack, '.terraform.lock.hcl'), 'utf8')).toBe('provider "registry.terraform.io/hashicorp/helm" {}\n');
    expect(existsSync(path.join(stack, '.terraform', 'providers'))).toBe(true);
    expect(existsSync(path.join(stack, 'cdk.tf.json'))).toBe(true);
  });
});

describe('cdktf deploy of one environment while another is broken', () => {
  it('cdktf.json\'s app synthesises every valid environment, and names the broken one it leaves out with its stale stacks', () => {
    const root = scratchProject();
    const outdir = path.join(root, 'cli-out');
    expect(runScript('src/cli/cdktf-app.ts', [], root, { CDKTF_OUTDIR: outdir }).status).toBe(0);
    writeFileSync(path.join(root, 'environments', 'marenland-staging', 'environment.yaml'), 'country: {code: XM, name: Marenland}\nstage: staging\nprofile: hybrid\n');

    const run = runScript('src/cli/cdktf-app.ts', [], root, { CDKTF_OUTDIR: outdir });

    expect(run.status).toBe(0);
    expect(run.stderr).toBe(
      'warning: environment marenland-staging is left out, its stacks cannot be deployed until it is fixed:\n' +
        '  environments/marenland-staging/environment.yaml:3:1: field "profile" has value "hybrid"; expected one of sandbox, onprem, cloud\n',
    );
    const manifest = JSON.parse(readFileSync(path.join(outdir, 'manifest.json'), 'utf8')) as { stacks: Record<string, unknown> };
    expect(Object.keys(manifest.stacks)).toContain('veloria-production-platform');
    expect(Object.keys(manifest.stacks).filter((stack) => stack.startsWith('marenland-staging'))).toEqual([]);
    expect(existsSync(path.join(outdir, 'stacks', 'marenland-staging-platform'))).toBe(false);
  });
});
