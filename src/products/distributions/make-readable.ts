import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

/**
 * Unpacked as root, a distribution must still be readable (and its scripts runnable) by the pod's
 * non-root user, as the image's files are.
 */
export function makeReadable(folder: string): void {
  execFileSync('chmod', ['-R', 'a+rX', folder]);
}

/** Downloaded archives, kept across attempts (their checksums were verified when they were fetched). */
const ARCHIVE = /\.(zip|jar|tgz|tar\.gz|tar\.xz|pom)$/;

/**
 * Runs an installation into `folder` unless a previous one finished (its marker file exists); what an
 * interrupted one unpacked is thrown away and unpacked again, never used half-done.
 */
export async function installOnce(folder: string, install: () => Promise<void>): Promise<void> {
  const marker = path.join(folder, '.installed');
  if (existsSync(marker)) return;
  for (const entry of existsSync(folder) ? readdirSync(folder) : []) {
    if (!ARCHIVE.test(entry)) rmSync(path.join(folder, entry), { recursive: true, force: true });
  }
  await install();
  writeFileSync(marker, 'installed\n');
}
