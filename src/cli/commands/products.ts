import type { Command } from 'commander';
import { runProducts } from '../../products/harness';
import { stopEverything } from '../../products/start-product';
import { runCommand } from '../run-command';
import { selectEnvironments } from '../select-environments';

/**
 * `npm run products [-- --env NAME] [--product NAME]`: starts each building block's real product
 * under its synthesised pod's configuration and proves it with the pod's probes and a smoke step.
 */
export function defineProducts(command: Command): void {
  command
    .option('--env <name>', 'environment folder under environments/ (default: sandbox)')
    .option('--product <name>', 'only this catalogue product (e.g. keycloak)')
    .option('--keep', 'keep each run\'s scratch folder (volumes, logs) for inspection')
    .action((options: { env?: string; product?: string; keep?: boolean }) =>
      runCommand(async () => {
        const [env] = selectEnvironments({ env: options.env }, process.cwd());
        for (const signal of ['SIGINT', 'SIGTERM'] as const) {
          process.once(signal, () => {
            console.error(`${signal}: stopping the products and databases the harness started`);
            void stopEverything().finally(() => process.exit(130));
          });
        }
        const result = await runProducts(env, { product: options.product, log: (line) => console.log(`  ${line}`), keepScratch: options.keep });
        for (const run of result.runs) {
          const title = `${run.workload.buildingBlock}/${run.workload.product} ${run.workload.workload} (${run.container})`;
          if (run.passed) {
            console.log(`passed: ${title}`);
            for (const step of run.steps) console.log(`    ${step}`);
            for (const difference of run.differences) console.log(`    differs from the image: ${difference}`);
          } else {
            console.log(`FAILED: ${title}`);
            for (const step of run.steps) console.log(`    ${step}`);
            console.log(run.failure?.split('\n').map((line) => `    ${line}`).join('\n'));
          }
        }
        for (const skipped of result.notStarted) console.log(`not started: ${skipped.workload.buildingBlock}/${skipped.workload.product} ${skipped.workload.workload}: ${skipped.reason}`);
        const passed = result.runs.filter((r) => r.passed).length;
        const failed = result.runs.length - passed;
        console.log(`${env.name}: products: ${passed} started, ${failed} failed, ${result.notStarted.length} not startable here`);
        return failed === 0 ? 0 : 1;
      }),
    );
}
