/**
 * The app `cdktf.json` names: `npx cdktf synth` and `npx cdktf deploy <env>-<layer>` run this.
 * It synthesises every environment, so any stack can be deployed by name, into the folder the
 * cdktf CLI chose (CDKTF_OUTDIR).
 */
import * as path from 'node:path';
import { synthesize } from '../synth/synthesize';
import { runCommand } from './run-command';
import { selectEnvironments } from './select-environments';

void runCommand(() => {
  const outdir = process.env.CDKTF_OUTDIR ? path.resolve(process.env.CDKTF_OUTDIR) : undefined;
  synthesize(selectEnvironments({ all: true }, process.cwd()), { root: process.cwd(), cdktfOutdir: outdir });
});
