import type { Command } from 'commander';
import type { Environment } from '../../../constructs/environment/schema';
import { recoveryOf, RecoveryPointError } from '../../../constructs/environment/recovery';
import { progress } from '../progress';
import { runCommand, UsageError } from '../run-command';
import { selectEnvironments } from '../select-environments';
import { summaryLine } from './synth';

interface RestoreOptions {
  readonly env?: string;
  readonly from?: string;
  readonly volumesFrom?: string;
}

/** The suffix of a recovery's environment: its own output folder, its own stacks and Terraform state. */
export const RECOVERY_SUFFIX = '-restore';

export function defineRestore(command: Command): void {
  command
    .requiredOption('--env <name>', 'environment folder under environments/')
    .requiredOption('--from <backup-or-time>', 'a Velero backup name (e.g. cluster-daily-20260301020000) or an RFC 3339 point in time (e.g. 2026-03-01T02:00:00Z)')
    .option('--volumes-from <backup>', 'with a point in time: the Velero backup objects and volumes come from (default: the schedule\'s newest)')
    .action((options: RestoreOptions) =>
      runCommand(async () => {
        const root = process.cwd();
        const [env] = selectEnvironments({ env: options.env }, root);
        const recovering = recoveryEnvironment(env, options.from ?? '', options.volumesFrom, new Date());
        // The pipeline (cdktf, cdk8s, the constructs) loads only once the environments are valid: a refused file is answered at once.
        const { buildOutput } = await import('../../pipeline/build-output');
        const [result] = buildOutput([recovering], { root, log: progress });
        console.log(summaryLine(result));
      }),
    );
}

/**
 * The environment as it is recovered: named `<env>-restore`, so its output and its Terraform state
 * never touch the environment's own, and carrying the recovery its constructs build from. Refused,
 * before anything is written, for a point that does not parse and for an environment whose backups
 * do not leave the cluster (they are lost with it).
 */
export function recoveryEnvironment(env: Environment, from: string, volumesFrom: string | undefined, now: Date): Environment {
  if (!env.platform.backups.enabled || !env.platform.backups.target) {
    throw new UsageError(
      `${env.name} keeps no backups off the cluster (platform.backups.target): there is nothing a clean cluster could be recovered from; nothing was written`,
    );
  }
  try {
    return { ...env, name: `${env.name}${RECOVERY_SUFFIX}`, recovery: recoveryOf(from, volumesFrom, now) };
  } catch (error) {
    if (error instanceof RecoveryPointError) throw new UsageError(`${error.message}; nothing was written`);
    throw error;
  }
}
