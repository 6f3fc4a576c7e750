import * as path from 'node:path';
import { listEnvironments, loadEnvironment } from '../../constructs/environment/load';
import type { Environment } from '../../constructs/environment/schema';
import { ConfigError } from '../../constructs/environment/config-error';
import { environmentName } from '../../constructs/environment/environment-name';
import { UsageError } from './run-command';

/** The environment `npm run synth` builds when none is named. */
export const DEFAULT_ENVIRONMENT = 'sandbox';

export interface EnvironmentSelection {
  readonly env?: string;
  readonly all?: boolean;
}

/**
 * Loads the selected environments from `<root>/environments/`, validating all of them before anything is written: one bad file
 * stops the whole run, and every problem of every file is reported at once.
 */
export function selectEnvironments(selection: EnvironmentSelection, root: string): Environment[] {
  if (selection.all && selection.env) throw new UsageError('use either --env NAME or --all, not both');
  const dir = path.join(root, 'environments');
  const names = selection.all ? listEnvironments(dir) : [environmentName(selection.env ?? DEFAULT_ENVIRONMENT)];
  const loaded: Environment[] = [];
  const problems: ConfigError['problems'][number][] = [];
  for (const name of names) {
    try {
      loaded.push(loadEnvironment(name, dir));
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return loaded;
}
