import type { Command } from 'commander';
import { environmentName } from '../../../constructs/environment/environment-name';
import { loadEnvironment } from '../../../constructs/environment/load';
import { currentSnapshot, diffOutputs, formatOutputDiff, previousSnapshot } from '../../review/output-diff';
import { runCommand, UsageError } from '../run-command';
import * as path from 'node:path';

interface DiffOptions {
  readonly env: string;
  readonly against: string;
}

/** Compares `--against` as given: the last synthesis of the same environment. */
const PREVIOUS = 'previous';

/**
 * `npm run diff -- --env A --against B`: what A's output has compared with B's (settings and
 * objects by component and namespace), for reviewing a country's fork against the environment it
 * came from; `--against previous` compares A's sources now with its last synthesis in dist/.
 */
export function defineDiff(command: Command): void {
  command
    .requiredOption('--env <name>', 'the environment to review')
    .requiredOption('--against <name>', `the environment to compare with, or "${PREVIOUS}" for the last synthesis in dist/<env>/`)
    .action((options: DiffOptions) =>
      runCommand(() => {
        const root = process.cwd();
        const dir = path.join(root, 'environments');
        const name = environmentName(options.env);
        const after = currentSnapshot(loadEnvironment(name, dir));
        const before = options.against === PREVIOUS ? previousSnapshot(root, name) : currentSnapshot(loadEnvironment(options.against, dir));
        if (!before) throw new UsageError(`no previous synthesis of ${name} in dist/${name}/manifests: run npm run synth -- --env ${name} first`);
        process.stdout.write(formatOutputDiff(before, after, diffOutputs(before, after)));
      }),
    );
}
