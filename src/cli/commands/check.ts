import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Command } from 'commander';
import type { Environment } from '../../../constructs/environment/schema';
import { formatPolicyReport, type PolicyReport } from '../../policy';
import { buildOutput } from '../../pipeline/build-output';
import { secretRefusals } from '../../pipeline/synthesis-refused';
import type { SecretFinding } from '../../validation/secret-scan';
import { progress } from '../progress';
import { runCommand } from '../run-command';
import { selectEnvironments, type EnvironmentSelection } from '../select-environments';

interface CheckOptions extends EnvironmentSelection {
  readonly verbose?: boolean;
}

export function defineCheck(command: Command): void {
  command
    .option('--env <name>', 'environment folder under environments/ (default: sandbox)')
    .option('--all', 'every environment under environments/')
    .option('--verbose', 'list every passing object instead of counting them')
    .action((options: CheckOptions) =>
      runCommand(() => {
        const envs = selectEnvironments(options, process.cwd());
        const checked = checkEnvironments(envs, progress);
        for (const { report, secretFindings } of checked) {
          process.stdout.write(`${formatPolicyReport(report, { verbose: options.verbose })}\n`);
          for (const refusal of secretRefusals(report.environment, secretFindings)) process.stdout.write(`FAIL ${refusal.message}\n`);
        }
        return checked.every(({ report, secretFindings }) => report.ok && secretFindings.length === 0) ? 0 : 1;
      }),
    );
}

/**
 * Builds into a scratch folder (the checks judge fresh output, and `dist/` is left as it was) and
 * returns what the build found in every environment: the policy suite's report (evaluated once,
 * by the build) and the secret scan over all of its output.
 */
export function checkEnvironments(envs: readonly Environment[], log?: (line: string) => void): { report: PolicyReport; secretFindings: readonly SecretFinding[] }[] {
  const root = mkdtempSync(path.join(tmpdir(), 'govstack-check-'));
  try {
    return buildOutput(envs, { root, refuseFindings: false, log }).map((output) => ({ report: output.policy, secretFindings: output.secretFindings }));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
