/**
 * The app `cdktf.json` names: `npx cdktf synth` and `npx cdktf deploy <env>-<layer>` run this, into
 * the folder the cdktf CLI chose (CDKTF_OUTDIR). The CLI does not tell the app which stack it will
 * deploy, so every environment is synthesised, each on its own: one broken environment (a draft, a
 * typo) is reported and left out, with its stale stacks, and does not stop the deployment of another.
 */
import * as path from 'node:path';
import { ConfigError } from '../../constructs/environment/config-error';
import { listEnvironments, loadEnvironment } from '../../constructs/environment/load';
import { LAYERS } from '../../charts/kit-chart';
import { forgetStacks } from '../synth/staged-output';
import { SynthesisRefused } from '../pipeline/synthesis-refused';
import { buildOutput } from '../pipeline/build-output';
import { runCommand } from './run-command';

void runCommand(() => {
  const root = process.cwd();
  const outdir = process.env.CDKTF_OUTDIR ? path.resolve(process.env.CDKTF_OUTDIR) : path.join(root, 'cdktf.out');
  const dir = path.join(root, 'environments');
  let synthesized = 0;
  for (const name of listEnvironments(dir)) {
    try {
      buildOutput([loadEnvironment(name, dir)], { root, cdktfOutdir: outdir });
      synthesized += 1;
    } catch (error) {
      if (!(error instanceof ConfigError || error instanceof SynthesisRefused)) throw error;
      forgetStacks(outdir, LAYERS.map((layer) => `${name}-${layer}`));
      process.stderr.write(`warning: environment ${name} is left out, its stacks cannot be deployed until it is fixed:\n${error.message.replace(/^/gm, '  ')}\n`);
    }
  }
  return synthesized > 0 ? 0 : 1;
});
