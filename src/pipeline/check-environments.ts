import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Environment } from '../../constructs/environment/schema';
import type { PolicyReport } from '../policy';
import type { SecretFinding } from '../validation/secret-scan';
import { buildOutput } from './build-output';

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
