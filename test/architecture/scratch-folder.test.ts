import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { makeScratchFolder, removeScratchFolder } from '../support/scratch-folder';

describe('npm test leaves nothing in the system\'s temporary folder (test/support/scratch-folder.ts)', () => {
  it('gives every spec, and every process a spec starts, a temporary folder inside the run\'s scratch folder', () => {
    expect(path.basename(tmpdir())).toMatch(/^govstack-test-/);
  });

  it('removes the scratch folder with all in it at the end, and gives the previous folder back', () => {
    const system = mkdtempSync(path.join(tmpdir(), 'system-'));
    const env: NodeJS.ProcessEnv = { TMPDIR: system };
    makeScratchFolder(env);
    const scratch = env.TMPDIR!;
    expect(path.dirname(scratch)).toBe(system);
    writeFileSync(path.join(mkdtempSync(path.join(scratch, 'govstack-cli-')), 'left.txt'), 'left behind\n');

    removeScratchFolder(env);
    expect(existsSync(scratch)).toBe(false);
    expect(env).toEqual({ TMPDIR: system });
  });
});
