import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import * as path from 'node:path';

/** Where the lock lives: beside the staging folders, in the project root it guards. */
export const LOCK_FILE = path.join('.synth-staging', 'lock');

/** Another synthesis holds the folder and did not finish in time; the CLI prints this and exits 1. */
export class SynthesisLocked extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SynthesisLocked';
  }
}

export interface LockOptions {
  /**
   * How long to wait for another synthesis in the same folder before refusing.
   * @default 600000 (ten minutes: a synthesis of every environment takes seconds)
   */
  readonly waitMs?: number;
  /** Told once when the lock is held by another process and this one starts waiting. */
  readonly onWait?: (holder: number) => void;
}

/**
 * Takes the folder's synthesis lock: two syntheses in one project would replace `dist/` and
 * `cdktf.out/` under each other's feet. The lock is a file created exclusively, holding the pid of
 * its owner; a lock whose owner no longer runs (it was killed) is taken over. Returns the release.
 */
export function acquireSynthesisLock(root: string, options: LockOptions = {}): () => void {
  const file = path.join(root, LOCK_FILE);
  mkdirSync(path.dirname(file), { recursive: true });
  const deadline = Date.now() + (options.waitMs ?? 600_000);
  let toldHolder: number | undefined;
  for (;;) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = lockHolder(file);
    if (holder === undefined || !running(holder)) {
      // The owner is gone (or had not yet written its pid, which takes microseconds: look again first).
      sleep(50);
      if (lockHolder(file) === holder && (holder === undefined || !running(holder))) rmSync(file, { force: true });
      continue;
    }
    if (Date.now() >= deadline) {
      throw new SynthesisLocked(
        `another synthesis (pid ${holder}) is writing into this folder and did not finish in time; ` +
          `wait for it and run again (if no such process runs, remove ${LOCK_FILE}); nothing was written`,
      );
    }
    if (toldHolder !== holder) options.onWait?.(holder);
    toldHolder = holder;
    sleep(200);
  }
}

function lockHolder(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Synthesis is synchronous from start to end, so waiting blocks too. */
function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
