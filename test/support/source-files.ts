import { readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';

/** Every TypeScript source file under `dir` (declaration files left out), by absolute path, for the specs that read the kit's own code. */
export function typeScriptFilesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) return typeScriptFilesUnder(full);
    return entry.endsWith('.ts') && !entry.endsWith('.d.ts') ? [full] : [];
  });
}
