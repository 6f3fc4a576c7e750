#!/usr/bin/env node
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Command } from 'commander';
import { ConfigError } from '../../constructs/environment/config-error';
import { listEnvironments, loadEnvironment } from '../../constructs/environment/load';
import type { Environment } from '../../constructs/environment/schema';
import { buildOutput } from '../pipeline/build-output';
import { ChartServer } from './chart-server';
import { ProofError } from './errors';
import { stopEverythingNow } from './processes';
import { proveEnvironment } from './prove-environment';
import { PROOF_STAGES, type ProofReport } from './proof-report';
import { prepareToolchain, requiredProviders, requireGo, type RequiredProvider, type Toolchain } from './toolchain';
import { chartSourceFromSetting, ChartSourceError } from '../upstream/chart-source';
import { writeProof } from './write-proof';

/**
 * `npm run prove [-- --env NAME]`: each environment applied to a real kube-apiserver with the real
 * Terraform providers (see README "Proof against real engines"). Exit 0 only when every stage of
 * every environment passed.
 */
interface Options {
  readonly env?: string;
  readonly toolchainOnly?: boolean;
}

const started = Date.now();
const log = (line: string) => console.log(`[prove ${elapsed()}] ${line}`);

function elapsed(): string {
  const s = Math.round((Date.now() - started) / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** GOVSTACK_PROVE_DEADLINE (epoch seconds): no stage starts after it; CI sets it to stay within its limit. */
function deadline(): number | undefined {
  const value = process.env.GOVSTACK_PROVE_DEADLINE;
  if (!value) return undefined;
  const seconds = Number(value);
  if (!Number.isFinite(seconds)) throw new ProofError(`GOVSTACK_PROVE_DEADLINE=${value}: epoch seconds expected`);
  return seconds * 1000;
}

async function main(options: Options): Promise<number> {
  const root = process.cwd();
  const goVersion = requireGo();
  log(`${goVersion}`);
  const environmentsDir = path.join(root, 'environments');
  const names = options.env ? [options.env] : listEnvironments(environmentsDir);
  const envs: Environment[] = names.map((name) => loadEnvironment(name, environmentsDir));

  let built: Toolchain | undefined;
  const toolchainFor = async (required: readonly RequiredProvider[]) => {
    const limit = deadline();
    if (limit && Date.now() > limit) throw new ProofError('past the time limit (GOVSTACK_PROVE_DEADLINE): the toolchain is not built now');
    if (!built || required.some((r) => !built!.providers.some((p) => p.name === r.name && p.version === r.version))) {
      built = await prepareToolchain(required, log);
      log(`toolchain: kube-apiserver ${built.kubernetesVersion}, ${built.terraform.kind} ${built.terraform.version}, providers ${built.providers.map((p) => `${p.name} ${p.version}${p.exact ? '' : ' (substitute build)'}`).join(', ')}`);
    }
    return built;
  };

  if (options.toolchainOnly) {
    // The providers the stacks require, read from one synthesis of the first environment.
    const scratch = mkdtempSync(path.join(tmpdir(), 'govstack-prove-providers-'));
    try {
      const [result] = buildOutput([envs[0]], { root: scratch });
      const stacks = result.stacks.map((stack) => require(path.join(scratch, 'cdktf.out', 'stacks', stack, 'cdk.tf.json')) as Record<string, unknown>);
      await toolchainFor(requiredProviders(stacks));
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
    return 0;
  }

  // A mirror folder is served on loopback and becomes the environment's chart repository, as a
  // data centre's chart mirror would; a mirror URL is used as it is; without a setting, each chart's
  // own repository (that needs their network).
  const chartSource = chartSourceFromSetting();
  const charts = chartSource.kind === 'folder' ? await ChartServer.start(chartSource.folder) : undefined;
  const chartRepository = charts?.url ?? (chartSource.kind === 'repository' ? chartSource.url : undefined);
  if (charts && chartSource.kind === 'folder') log(`chart mirror ${chartSource.folder} served at ${charts.url}`);
  const reports: ProofReport[] = [];
  try {
    for (const env of envs) {
      const report = await proveEnvironment(env, { toolchainFor, chartRepository, chartSource, deadline: deadline(), log });
      const written = writeProof(path.join(root, 'dist', env.name), report);
      log(`${env.name}: ${report.ok ? 'proven' : 'NOT proven'}; wrote ${path.relative(root, written.proofFile)}${written.reviewUpdated ? ' and the REVIEW.md section' : ' (no dist/' + env.name + '/REVIEW.md to add the section to: run npm run synth first)'}`);
      reports.push(report);
    }
  } finally {
    await charts?.stop();
  }
  for (const report of reports) {
    for (const stage of PROOF_STAGES) {
      const result = report.stages.find((s) => s.stage === stage);
      console.log(`${report.environment} ${stage}: ${result?.status ?? 'skipped'}${result ? ` (${result.summary})` : ''}`);
    }
  }
  return reports.every((r) => r.ok) ? 0 : 1;
}

new Command()
  .name('prove')
  .description('apply each environment to a real kube-apiserver (server-side dry-run, terraform apply, second plan, disabled-block plan)')
  .option('--env <name>', 'one environment folder under environments/ (default: every environment)')
  .option('--toolchain-only', 'only build (or find cached) kube-apiserver, etcd, the providers and, without terraform, OpenTofu')
  .action(async (options: Options) => {
    try {
      process.exitCode = await main(options);
    } catch (error) {
      if (error instanceof ProofError || error instanceof ConfigError || error instanceof ChartSourceError) {
        process.stderr.write(`error: ${error.message}\n`);
      } else {
        process.stderr.write(`internal error (please report it):\n${error instanceof Error ? error.stack : String(error)}\n`);
      }
      process.exitCode = 1;
    } finally {
      stopEverythingNow();
    }
  })
  .parseAsync(process.argv);
