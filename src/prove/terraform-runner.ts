import { spawn } from 'node:child_process';
import type { Terraform } from './toolchain';

export interface TerraformResult {
  readonly code: number;
  readonly output: string;
  readonly seconds: number;
}

/**
 * Runs terraform (or tofu) in a stack folder, with the proof's CLI config (filesystem mirror only),
 * kubeconfig and Helm folders in the proof's temporary folder, and no prompts or update checks.
 */
export function runTerraform(tool: Terraform, args: readonly string[], cwd: string, env: Record<string, string>): Promise<TerraformResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(tool.binary, [...args], {
      cwd,
      env: { ...process.env, ...env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', TF_INPUT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', (error) => resolve({ code: 1, output: `${output}\n${error.message}`, seconds: seconds(started) }));
    child.on('exit', (code) => resolve({ code: code ?? 1, output, seconds: seconds(started) }));
  });
}

function seconds(started: number): number {
  return Math.round((Date.now() - started) / 100) / 10;
}

/** The lines of Terraform's output that say what went wrong (its `Error:` blocks), shortened. */
export function terraformErrors(output: string, max = 4000): string {
  const start = output.indexOf('Error:');
  const text = (start >= 0 ? output.slice(start) : output.split('\n').slice(-30).join('\n')).trim();
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
