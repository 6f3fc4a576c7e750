import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { SHIPPED_ENVIRONMENTS } from './shipped';

export const PROJECT = path.resolve(__dirname, '..', '..');
/** How the npm scripts start Node on the kit's TypeScript (see src/cli/typescript-hook.cjs); add the script and its arguments. */
export const KIT_NODE: readonly [string, ...string[]] = [process.execPath, '--require', path.join(PROJECT, 'src', 'cli', 'typescript-hook.cjs')];

export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A scratch project root holding a copy of the shipped environments (and nothing else of environments/), for commands that write output. */
export function scratchProject(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'govstack-cli-'));
  for (const name of SHIPPED_ENVIRONMENTS) {
    cpSync(path.join(PROJECT, 'environments', name), path.join(root, 'environments', name), { recursive: true });
  }
  cpSync(path.join(PROJECT, 'environments', 'environment.schema.json'), path.join(root, 'environments', 'environment.schema.json'));
  return root;
}

/** Runs a script of ours the way npm does, from `cwd`, with extra environment variables. */
export function runScript(script: string, args: readonly string[], cwd: string, env: Record<string, string> = {}): CliRun {
  const [node, ...hook] = KIT_NODE;
  const result = spawnSync(node, [...hook, path.join(PROJECT, script), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...env, FORCE_COLOR: '0' },
    // Only a guard against a hung process, never a judgement of speed: a loaded machine may be slow.
    timeout: 600_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function runCli(args: readonly string[], cwd: string): CliRun {
  return runScript('src/cli/main.ts', args, cwd);
}

/** The lines of a command's stderr that are not progress (a long command writes one indented line per step). */
export function besidesProgress(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line !== '' && !line.startsWith('  '));
}
