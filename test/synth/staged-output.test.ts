import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { STAGING_FOLDER, StagedOutput } from '../../src/synth/staged-output';

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
    staged.discard();

    expect(readFileSync(path.join(root, 'dist', 'sandbox', 'REVIEW.md'), 'utf8')).toBe('new\n');
    expect(runFolders(root)).toHaveLength(1);
    expect(readFileSync(path.join(staged.stagingRoot, 'replaced', '1', 'REVIEW.md'), 'utf8')).toBe('previous\n');
  });

  it('lets the next run remove what earlier runs left, in the background', async () => {
    const root = projectWithOutput();
    const first = synthesiseInto(root, 'first\n');
    first.commit(['sandbox'], [], []);
    first.discard();

    const second = synthesiseInto(root, 'second\n');
    await eventually(() => !existsSync(first.stagingRoot));

    expect(runFolders(root)).toEqual([path.basename(second.stagingRoot)]);
    second.discard();
    expect(runFolders(root)).toEqual([]);
    expect(readFileSync(path.join(root, 'dist', 'sandbox', 'REVIEW.md'), 'utf8')).toBe('first\n');
  });
});
