/**
 * The app `cdk8s.yaml` names: `npx cdk8s synth` runs this and gets the default environment's
 * manifests, laid out as in dist/<env>/manifests/, in the folder the cdk8s CLI chose (CDK8S_OUTDIR).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { buildOutput } from '../pipeline/build-output';
import { writeManifests } from '../synth/write-manifests';
import { runCommand } from './run-command';
import { DEFAULT_ENVIRONMENT, selectEnvironments } from './select-environments';

void runCommand(() => {
  const outdir = path.resolve(process.env.CDK8S_OUTDIR ?? path.join(process.cwd(), 'dist', 'cdk8s'));
  const [env] = selectEnvironments({ env: DEFAULT_ENVIRONMENT }, process.cwd());
  // The whole synthesis runs in a scratch folder first, so the policy checks and the secret scan
  // refuse these manifests exactly as they would refuse `npm run synth`.
  const scratch = mkdtempSync(path.join(tmpdir(), 'govstack-cdk8s-'));
  try {
    const [result] = buildOutput([env], { root: scratch });
    writeManifests(env.name, result.components, outdir);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});
