import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';

/**
 * Where the kit keeps what it fetches or builds outside the repository (tool binaries, pulled
 * charts, rendered charts, the proof's toolchain), one folder per kind, keyed by version inside.
 * `GOVSTACK_KIT_CACHE` moves it, e.g. onto a disk with room in an air-gapped build host.
 */
export function kitCacheDir(...parts: string[]): string {
  const root = process.env.GOVSTACK_KIT_CACHE || path.join(process.env.XDG_CACHE_HOME || path.join(homedir(), '.cache'), 'govstack-kit');
  return path.join(root, ...parts);
}

/** A text the kit's cache keeps, or undefined when no run has written it yet. */
export function readCacheFile(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** A JSON value the kit's cache keeps, or undefined when no run wrote it or the file is not JSON (then it is made again). */
export function readCachedJson<T>(file: string): T | undefined {
  const text = readCacheFile(file);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

/** Written under a temporary name and renamed, so that a concurrent run never reads half a file. */
export function writeCacheFile(file: string, content: string | Buffer): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.partial`;
  writeFileSync(partial, content);
  renameSync(partial, file);
}
