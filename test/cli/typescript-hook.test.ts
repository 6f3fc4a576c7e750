import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { KIT_NODE } from '../support/cli';

// Type declarations vanish in the JavaScript, so every line below them moves up: a trace that names
// the TypeScript line proves the mapping, one that names the JavaScript line would name another.
const THROWING_MODULE = `interface Unused {
  readonly a: string;
  readonly b: number;
}
type AlsoUnused = Unused;

function failing(): never {
  throw new Error('deliberate');
}

export function caller(value?: AlsoUnused): void {
  void value;
  failing();
}

caller();
`;

function runThrowing(nodeOptions: readonly string[] = []): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'govstack-hook-'));
  const file = path.join(dir, 'throwing.ts');
  writeFileSync(file, THROWING_MODULE);
  const [node, ...hook] = KIT_NODE;
  const result = spawnSync(node, [...nodeOptions, ...hook, file], { encoding: 'utf8' });
  expect(result.status).not.toBe(0);
  return result.stderr.replaceAll(file, 'throwing.ts');
}

describe('running the kit\'s TypeScript through src/cli/typescript-hook.cjs', () => {
  it('names the TypeScript line and column of each of the kit\'s frames in an error\'s trace', () => {
    const stderr = runThrowing();
    expect(stderr).toContain('Error: deliberate');
    expect(stderr).toContain('at failing (throwing.ts:8:9)');
    expect(stderr).toContain('at caller (throwing.ts:13:3)');
  });

  it('keeps Node\'s own source-map support off, which would map every stack cdktf records for a token', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'govstack-hook-'));
    const file = path.join(dir, 'probe.ts');
    writeFileSync(file, 'const enabled: boolean = process.sourceMapsEnabled;\nconsole.log(`source maps: ${enabled}`);\n');
    const [node, ...hook] = KIT_NODE;
    expect(spawnSync(node, [...hook, file], { encoding: 'utf8' }).stdout).toBe('source maps: false\n');
  });

  it('keeps the innermost twelve frames of a stack recorded on a plain object (as cdktf does for every token), and every frame of an Error', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'govstack-hook-'));
    const file = path.join(dir, 'deep.ts');
    writeFileSync(
      file,
      [
        'function record(depth: number, on: object): string {',
        '  if (depth > 0) return record(depth - 1, on);',
        '  Error.stackTraceLimit = Number.MAX_SAFE_INTEGER;',
        '  Error.captureStackTrace(on);',
        '  return (on as { stack: string }).stack;',
        '}',
        'const frames = (stack: string) => stack.split("\\n").filter((line) => line.startsWith("    at ")).length;',
        'console.log(`plain object: ${frames(record(40, {}))}, error: ${frames(record(40, new Error("e")))}`);',
        '',
      ].join('\n'),
    );
    const [node, ...hook] = KIT_NODE;
    expect(spawnSync(node, [...hook, file], { encoding: 'utf8' }).stdout).toMatch(/^plain object: 12, error: (4\d|5\d)\n$/);
  });

  it('leaves the mapping to Node when Node is asked to map traces itself', () => {
    expect(runThrowing(['--enable-source-maps'])).toContain('at failing (throwing.ts:8:9)');
  });

  it('writes stacks the same way inside these specs (test/setup.ts), where a synthesis records thousands', () => {
    const record = (depth: number, on: object): string => {
      if (depth > 0) return record(depth - 1, on);
      const limit = Error.stackTraceLimit;
      Error.stackTraceLimit = Number.MAX_SAFE_INTEGER;
      try {
        Error.captureStackTrace(on);
      } finally {
        Error.stackTraceLimit = limit;
      }
      return (on as { stack: string }).stack;
    };
    const frames = (stack: string) => stack.split('\n').filter((line) => line.startsWith('    at ')).length;
    expect(frames(record(40, {}))).toBe(12);
    expect(frames(record(40, new Error('e')))).toBeGreaterThan(40);
  });
});
