import { homedir } from 'node:os';
import * as path from 'node:path';

/**
 * Where the proof keeps what it builds (kube-apiserver, etcd, Terraform providers, OpenTofu): the
 * kit's cache outside the repository, one folder per piece and version, so a second run builds
 * nothing. `GOVSTACK_KIT_CACHE` moves it.
 */
export function proofCacheDir(...parts: string[]): string {
  const root = process.env.GOVSTACK_KIT_CACHE || path.join(process.env.XDG_CACHE_HOME || path.join(homedir(), '.cache'), 'govstack-kit');
  return path.join(root, 'proof', ...parts);
}
