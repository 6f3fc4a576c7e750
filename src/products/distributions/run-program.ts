import { spawn } from 'node:child_process';
import { HarnessError } from '../harness-error';

/**
 * Runs a program an installation needs (Maven, npm, tar…) with its output kept, not shown; a program
 * that is missing or fails is a HarnessError naming it with the last lines it printed, so the run
 * ends in a sentence the reader can act on (a registry out of reach, a package to install).
 * Resolves to what it wrote to standard output.
 */
export function runProgram(program: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; missing?: string } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { env: options.env ?? process.env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let stdout = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-8000);
    };
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      keep(chunk);
    });
    child.stderr.on('data', keep);
    child.on('error', (error) => reject(new HarnessError((error as NodeJS.ErrnoException).code === 'ENOENT' && options.missing ? options.missing : `${program}: ${error.message}`)));
    child.on('exit', (code) => {
      if (code === 0) resolve(stdout);
      else reject(new HarnessError(`${program} ${args.join(' ')} exited ${code}:\n${output.trimEnd().split('\n').slice(-25).join('\n')}`));
    });
  });
}
