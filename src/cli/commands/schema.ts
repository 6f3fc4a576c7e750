import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { environmentJsonSchemaText } from '../../../constructs/environment/json-schema';
import { runCommand } from '../run-command';

export const JSON_SCHEMA_FILE = path.join('environments', 'environment.schema.json');

export function defineSchema(command: Command): void {
  command
    .action(() =>
      runCommand(() => {
        writeFileSync(path.join(process.cwd(), JSON_SCHEMA_FILE), environmentJsonSchemaText());
        console.log(`wrote ${JSON_SCHEMA_FILE}`);
      }),
    );
}
