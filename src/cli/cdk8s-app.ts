/**
 * The app `cdk8s.yaml` names: `npx cdk8s synth` runs this and gets the default environment's
 * manifests, laid out as in dist/<env>/manifests/, in the folder the cdk8s CLI chose (CDK8S_OUTDIR).
 */
import * as path from 'node:path';
import { assembleCountry } from '../../stacks/country';
import { renderComponents } from '../synth/render';
import { writeManifests } from '../synth/write-manifests';
import { runCommand } from './run-command';
import { DEFAULT_ENVIRONMENT, selectEnvironments } from './select-environments';

void runCommand(() => {
  const outdir = path.resolve(process.env.CDK8S_OUTDIR ?? path.join(process.cwd(), 'dist', 'cdk8s'));
  const [env] = selectEnvironments({ env: DEFAULT_ENVIRONMENT }, process.cwd());
  writeManifests(env.name, renderComponents(assembleCountry(env)), outdir);
});
