import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { ENVIRONMENT_FILE, parseEnvironment } from '../../../constructs/environment/load';
import { FORK_PROFILES, FORK_STAGES, NewCountryError, newCountryEnvironment, type NewCountryRequest } from '../../review/new-country';
import { runCommand, UsageError } from '../run-command';

/** `npm run new-country`: the environment file of a new country, valid on its first synthesis. */
export function defineNewCountry(command: Command): void {
  command
    .requiredOption('--code <XX>', 'ISO 3166-1 alpha-2 country code (XA-XZ for a fictional country)')
    .requiredOption('--name <name>', 'the country\'s name as reviewers should read it')
    .requiredOption('--profile <profile>', FORK_PROFILES.join(' or '))
    .requiredOption('--stage <stage>', FORK_STAGES.join(' or '))
    .option('--env-name <name>', 'environment folder name (default: from the country name and stage, e.g. atlantis-production)')
    .action((options: NewCountryRequest) =>
      runCommand(() => {
        let country;
        try {
          country = newCountryEnvironment(options);
        } catch (error) {
          if (error instanceof NewCountryError) throw new UsageError(`${error.message}; nothing was written`);
          throw error;
        }
        const relative = path.join('environments', country.envName, ENVIRONMENT_FILE);
        const folder = path.join(process.cwd(), 'environments', country.envName);
        if (existsSync(folder)) {
          throw new UsageError(`environments/${country.envName}/ already exists: refusing to overwrite it; choose another --env-name or remove the folder; nothing was written`);
        }
        // The template must always validate; if it does not, that is a bug of the kit, reported before writing.
        parseEnvironment(country.text, relative, country.envName, { allowPlaceholders: true });
        mkdirSync(folder, { recursive: true });
        writeFileSync(path.join(process.cwd(), relative), country.text);
        console.log(`wrote ${relative} (${country.stage}, ${country.profile} profile)`);
        console.log('next:');
        console.log('  1. replace the values marked REPLACE (placeholders: .example domains, 192.0.2.x addresses) and remove the marks;');
        console.log('     until then synthesis refuses them, naming each');
        console.log(`  2. npm run synth -- --env ${country.envName}`);
        console.log(`  3. read dist/${country.envName}/REVIEW.md (or review.html) and dist/${country.envName}/environment.resolved.yaml`);
      }),
    );
}
