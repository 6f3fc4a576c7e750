import { readdirSync, readFileSync } from 'node:fs';

/**
 * A sandboxed container is one process group (bubblewrap and everything the product starts inside
 * it): these read that group from /proc, so the harness can tell when every process of it is gone
 * (its ports are free only then) and how much memory it holds (what a pod's limit is charged with).
 */

/** Live (not zombie) processes of the group, by pid. */
export function processesOf(group: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = procStat(Number(entry));
    if (stat && stat.group === group && stat.state !== 'Z') pids.push(Number(entry));
  }
  return pids;
}

/**
 * The group's memory: the sum of each process's proportional set size (shared pages split between
 * the processes that map them, as a memory cgroup charges a page once), or its resident set where
 * the kernel gives no smaps_rollup.
 */
export function memoryOf(group: number): number {
  let bytes = 0;
  for (const pid of processesOf(group)) bytes += proportionalBytes(pid) ?? residentBytes(pid);
  return bytes;
}

/** Sends SIGKILL to the group and waits until none of its processes remains (the kernel frees their ports then). */
export async function killGroup(group: number, withinMs = 10_000): Promise<boolean> {
  try {
    process.kill(-group, 'SIGKILL');
  } catch {
    // The group leader is gone; members may not be.
  }
  const end = Date.now() + withinMs;
  while (Date.now() < end) {
    const left = processesOf(group);
    if (left.length === 0) return true;
    for (const pid of left) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // exited meanwhile
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return processesOf(group).length === 0;
}

/** Samples the group's memory every half second and keeps the peak, until stopped. */
export class MemoryWatch {
  private peakBytes = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly group: number) {
    this.sample();
    this.timer = setInterval(() => this.sample(), 500);
    this.timer.unref();
  }

  /** The highest sample so far, in bytes. */
  get peak(): number {
    return this.peakBytes;
  }

  sample(): void {
    this.peakBytes = Math.max(this.peakBytes, memoryOf(this.group));
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

function procStat(pid: number): { state: string; group: number; rssPages: number } | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined; // exited between the listing and the read
  }
  // The command name (field 2) may hold spaces and parentheses: fields are counted after its last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0], group: Number(fields[2]), rssPages: Number(fields[21]) };
}

const PAGE_BYTES = 4096;

function residentBytes(pid: number): number {
  return (procStat(pid)?.rssPages ?? 0) * PAGE_BYTES;
}

function proportionalBytes(pid: number): number | undefined {
  try {
    const match = /^Pss:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}
