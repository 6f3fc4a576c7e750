import type { Command } from 'commander';
import { secretRefusals } from '../../pipeline/synthesis-refused';
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
      runCommand(async () => {
        const envs = selectEnvironments(options, process.cwd());
        // The pipeline (cdktf, cdk8s, the constructs) loads only once the environments are valid: a refused file is answered at once.
        const { checkEnvironments } = await import('../../pipeline/check-environments');
        const { formatPolicyReport } = await import('../../policy');
        const checked = checkEnvironments(envs, progress);
        for (const { report, secretFindings } of checked) {
          process.stdout.write(`${formatPolicyReport(report, { verbose: options.verbose })}\n`);
          for (const refusal of secretRefusals(report.environment, secretFindings)) process.stdout.write(`FAIL ${refusal.message}\n`);
        }
        return checked.every(({ report, secretFindings }) => report.ok && secretFindings.length === 0) ? 0 : 1;
      }),
    );
}
