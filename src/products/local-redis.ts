import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { runProgram } from './distributions/run-program';
import { HarnessError } from './harness-error';
import { killGroup } from './process-group';
import { assertPortFree } from './ports';

/**
 * Debian's Redis server and the libraries it loads (bookworm has no Valkey package; Redis 7.0 is the
 * BSD-licensed release Valkey was forked from and speaks the same protocol). Fetched with
 * `apt-get download`, so no package is installed on this machine.
 */
const PACKAGES = ['redis-server', 'redis-tools', 'liblzf1', 'libjemalloc2'];

/** How long the server may take to answer PING. */
const READY_WITHIN_MS = 15_000;

/**
 * A Redis server on loopback standing in for the building block's Valkey Deployment: the port the
 * pods connect to, the password of the Valkey's generated Secret, nothing kept on disk (as the kit's
 * Valkey runs, without persistence).
 */
export class LocalRedis {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    readonly version: string,
  ) {}

  /** Unpacks the packages into `cacheFolder` once, then starts the server; `scratch` holds its log. */
  static async start(cacheFolder: string, scratch: string, port: number, password: string, log: (line: string) => void): Promise<LocalRedis> {
    const root = await unpackRedis(cacheFolder, log);
    await assertPortFree(port, 'the Valkey port the pod connects to');
    const env = { ...process.env, LD_LIBRARY_PATH: path.join(root, 'usr', 'lib', 'x86_64-linux-gnu') };
    const server = path.join(root, 'usr', 'bin', 'redis-server');
    const version = (await runProgram(server, ['--version'], { env })).trim().split(' ').find((part) => part.startsWith('v='))?.slice(2) ?? 'unknown';
    const logFile = path.join(scratch, 'redis.log');
    const fd = openSync(logFile, 'a');
    // The password on standard input, as the kit's Valkey takes it: never on a command line.
    const child = spawn(server, ['-'], { env, stdio: ['pipe', fd, fd], detached: true });
    closeSync(fd);
    child.stdin?.end(`port ${port}\nbind 127.0.0.1\nrequirepass ${password}\nsave ""\nappendonly no\ndir ${scratch}\n`);
    const redis = new LocalRedis(child, port, version);
    const cli = path.join(root, 'usr', 'bin', 'redis-cli');
    const end = Date.now() + READY_WITHIN_MS;
    for (;;) {
      const answer = await runProgram(cli, ['-p', String(port), 'ping'], { env: { ...env, REDISCLI_AUTH: password } }).catch(() => '');
      if (answer.trim() === 'PONG') break;
      if (child.exitCode !== null || Date.now() > end) {
        await redis.stop();
        throw new HarnessError(`Redis ${version} did not answer PING on 127.0.0.1:${port}:\n${readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-10).join('\n')}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    log(`cache: Redis ${version} (Debian) on 127.0.0.1:${port} with the Valkey's password`);
    return redis;
  }

  async stop(): Promise<void> {
    if (this.child.pid !== undefined) await killGroup(this.child.pid);
  }
}

/** The packages' files under `<cacheFolder>/root`, unpacked once. */
async function unpackRedis(cacheFolder: string, log: (line: string) => void): Promise<string> {
  const root = path.join(cacheFolder, 'root');
  if (existsSync(path.join(root, 'usr', 'bin', 'redis-server'))) return root;
  const debs = path.join(cacheFolder, 'debs');
  mkdirSync(debs, { recursive: true });
  log(`downloading Debian's ${PACKAGES.join(', ')} (apt-get download)`);
  await runProgram('apt-get', ['download', ...PACKAGES], { cwd: debs, missing: 'apt-get is needed to fetch Debian\'s Redis server, which stands in for the building block\'s Valkey' });
  mkdirSync(root, { recursive: true });
  for (const deb of readdirSync(debs).filter((file) => file.endsWith('.deb'))) await runProgram('dpkg-deb', ['-x', path.join(debs, deb), root]);
  if (!existsSync(path.join(root, 'usr', 'bin', 'redis-server'))) throw new HarnessError(`Debian's redis-server package has no usr/bin/redis-server (unpacked in ${root})`);
  return root;
}
