import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PROJECT, runCli } from '../support/cli';
import { readTree } from '../support/shipped';

/**
 * Every careless or hostile input of issue 12, run as a user runs it (the CLI in a subprocess, from
 * a project root), each giving exactly one message, exit 1, no stack trace, and nothing written or
 * deleted anywhere: not in the project, not in its output folders, not beside it.
 */

/** A project with previous output, beside a folder that is not the kit's (`outside/x`, with an unrelated file). */
function world(): { top: string; project: string } {
  const top = mkdtempSync(path.join(tmpdir(), 'govstack-hostile-'));
  const project = path.join(top, 'work', 'project');
  mkdirSync(project, { recursive: true });
  cpSync(path.join(PROJECT, 'environments'), path.join(project, 'environments'), { recursive: true });
  for (const file of ['dist/sandbox/REVIEW.md', 'cdktf.out/stacks/sandbox-platform/cdk.tf.json', 'cdktf.out/stacks/sandbox-platform/.terraform.lock.hcl']) {
    mkdirSync(path.dirname(path.join(project, file)), { recursive: true });
    writeFileSync(path.join(project, file), 'previous output\n');
  }
  mkdirSync(path.join(top, 'work', 'outside', 'x'), { recursive: true });
  cpSync(path.join(PROJECT, 'environments', 'sandbox', 'environment.yaml'), path.join(top, 'work', 'outside', 'x', 'environment.yaml'));
  writeFileSync(path.join(top, 'work', 'outside', 'x', 'unrelated.txt'), 'not the kit\'s\n');
  return { top, project };
}

const NAME_EXPECTED =
  'expected the name of a folder directly under environments/: lowercase letters, digits and "-" (at most 40 characters, starting and ending with a letter or digit), e.g. "veloria-production"; nothing was written.\n';
const notAName = (input: string) => `error: ${JSON.stringify(input)} is not an environment name; ${NAME_EXPECTED}`;

interface Case {
  /** Arguments of the command. */
  readonly args: readonly string[];
  /** Changes the project before the run (e.g. writes a hostile environment file). */
  readonly setup?: (project: string) => void;
  /** The whole of stderr. */
  readonly stderr: string;
}

const cases: Record<string, Case> = {
  'an --env reaching outside the repository': { args: ['synth', '--env', '../../outside/x'], stderr: notAName('../../outside/x') },
  'an --env pointing back into environments/ (would delete the environment file)': {
    args: ['synth', '--env', '../environments/sandbox'],
    stderr: notAName('../environments/sandbox'),
  },
  'an --env with a space': { args: ['synth', '--env', 'veloria production'], stderr: notAName('veloria production') },
  'an --env of a dot segment': { args: ['synth', '--env', '..'], stderr: notAName('..') },
  'an --env that is an absolute path': { args: ['synth', '--env', '/tmp'], stderr: notAName('/tmp') },
  'an --env in capitals': { args: ['synth', '--env', 'Sandbox'], stderr: notAName('Sandbox') },
  'check with an --env reaching outside': { args: ['check', '--env', '../../outside/x'], stderr: notAName('../../outside/x') },
  'report with an --env reaching outside': { args: ['report', '--env', '../../outside/x'], stderr: notAName('../../outside/x') },
  'diff with an --env reaching outside': { args: ['diff', '--env', '../../outside/x', '--against', 'previous'], stderr: notAName('../../outside/x') },
  'diff against an environment reaching outside': { args: ['diff', '--env', 'sandbox', '--against', '../../outside/x'], stderr: notAName('../../outside/x') },
  'new-country with an --env-name reaching outside': {
    args: ['new-country', '--code', 'XA', '--name', 'Atlantis', '--profile', 'onprem', '--stage', 'production', '--env-name', '../../outside/x'],
    stderr: 'error: --env-name "../../outside/x" must be lowercase letters, digits and "-", at most 40 characters, starting and ending with a letter or digit; nothing was written\n',
  },
};

describe('careless and hostile input: one clear message, exit 1, no stack trace, nothing written or deleted', () => {
  it.each(Object.entries(cases))('%s', (_name, { args, setup, stderr }) => {
    const { top, project } = world();
    setup?.(project);
    const before = readTree(top);

    const run = runCli(args, project);

    expect(run.stderr).toBe(stderr);
    expect(run.status).toBe(1);
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(run.stdout).toBe('');
    expect(readTree(top)).toEqual(before);
  });
});

describe('a trailing slash, as shell completion writes it', () => {
  it('names the same environment, so no second set of stacks (and Terraform state) appears', () => {
    const { project } = world();
    const run = runCli(['synth', '--env', 'sandbox/'], project);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^sandbox: 3 stacks \(sandbox-platform, sandbox-information-mediator, sandbox-building-blocks\)/m);
  });
});
