import { readFileSync } from 'node:fs';
import * as path from 'node:path';

/** The text of a script shipped with the Information Mediator (`scripts/`), to put in a ConfigMap. */
export function script(file: string): string {
  return readFileSync(path.join(__dirname, 'scripts', file), 'utf8');
}
