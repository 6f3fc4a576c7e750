import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { STAGING_FOLDER, StagedOutput } from '../../src/synth/staged-output';
import { KIT_NODE, PROJECT } from '../support/cli';

/** A project folder whose dist/sandbox/ holds a previous synthesis. */
function projectWithOutput(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'govstack-staged-'));
  mkdirSync(path.join(root, 'dist', 'sandbox'), { recursive: true });
  writeFileSync(path.join(root, 'dist', 'sandbox', 'REVIEW.md'), 'previous\n');
  return root;
}

function synthesiseInto(root: string, review: string): StagedOutput {
  const staged = new StagedOutput(root, path.join(root, 'cdktf.out'));
  writeFileSync(path.join(staged.distDir('sandbox'), 'REVIEW.md'), review);
  mkdirSync(staged.cdktfDir, { recursive: true });
  writeFileSync(path.join(staged.cdktfDir, 'manifest.json'), '{"version": "0.21.0", "stacks": {}}\n');
  return staged;
}

const runFolders = (root: string) => readdirSync(path.join(root, STAGING_FOLDER)).filter((entry) => entry.startsWith('run-'));

async function eventually(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 20) {
    if (waited > 30_000) throw new Error('not within 30 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('staged output', () => {
  it('moves the output a commit replaces aside into its run folder instead of deleting it then', () => {
    const root = projectWithOutput();
    const staged = synthesiseInto(root, 'new\n');
    staged.commit(['sandbox'], [], []);

    expect(readFileSync(path.join(root, 'dist', 'sandbox', 'REVIEW.md'), 'utf8')).toBe('new\n');
    expect(runFolders(root)).toHaveLength(1);
    expect(readFileSync(path.join(staged.stagingRoot, 'replaced', '1', 'REVIEW.md'), 'utf8')).toBe('previous\n');
  });

  it('removes what a run replaced in the background once the run ends, without waiting for the next run', async () => {
    const root = projectWithOutput();
    const first = synthesiseInto(root, 'first\n');
    first.commit(['sandbox'], [], []);
    first.discard();

    await eventually(() => !existsSync(first.stagingRoot));
    expect(runFolders(root)).toEqual([]);
    expect(readFileSync(path.join(root, 'dist', 'sandbox', 'REVIEW.md'), 'utf8')).toBe('first\n');
  });

  it('lets the next run remove, in the background, what an earlier run left (one that was killed)', async () => {
    const root = projectWithOutput();
    const killed = synthesiseInto(root, 'killed\n');

    const next = synthesiseInto(root, 'next\n');
    await eventually(() => !existsSync(killed.stagingRoot));

    expect(runFolders(root)).toEqual([path.basename(next.stagingRoot)]);
    next.discard();
    expect(runFolders(root)).toEqual([]);
    expect(readFileSync(path.join(root, 'dist', 'sandbox', 'REVIEW.md'), 'utf8')).toBe('previous\n');
  });

  it('removes what earlier runs left before it ends where no background removal can be started', () => {
    const root = projectWithOutput();
    const first = synthesiseInto(root, 'first\n');
    first.commit(['sandbox'], [], []);

    // A run whose PATH has neither nice nor rm.
    const [node, ...hook] = KIT_NODE;
    const run = `const { StagedOutput } = require(${JSON.stringify(path.join(PROJECT, 'src/synth/staged-output.ts'))}); new StagedOutput(process.argv[1], process.argv[1] + '/cdktf.out').discard();`;
    const result = spawnSync(node, [...hook, '-e', run, root], { encoding: 'utf8', env: { ...process.env, PATH: '' } });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(runFolders(root)).toEqual([]);
  });
});
