#!/usr/bin/env node
import { Command } from 'commander';
import { KIT_VERSION } from '../version';
import { registerDiff } from './commands/diff';
import { registerNewCountry } from './commands/new-country';
import { registerPins } from './commands/pins';
import { registerReport } from './commands/report';
import { registerCheck } from './commands/check';
import { registerSchema } from './commands/schema';
import { registerProducts } from './commands/products';
import { registerRestore } from './commands/restore';
import { registerSilentValues } from './commands/silent-values';
import { registerSynth } from './commands/synth';

const program = new Command()
  .name('govstack')
  .description('GovStack deployment kit: environments in, reviewable Kubernetes manifests and Terraform JSON out')
  .version(KIT_VERSION)
  .showHelpAfterError()
  .exitOverride((error) => {
    // commander's own usage errors: print-and-exit 1, like every other user error.
    process.exit(error.exitCode === 0 ? 0 : 1);
  });

registerSynth(program);
registerRestore(program);
registerSchema(program);
registerReport(program);
registerNewCountry(program);
registerDiff(program);
registerCheck(program);
registerSilentValues(program);
registerProducts(program);
registerPins(program);

if (process.env.GOVSTACK_REPORT_PEAK_MEMORY) {
  // For `npm run bench`: the child's own peak resident memory, which its parent cannot see.
  process.on('exit', () => process.stderr.write(`peak memory: ${process.resourceUsage().maxRSS} KiB\n`));
}

program.parseAsync(process.argv);
