import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export const PROJECT = path.resolve(__dirname, '..', '..');
const TSX = path.join(PROJECT, 'node_modules', '.bin', 'tsx');

export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A scratch project root holding a copy of the shipped environments, for commands that write output. */
export function scratchProject(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'govstack-cli-'));
  cpSync(path.join(PROJECT, 'environments'), path.join(root, 'environments'), { recursive: true });
  return root;
}

/** Runs a script of ours the way npm does, from `cwd`, with extra environment variables. */
export function runScript(script: string, args: readonly string[], cwd: string, env: Record<string, string> = {}): CliRun {
  const result = spawnSync(TSX, [path.join(PROJECT, script), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...env, FORCE_COLOR: '0' },
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function runCli(args: readonly string[], cwd: string): CliRun {
  return runScript('src/cli/main.ts', args, cwd);
}
