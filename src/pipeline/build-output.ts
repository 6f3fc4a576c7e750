import * as path from 'node:path';
import { LAYERS } from '../../charts/kit-chart';
import type { Environment } from '../../constructs/environment/schema';
import { evaluatePolicies, policyInputOf, type PolicyReport } from '../policy';
import { writeReviewBundles } from '../review/write-bundle';
import { StagedOutput } from '../synth/staged-output';
import { acquireSynthesisLock, type LockOptions } from '../synth/synthesis-lock';
import { synthesizeEnvironments, type EnvironmentSynthesis } from '../synth/synthesize';
import { chartSourceFromSetting, type ChartSource } from '../upstream/chart-source';
import type { SecretFinding } from '../validation/secret-scan';
import { policyRefusals, secretFindings, secretRefusals, SynthesisRefused } from './synthesis-refused';

/** One environment's output: its synthesis, the policy suite's report on it, and what the secret scan found in its files. */
export interface EnvironmentOutput extends EnvironmentSynthesis {
  readonly policy: PolicyReport;
  /** Always empty when the build refuses findings (it throws instead). */
  readonly secretFindings: readonly SecretFinding[];
}

export interface BuildOptions {
  /** Project root; `dist/` and `cdktf.out/` are written under it. */
  readonly root: string;
  /**
   * Progress lines, one per step.
   * @default none
   */
  readonly log?: (line: string) => void;
  /**
   * Where cdktf output goes.
   * @default `<root>/cdktf.out`
   */
  readonly cdktfOutdir?: string;
  /**
   * Where upstream charts are taken from to render them.
   * @default the `GOVSTACK_CHART_SOURCE` setting (each chart's own repository when unset)
   */
  readonly chartSource?: ChartSource;
  /**
   * Refuse the output (throw SynthesisRefused; nothing is moved into place) when a policy check fails
   * without a declared exception or the secret scan finds anything. Only `check`, which reports both
   * itself from a scratch folder, turns this off.
   * @default true
   */
  readonly refuseFindings?: boolean;
  /**
   * How long to wait for another synthesis in the same folder (see synthesis-lock.ts).
   * @default the lock's own defaults
   */
  readonly lock?: LockOptions;
}

/**
 * Builds environments into `dist/<env>/` and `cdktf.out/`, all or nothing, in three steps that
 * know nothing of each other: synthesis writes the objects and Terraform JSON, the policy suite
 * judges them once, and the review bundle shows both. Output is staged and moved into place only
 * when every environment has succeeded and nothing is refused.
 */
export function buildOutput(envs: readonly Environment[], options: BuildOptions): EnvironmentOutput[] {
  const log = options.log ?? (() => undefined);
  const release = acquireSynthesisLock(options.root, {
    onWait: (holder) => process.stderr.write(`waiting for another synthesis in this folder (pid ${holder}) to finish…\n`),
    ...options.lock,
  });
  let staged: StagedOutput | undefined;
  try {
    const cdktfOutdir = options.cdktfOutdir ?? path.join(options.root, 'cdktf.out');
    const staging = new StagedOutput(options.root, cdktfOutdir);
    staged = staging;
    const syntheses = synthesizeEnvironments(envs, staging, { log, chartSource: options.chartSource ?? chartSourceFromSetting() });

    log('evaluating the policy suite');
    const judged = syntheses.map((synthesis) => ({ ...synthesis, policy: evaluatePolicies(policyInputOf(synthesis)) }));

    log('writing review bundles');
    // Staged with everything else, and compared with dist/<env>/ before that is replaced.
    writeReviewBundles(judged.map((built) => ({ synthesis: built, policy: built.policy, outDir: staging.distDir(built.env.name), previousDir: path.join(options.root, 'dist', built.env.name) })));

    log('scanning the output for secret values');
    const cdktfShown = path.relative(options.root, cdktfOutdir) || '.';
    const outputs: EnvironmentOutput[] = judged.map((built) => ({
      ...built,
      secretFindings: secretFindings(
        new Map([
          [staging.distDir(built.env.name), path.join('dist', built.env.name)],
          ...built.stacks.map((stack): [string, string] => [path.join(staging.cdktfDir, 'stacks', stack), path.join(cdktfShown, 'stacks', stack)]),
        ]),
      ),
    }));
    if (options.refuseFindings ?? true) {
      const refusals = [
        ...outputs.flatMap((built) => policyRefusals(built.policy)),
        ...outputs.flatMap((built) => secretRefusals(built.env.name, built.secretFindings)),
      ];
      if (refusals.length > 0) throw new SynthesisRefused(refusals);
    }
    staging.commit(
      outputs.map((built) => built.env.name),
      outputs.flatMap((built) => built.stacks),
      envs.flatMap((env) => LAYERS.map((layer) => `${env.name}-${layer}`)),
    );
    return outputs;
  } finally {
    staged?.discard();
    release();
  }
}
