import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { TestDatabase } from './test-values';
import { HarnessError } from './harness-error';
import { assertPortFree } from './ports';

/**
 * A PostgreSQL server on loopback from Debian's packages, standing in for the CloudNativePG cluster
 * of a building block: each Cluster's database and owner created as `initdb` would, and the kit's
 * init SQL run in it as the superuser, as CloudNativePG runs `postInitApplicationSQLRefs`.
 */
export class LocalPostgres {
  private constructor(
    private readonly bin: string,
    private readonly dataDir: string,
    private readonly socketDir: string,
    readonly port: number,
    private readonly osUser: string,
    readonly version: string,
  ) {}

  static async start(scratch: string, port: number, log: (line: string) => void): Promise<LocalPostgres> {
    const bin = postgresBin();
    await assertPortFree(port, 'the database port the pod connects to (its CloudNativePG service port)');
    const osUser = postgresOsUser();
    const root = path.join(scratch, 'postgres');
    const dataDir = path.join(root, 'data');
    const socketDir = path.join(root, 'socket');
    mkdirSync(dataDir, { recursive: true });
    mkdirSync(socketDir, { recursive: true });
    const { uid, gid } = userIds(osUser);
    for (const dir of [root, dataDir, socketDir]) chownSync(dir, uid, gid);
    const asUser = (program: string, args: string[]) => runAs(osUser, path.join(bin, program), args);
    const version = execFileSync(path.join(bin, 'postgres'), ['--version'], { encoding: 'utf8' }).trim();
    log(`database: ${version} on 127.0.0.1:${port}`);
    asUser('initdb', ['-D', dataDir, '-U', 'postgres', '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--locale=C']);
    const options = `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=${socketDir} -c fsync=off`;
    asUser('pg_ctl', ['-D', dataDir, '-l', path.join(root, 'server.log'), '-w', '-t', '60', '-o', options, 'start']);
    return new LocalPostgres(bin, dataDir, socketDir, port, osUser, version);
  }

  /** Creates the database and its owner and runs the init SQL, as the pod's Cluster bootstraps them. */
  createDatabase(database: TestDatabase, scratch: string): void {
    this.psql('postgres', `CREATE ROLE "${database.owner}" LOGIN PASSWORD '${database.password.replace(/'/g, "''")}'`);
    this.psql('postgres', `CREATE DATABASE "${database.database}" OWNER "${database.owner}"`);
    database.initSql.forEach((sql, i) => {
      const file = path.join(scratch, `${database.cluster}-init-${i}.sql`);
      writeFileSync(file, sql, { mode: 0o644 });
      try {
        runAs(this.osUser, path.join(this.bin, 'psql'), ['-h', this.socketDir, '-p', String(this.port), '-U', 'postgres', '-d', database.database, '-v', 'ON_ERROR_STOP=1', '-q', '-f', file]);
      } catch (error) {
        throw new HarnessError(`the kit's init SQL for database ${database.database} (Cluster ${database.cluster}) fails on PostgreSQL: ${(error as Error).message.split('\n').slice(-4).join(' ')}`);
      }
    });
  }

  /** A database's own tables as `schema.table`, for smoke steps that prove a product set up its schema. */
  tables(database: string): string[] {
    return this.psql(database, "SELECT schemaname || '.' || tablename FROM pg_tables WHERE schemaname NOT IN ('pg_catalog','information_schema') ORDER BY 1").split('\n').filter(Boolean);
  }

  stop(): void {
    try {
      runAs(this.osUser, path.join(this.bin, 'pg_ctl'), ['-D', this.dataDir, '-m', 'immediate', '-w', 'stop']);
    } catch {
      // Already gone; the scratch folder is removed either way.
    }
  }

  private psql(database: string, sql: string): string {
    return runAs(this.osUser, path.join(this.bin, 'psql'), ['-h', this.socketDir, '-p', String(this.port), '-U', 'postgres', '-d', database, '-v', 'ON_ERROR_STOP=1', '-At', '-c', sql]);
  }
}

/** Debian's server binaries (`GOVSTACK_POSTGRES_BIN` overrides): the newest /usr/lib/postgresql/<major>/bin. */
function postgresBin(): string {
  const configured = process.env.GOVSTACK_POSTGRES_BIN;
  if (configured) return configured;
  const base = '/usr/lib/postgresql';
  const majors = existsSync(base) ? readdirSync(base).filter((v) => existsSync(path.join(base, v, 'bin', 'postgres'))).sort((a, b) => Number(b) - Number(a)) : [];
  if (majors.length === 0) {
    throw new HarnessError('no PostgreSQL server found (/usr/lib/postgresql/<major>/bin/postgres): install Debian\'s postgresql package (apt-get install postgresql), or set GOVSTACK_POSTGRES_BIN to its bin folder');
  }
  return path.join(base, majors[0], 'bin');
}

/** PostgreSQL refuses to run as root: Debian's `postgres` user, or `nobody`. */
function postgresOsUser(): string {
  for (const user of ['postgres', 'nobody']) {
    try {
      execFileSync('id', ['-u', user], { stdio: 'ignore' });
      return user;
    } catch {
      // try the next
    }
  }
  throw new HarnessError('no unprivileged user (postgres or nobody) to run PostgreSQL as');
}

function userIds(user: string): { uid: number; gid: number } {
  return { uid: Number(execFileSync('id', ['-u', user], { encoding: 'utf8' })), gid: Number(execFileSync('id', ['-g', user], { encoding: 'utf8' })) };
}

function runAs(user: string, program: string, args: string[]): string {
  const asRoot = process.getuid?.() === 0;
  const [command, argv] = asRoot ? ['setpriv', ['--reuid', user, '--regid', user, '--init-groups', '--', program, ...args]] : [program, args];
  try {
    return execFileSync(command, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], cwd: '/' });
  } catch (error) {
    // A server that will not start (a port or folder another run holds) ends the run in a sentence.
    const { stderr, stdout } = error as { stderr?: string; stdout?: string };
    const said = `${stdout ?? ''}${stderr ?? ''}`.trim().split('\n').slice(-6).join('\n  | ');
    throw new HarnessError(`PostgreSQL's ${path.basename(program)} failed as user ${user}:\n  | ${said || (error as Error).message}`);
  }
}
