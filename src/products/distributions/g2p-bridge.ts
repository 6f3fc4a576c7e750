import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { ProductDistribution, SmokeContext } from '../distribution';
import { HarnessError } from '../harness-error';
import { installOnce, makeReadable } from './make-readable';
import { runProgram } from './run-program';

const VERSION = '1.0.2';

/** PyPI, the registry OpenG2P publishes G2P Bridge to (`GOVSTACK_PYPI` names a mirror's JSON API). */
function pypi(): string {
  return (process.env.GOVSTACK_PYPI ?? 'https://pypi.org/pypi').replace(/\/$/, '');
}

/**
 * What each image installs into its Python (Dockerfile-pypi of each component at v1.0.2): the
 * libraries OpenG2P pins there, and the component itself. What the images left unpinned is pinned
 * here to its newest release when 1.0.2 was built (3 Dec 2024), as the images resolved it:
 * openg2p-g2pconnect-mapper-lib 1.0.0 (1.1.0 followed in April 2025), Celery 5.4.0 and kombu 5.4.2.
 * Today's kombu (5.7) refuses the redis client 5.0 that openg2p-fastapi-common 1.1.1 pins ("Redis
 * transport requires redis-py versions 6.1.0 or later", found by the harness).
 */
const LIBRARIES = ['openg2p-fastapi-common==1.1.1', 'openg2p-fastapi-auth==1.1.1', 'openg2p-g2pconnect-common-lib==1.0.0', `openg2p-g2p-bridge-models==${VERSION}`];
const AS_BUILT = ['openg2p-g2pconnect-mapper-lib==1.0.0', 'celery==5.4.0', 'kombu==5.4.2'];
const COMPONENTS: Readonly<Record<string, { readonly project: string; readonly requires: readonly string[] }>> = {
  api: { project: 'openg2p-g2p-bridge-api', requires: [] },
  worker: { project: 'openg2p-g2p-bridge-celery-workers', requires: [`openg2p-g2p-bridge-bank-connectors==${VERSION}`, ...AS_BUILT] },
  beat: { project: 'openg2p-g2p-bridge-celery-beat-producers', requires: [`openg2p-g2p-bridge-bank-connectors==${VERSION}`, ...AS_BUILT] },
};

/** Where the images keep their Python (the base image's) and the component's main.py (WORKDIR). */
const IMAGE_PYTHON = '/opt/bitnami/python';
const IMAGE_APP = '/app';
/** Debian's Python, which the sandbox sees under /usr. */
const HOST_PYTHON = '/usr/bin/python3';

/**
 * OpenG2P's G2P Bridge images rebuilt from PyPI: each component's image is its Dockerfile-pypi, a
 * `pip install` of the releases above into the base image's Python (bitnami/python 3.12.5 at
 * /opt/bitnami/python), and main.py from the component's source (the build context, which the
 * source distribution on PyPI is) in /app. Here one virtual environment of Debian's Python holds the
 * three components' packages, at /opt/bitnami/python, and /app holds the running component's main.py.
 */
export const G2P_BRIDGE_DISTRIBUTION: ProductDistribution = {
  product: 'g2p-bridge',
  version: VERSION,
  source: `PyPI: ${Object.values(COMPONENTS).map((c) => `${c.project} ${VERSION}`).join(', ')} with ${LIBRARIES.slice(0, 3).join(', ')} in Debian's Python, laid out as the images' ${IMAGE_PYTHON}, and each component's main.py from its source distribution in ${IMAGE_APP}`,
  containers: Object.keys(COMPONENTS),
  async install(folder, log, container) {
    const venv = path.join(folder, 'python');
    await installOnce(folder, async () => {
      log(`installing G2P Bridge ${VERSION} and its dependencies from PyPI into a virtual environment of ${HOST_PYTHON} (about 150 MB, a minute)`);
      await runProgram(HOST_PYTHON, ['-m', 'venv', venv], { missing: `${HOST_PYTHON} is needed (Debian's python3 and python3-venv)` });
      const requirements = [...LIBRARIES, ...Object.values(COMPONENTS).flatMap((c) => [...c.requires, `${c.project}==${VERSION}`])];
      // psycopg2 (not -binary), as the images install it, builds against libpq-dev and Python's headers.
      await runProgram(path.join(venv, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', ...new Set(requirements)]);
      relocateScripts(venv, IMAGE_PYTHON);
      for (const [component, { project }] of Object.entries(COMPONENTS)) await unpackMain(project, path.join(folder, `app-${component}`), log);
      makeReadable(folder);
    });
    const component = COMPONENTS[container] ? container : 'api';
    const python = (await runProgram(HOST_PYTHON, ['--version'])).trim();
    return {
      imagePaths: { [IMAGE_PYTHON]: venv, [IMAGE_APP]: path.join(folder, `app-${component}`) },
      // bitnami/python's ENV: its Python first on the PATH. HOME as the runtime gives a uid without a passwd entry.
      imageEnv: { PATH: `${IMAGE_PYTHON}/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`, HOME: '/' },
      entrypoint: [],
      cmd: ['/bin/sh', '-c', imageCmd(component)],
      workingDir: IMAGE_APP,
      differences: [
        `${python} from Debian (the virtual environment at ${IMAGE_PYTHON}) instead of the image's Python 3.12.5 from bitnami/python`,
        `one environment holds the packages of the three images; of what OpenG2P leaves unpinned, ${AS_BUILT.join(', ')} are pinned to the releases current when the images were built (December 2024), the rest resolved by pip today within the libraries' ranges`,
        `the scripts' interpreter lines (gunicorn, celery) rewritten to ${IMAGE_PYTHON}/bin/python3, where pip would have written them in the image`,
      ],
    };
  },
  smoke: proveG2pBridge,
};

/** The image's CMD (Dockerfile-pypi, shell form), for a pod that gives no command. */
function imageCmd(component: string): string {
  if (component === 'api') return 'python3 main.py migrate; gunicorn "main:app" --workers ${G2P_BRIDGE_NO_OF_WORKERS} --worker-class uvicorn.workers.UvicornWorker --bind ${G2P_BRIDGE_HOST}:${G2P_BRIDGE_PORT}';
  if (component === 'worker') return 'celery -A main.celery_app worker -Q g2p_bridge_celery_worker_tasks --loglevel=info';
  return 'celery -A main.celery_app worker --beat --loglevel=info';
}

/** pip writes the environment's own path into each script's interpreter line; the sandbox sees the environment at the image's path. */
function relocateScripts(venv: string, imagePath: string): void {
  const bin = path.join(venv, 'bin');
  for (const entry of readdirSync(bin)) {
    const file = path.join(bin, entry);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue; // a symlink to the interpreter, or unreadable as text
    }
    if (text.startsWith(`#!${bin}/`)) writeFileSync(file, text.replace(`#!${bin}/`, `#!${imagePath}/bin/`));
  }
}

/**
 * The component's main.py, which the image adds from its build context: the source distribution on
 * PyPI is that context (it carries the Dockerfiles too), checked against PyPI's SHA-256.
 */
async function unpackMain(project: string, into: string, log: (line: string) => void): Promise<void> {
  const releases = ((await fetchJson(`${pypi()}/${project}/json`)) as { releases?: Record<string, { packagetype: string; url: string; digests: { sha256: string } }[]> }).releases;
  const sdist = releases?.[VERSION]?.find((u) => u.packagetype === 'sdist');
  if (!sdist) throw new HarnessError(`PyPI has no source distribution of ${project} ${VERSION}, which holds its main.py`);
  log(`downloading ${sdist.url}`);
  const body = await download(sdist.url);
  const actual = createHash('sha256').update(body).digest('hex');
  if (actual !== sdist.digests.sha256) throw new HarnessError(`${sdist.url}: SHA-256 ${actual} differs from PyPI's ${sdist.digests.sha256}`);
  mkdirSync(into, { recursive: true });
  const archive = path.join(into, '..', `${project}-${VERSION}.tar.gz`);
  writeFileSync(archive, body);
  const top = `${project.replace(/-/g, '_')}-${VERSION}`;
  await runProgram('tar', ['-xzf', archive, '-C', into, '--strip-components=1', `${top}/main.py`]);
  if (!existsSync(path.join(into, 'main.py'))) throw new HarnessError(`${sdist.url} has no ${top}/main.py`);
}

async function fetchJson(url: string): Promise<unknown> {
  return JSON.parse((await download(url)).toString('utf8'));
}

async function download(url: string): Promise<Buffer> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(120_000) });
  } catch (error) {
    throw new HarnessError(`cannot download ${url}: ${(error as Error).message} (is PyPI reachable from here?)`);
  }
  if (!response.ok) throw new HarnessError(`cannot download ${url}: HTTP ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}

/** Tables `main.py migrate` creates (the models' create_migrate calls in the API's Initializer). */
const TABLES = ['disbursement_envelopes', 'disbursement_envelope_batch_statuses', 'account_statements'];

/**
 * The proof that the pod's configuration took effect: the API answers from the database the pod names
 * (its migration created the tables there, and it looks an envelope's programme up there); a
 * Celery process answers its ping through the broker the pod names, and the beat producer keeps its
 * schedule where the pod's command puts it.
 */
async function proveG2pBridge(context: SmokeContext): Promise<string> {
  const { env } = context;
  if (env.G2P_BRIDGE_DB_DBNAME !== undefined) return proveApi(context);
  if (env.G2P_BRIDGE_CELERY_BEAT_CELERY_BROKER_URL !== undefined) {
    // Celery keeps its schedule in a shelve: the dbm module Python finds adds its own suffix (.db for ndbm).
    const schedule = '/tmp/celerybeat-schedule';
    const written = ['', '.db', '.dat'].map((suffix) => `${schedule}${suffix}`).find((file) => {
      try {
        context.file(file);
        return true;
      } catch {
        return false;
      }
    });
    if (!written) fail(`the beat producer wrote no schedule at ${schedule}: its --schedule did not take effect`);
    if (!/beat: Starting/.test(context.log())) fail('the log says no "beat: Starting": the scheduler did not start');
    return `its scheduler started and keeps its schedule in ${written}; it answered its ping through the broker the pod names (the startup probe)`;
  }
  if (!/g2p_bridge_celery_worker_tasks/.test(context.log())) fail('the log names no queue g2p_bridge_celery_worker_tasks: the worker does not consume the beat producer\'s queue');
  return 'it consumes queue g2p_bridge_celery_worker_tasks and answered its ping through the broker the pod names (the startup probe)';
}

async function proveApi(context: SmokeContext): Promise<string> {
  const { env } = context;
  const base = `http://127.0.0.1:${context.port('http')}`;
  const proven: string[] = [];
  const database = env.G2P_BRIDGE_DB_DBNAME;
  if (!context.databaseTables) fail('the harness gives no view of the database to prove the migration ran');
  const tables = context.databaseTables(database);
  const missing = TABLES.filter((table) => !tables.includes(`public.${table}`));
  if (missing.length > 0) fail(`database ${database} has no ${missing.join(', ')} (it has ${tables.join(', ') || 'no tables'}): the migration did not run there`);
  proven.push(`its migration created ${tables.length} tables in database ${database}`);

  // 1.0.2 has no API for benefit programmes: an envelope names one the operator configured in the
  // database (benefit_program_configurations, with its sponsor bank), so an unknown one is refused
  // after the API has looked for it there.
  const header = { version: '1.0.0', message_id: `harness-${Date.now()}`, message_ts: new Date().toISOString(), action: 'create_disbursement_envelope', sender_id: 'harness', total_count: 1 };
  const envelope = {
    benefit_program_mnemonic: 'HARNESS-UNCONFIGURED',
    disbursement_frequency: 'Monthly',
    cycle_code_mnemonic: 'HARNESS-1',
    number_of_beneficiaries: 1,
    number_of_disbursements: 1,
    total_disbursement_amount: 100,
    disbursement_currency_code: 'USD',
    disbursement_schedule_date: new Date(Date.now() + 86_400_000).toISOString().slice(0, 10),
  };
  const answer = await postJson(`${base}/create_disbursement_envelope`, { header, message: envelope });
  const answered = answer.header as { status?: string; status_reason_message?: string } | undefined;
  if (answered?.status !== 'rjct' || answered.status_reason_message !== 'INVALID_PROGRAM_MNEMONIC') {
    fail(`POST /create_disbursement_envelope for a programme the database does not configure answered ${JSON.stringify(answer).slice(0, 300)}, not a G2P Connect rejection INVALID_PROGRAM_MNEMONIC`);
  }
  proven.push('/create_disbursement_envelope validates a G2P Connect request and looks its programme up in the database (an unconfigured one is refused: rjct INVALID_PROGRAM_MNEMONIC)');
  return proven.join('; ');
}

async function postJson(url: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(20_000) });
  const text = await response.text();
  if (response.status !== 200) fail(`POST ${new URL(url).pathname} answered ${response.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as Record<string, unknown>;
}

function fail(message: string): never {
  throw new HarnessError(message);
}
