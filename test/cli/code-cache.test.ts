import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { KIT_NODE, PROJECT } from '../support/cli';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { codeCacheApplies } = require('../../src/cli/code-cache.cjs') as { codeCacheApplies: (on: { script?: string; env?: NodeJS.ProcessEnv; execArgv?: string[]; mainThread?: boolean }) => boolean };

/** A scratch program of two modules, run as the kit runs its commands, with its own code cache folder. */
function scratchProgram() {
  const dir = mkdtempSync(path.join(tmpdir(), 'govstack-code-cache-'));
  // Beside the program's folder, not in it: a folder added where a require looked makes it look again.
  const cacheDir = `${dir}-cache`;
  const main = path.join(dir, 'main.ts');
  const answer = path.join(dir, 'answer.js');
  writeFileSync(main, "import { answer } from './answer';\nconsole.log(`answer: ${answer()}`);\n");
  const run = () => {
    const [node, ...hook] = KIT_NODE;
    const result = spawnSync(node, [...hook, main], { encoding: 'utf8', env: { ...process.env, GOVSTACK_CODE_CACHE_DIR: cacheDir } });
    expect(result.stderr).toBe('');
    return result.stdout;
  };
  const cacheFiles = () => readdirSync(cacheDir).map((file) => path.join(cacheDir, file));
  return { main, answer, run, cacheFiles };
}

describe('the code cache of the kit\'s commands (src/cli/code-cache.cjs)', () => {
  it('is written after a command first ran, and not again while no module changes', () => {
    const program = scratchProgram();
    writeFileSync(program.answer, 'exports.answer = () => 42;\n');
    expect(program.run()).toBe('answer: 42\n');
    const [cache] = program.cacheFiles();
    const written = statSync(cache).mtimeMs;

    expect(program.run()).toBe('answer: 42\n');
    expect(program.cacheFiles()).toEqual([cache]);
    expect(statSync(cache).mtimeMs).toBe(written);
  });

  it('never runs a module\'s old code: another size or another time compiles it again', () => {
    const program = scratchProgram();
    writeFileSync(program.answer, 'exports.answer = () => 42;\n');
    expect(program.run()).toBe('answer: 42\n');

    writeFileSync(program.answer, 'exports.answer = () => 4242;\n');
    expect(program.run()).toBe('answer: 4242\n');

    // The same length: only the time tells the versions apart.
    writeFileSync(program.answer, 'exports.answer = () => 1234;\n');
    const later = new Date(Date.now() + 60_000);
    utimesSync(program.answer, later, later);
    expect(program.run()).toBe('answer: 1234\n');

    // The same length and, set back by hand, the same modification time: the change time still differs.
    writeFileSync(program.answer, 'exports.answer = () => 5678;\n');
    utimesSync(program.answer, later, later);
    expect(program.run()).toBe('answer: 5678\n');
  });

  it('knows the kit\'s TypeScript by its content, so an edit is seen even at the same size and time', () => {
    const program = scratchProgram();
    const sameTime = new Date('2026-01-01T00:00:00Z');
    writeFileSync(program.answer, 'exports.answer = () => 42;\n');
    utimesSync(program.main, sameTime, sameTime);
    expect(program.run()).toBe('answer: 42\n');

    writeFileSync(program.main, readFileSync(program.main, 'utf8').replace('answer: ', 'ANSWER: '));
    utimesSync(program.main, sameTime, sameTime);
    expect(program.run()).toBe('ANSWER: 42\n');
  });

  it('is kept for the kit\'s own scripts only, and never where Node must compile modules itself', () => {
    const kit = { env: {}, execArgv: [], mainThread: true };
    expect(codeCacheApplies({ ...kit, script: path.join(PROJECT, 'src/cli/main.ts') })).toBe(true);
    expect(codeCacheApplies({ ...kit, script: path.join(tmpdir(), 'probe.ts') })).toBe(false);
    expect(codeCacheApplies({ ...kit, script: path.join(PROJECT, 'node_modules/cdktf/lib/index.js') })).toBe(false);
    expect(codeCacheApplies({ ...kit, script: undefined })).toBe(false);
    expect(codeCacheApplies({ ...kit, script: path.join(tmpdir(), 'probe.ts'), env: { GOVSTACK_CODE_CACHE_DIR: tmpdir() } })).toBe(true);
    expect(codeCacheApplies({ ...kit, script: path.join(PROJECT, 'src/cli/main.ts'), execArgv: ['--enable-source-maps'] })).toBe(false);
    expect(codeCacheApplies({ ...kit, script: path.join(PROJECT, 'src/cli/main.ts'), env: { NODE_OPTIONS: '--inspect-brk' } })).toBe(false);
    expect(codeCacheApplies({ ...kit, script: path.join(PROJECT, 'src/cli/main.ts'), mainThread: false })).toBe(false);
  });
});
