/**
 * `npm run bench`: wall time and peak memory of `npm run synth` for one environment and for all,
 * end to end in fresh processes as a user runs it (TypeScript loading included), after one warm-up
 * run, median of several. Prints the figures the README reports; targets are checked, not timed in tests.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const PROJECT = path.resolve(__dirname, '..', '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const CASES = [
  { label: 'one environment (sandbox)', args: ['synth', '--env', 'sandbox'], targetSeconds: 3 },
  { label: 'all shipped environments', args: ['synth', '--all'], targetSeconds: 8 },
];

interface Sample {
  readonly seconds: number;
  readonly peakMiB: number;
}

function runOnce(args: readonly string[], root: string): Sample {
  const started = process.hrtime.bigint();
  const result = spawnSync(path.join(PROJECT, 'node_modules', '.bin', 'tsx'), [path.join(PROJECT, 'src/cli/main.ts'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, GOVSTACK_REPORT_PEAK_MEMORY: '1' },
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(`synth failed:\n${result.stderr}`);
  const peak = /peak memory: (\d+) KiB/.exec(result.stderr);
  return { seconds, peakMiB: peak ? Number(peak[1]) / 1024 : NaN };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const root = mkdtempSync(path.join(tmpdir(), 'govstack-bench-'));
cpSync(path.join(PROJECT, 'environments'), path.join(root, 'environments'), { recursive: true });
let failed = false;
console.log(`synthesis benchmark: ${RUNS} runs after a warm-up, median (node ${process.version})`);
for (const { label, args, targetSeconds } of CASES) {
  runOnce(args, root);
  const samples = Array.from({ length: RUNS }, () => runOnce(args, root));
  const seconds = median(samples.map((s) => s.seconds));
  const peakMiB = Math.max(...samples.map((s) => s.peakMiB));
  const verdict = seconds <= targetSeconds ? 'within' : 'OVER';
  if (seconds > targetSeconds) failed = true;
  console.log(`${label}: ${seconds.toFixed(2)} s wall, ${peakMiB.toFixed(0)} MiB peak RSS (${verdict} the ${targetSeconds} s target)`);
}
rmSync(root, { recursive: true, force: true });
process.exitCode = failed ? 1 : 0;
