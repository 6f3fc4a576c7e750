import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/**
 * One scratch folder per `npm test`, removed when the run ends: every temporary folder a spec, a
 * command it starts, cdktf or Python makes goes under it (they all ask the system's temporary
 * folder, which TMPDIR names), so a run leaves nothing behind in /tmp. Jest's workers and the
 * processes the specs start inherit the setting.
 */
const PREVIOUS = 'GOVSTACK_TEST_PREVIOUS_TMPDIR';

export function makeScratchFolder(env: NodeJS.ProcessEnv = process.env): void {
  const folder = mkdtempSync(path.join(env.TMPDIR || tmpdir(), 'govstack-test-'));
  env[PREVIOUS] = env.TMPDIR ?? '';
  env.TMPDIR = folder;
}

export function removeScratchFolder(env: NodeJS.ProcessEnv = process.env): void {
  const folder = env.TMPDIR;
  const previous = env[PREVIOUS];
  if (previous) env.TMPDIR = previous;
  else delete env.TMPDIR;
  delete env[PREVIOUS];
  if (folder && path.basename(folder).startsWith('govstack-test-')) rmSync(folder, { recursive: true, force: true });
}
