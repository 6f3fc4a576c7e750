import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';

/**
 * Long-running processes the proof starts (etcd, kube-apiserver) and the clean-ups it owes:
 * every one is stopped on every way out — a normal end, an error, Ctrl-C (SIGINT) or SIGTERM —
 * and never by name, only by the process it started.
 */
const running = new Set<ManagedProcess>();
const cleanups = new Set<() => void>();
let signalsHooked = false;

function hookSignals(): void {
  if (signalsHooked) return;
  signalsHooked = true;
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
    process.on(signal, () => {
      process.stderr.write(`\n${signal}: stopping what the proof started\n`);
      stopEverythingNow();
      process.exit(code);
    });
  }
  process.on('exit', stopEverythingNow);
}

/** Synchronous last resort (signal handlers and `exit` cannot wait): kill what still runs, run the clean-ups. */
export function stopEverythingNow(): void {
  for (const managed of running) managed.killNow();
  for (const cleanup of [...cleanups].reverse()) {
    try {
      cleanup();
    } catch {
      // best effort: the process is ending
    }
  }
  cleanups.clear();
}

/** Runs `cleanup` on every exit path until `release()` is called (after it ran normally). */
export function onExit(cleanup: () => void): { release(): void } {
  hookSignals();
  cleanups.add(cleanup);
  return { release: () => cleanups.delete(cleanup) };
}

/** A child process whose output goes to a log file, stopped by its own pid. */
export class ManagedProcess {
  private readonly child: ChildProcess;
  private exited = false;
  readonly exitPromise: Promise<number | null>;

  constructor(
    readonly name: string,
    command: string,
    args: readonly string[],
    readonly logFile: string,
    options: SpawnOptions = {},
  ) {
    hookSignals();
    const fd = openSync(logFile, 'a');
    try {
      this.child = spawn(command, args, { ...options, stdio: ['ignore', fd, fd] });
    } finally {
      closeSync(fd);
    }
    running.add(this);
    this.exitPromise = new Promise((resolve) => {
      this.child.once('exit', (code) => {
        this.exited = true;
        running.delete(this);
        resolve(code);
      });
      this.child.once('error', (error) => {
        this.exited = true;
        running.delete(this);
        process.stderr.write(`${name} could not start: ${error.message}\n`);
        resolve(null);
      });
    });
  }

  get hasExited(): boolean {
    return this.exited;
  }

  /** The last lines of its log, for error messages. */
  logTail(lines = 25): string {
    if (!existsSync(this.logFile)) return '(no log)';
    return readFileSync(this.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  }

  /** SIGTERM, then SIGKILL if it has not stopped after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.exited) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exitPromise;
    clearTimeout(timer);
  }

  killNow(): void {
    if (!this.exited) this.child.kill('SIGKILL');
  }
}
