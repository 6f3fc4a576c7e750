/**
 * `npm run bench`: how long the kit's commands take, end to end in fresh processes as `npm run`
 * starts them (TypeScript loading included, npm's own start not), against a floor measured in the
 * same run: a Node process that only loads cdktf, cdk8s and cdk8s-plus-28. On a shared or busy
 * machine absolute times move; the ratio to the floor measured beside them moves much less.
 * One warm-up round, then rounds in which every case runs once, interleaved; medians are reported.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const PROJECT = path.resolve(__dirname, '..', '..');
const ROUNDS = Number(process.env.BENCH_RUNS ?? 5);
const HOOK = path.join(PROJECT, 'src', 'cli', 'typescript-hook.cjs');
const MAIN = path.join(PROJECT, 'src', 'cli', 'main.ts');

interface Case {
  readonly label: string;
  readonly args: readonly string[];
  /**
   * Where it runs.
   * @default a scratch project holding a copy of environments/
   */
  readonly cwd?: string;
  /** At most this many times the floor. */
  readonly floorTimes?: number;
  /** At most this many seconds. */
  readonly seconds?: number;
}

const FLOOR: Case = { label: 'floor: node loading cdktf, cdk8s, cdk8s-plus-28', args: ['-e', "require('cdktf'); require('cdk8s'); require('cdk8s-plus-28')"], cwd: PROJECT };
const CASES: readonly Case[] = [
  { label: 'govstack --help', args: ['--require', HOOK, MAIN, '--help'], seconds: 0.5 },
  { label: 'synth, one environment (sandbox)', args: ['--require', HOOK, MAIN, 'synth', '--env', 'sandbox'], floorTimes: 3 },
  { label: 'synth, all shipped environments', args: ['--require', HOOK, MAIN, 'synth', '--all'], floorTimes: 6 },
];

interface Sample {
  readonly seconds: number;
  readonly peakMiB: number;
}

function runOnce({ label, args, cwd }: Case, root: string): Sample {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { cwd: cwd ?? root, encoding: 'utf8', env: { ...process.env, GOVSTACK_REPORT_PEAK_MEMORY: '1' } });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(`${label} failed:\n${result.stderr}`);
  const peak = /peak memory: (\d+) KiB/.exec(result.stderr);
  return { seconds, peakMiB: peak ? Number(peak[1]) / 1024 : NaN };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const root = mkdtempSync(path.join(tmpdir(), 'govstack-bench-'));
cpSync(path.join(PROJECT, 'environments'), path.join(root, 'environments'), { recursive: true });
const all = [FLOOR, ...CASES];
const samples = new Map<Case, Sample[]>(all.map((c) => [c, []]));
try {
  for (const c of all) runOnce(c, root);
  for (let round = 0; round < ROUNDS; round += 1) for (const c of all) samples.get(c)!.push(runOnce(c, root));
} finally {
  rmSync(root, { recursive: true, force: true });
}

const floor = median(samples.get(FLOOR)!.map((s) => s.seconds));
let failed = false;
console.log(`benchmark: ${ROUNDS} interleaved rounds after a warm-up, medians (node ${process.version})`);
console.log(`${FLOOR.label}: ${floor.toFixed(2)} s`);
for (const c of CASES) {
  const seconds = median(samples.get(c)!.map((s) => s.seconds));
  const ratio = seconds / floor;
  const peakMiB = Math.max(...samples.get(c)!.map((s) => s.peakMiB));
  const within = c.floorTimes !== undefined ? ratio <= c.floorTimes : seconds <= (c.seconds ?? Infinity);
  const target = c.floorTimes !== undefined ? `${c.floorTimes}x the floor` : `${c.seconds} s`;
  if (!within) failed = true;
  const memory = Number.isNaN(peakMiB) ? '' : `, ${peakMiB.toFixed(0)} MiB peak RSS`;
  console.log(`${c.label}: ${seconds.toFixed(2)} s, ${ratio.toFixed(1)}x the floor${memory} (${within ? 'within' : 'OVER'} the target of ${target})`);
}
process.exitCode = failed ? 1 : 0;
