import { fixedResources, perSize, resourcesBySize } from '../sizing';
import type { CatalogueEntry, ComponentEntry, EnvContract, Health, SizedResources } from '../types';

/**
 * OpenG2P's official images of G2P Bridge 1.0.2, as OpenG2P's own Helm chart pins them
 * (openg2p-g2p-bridge-deployment at tag v1.0.2: charts/openg2p-g2p-bridge/values.yaml and the
 * per-component charts, `docker.io/openg2p/<component>:1.0.2`). Each image is its component's
 * Dockerfile-pypi (openg2p-g2p-bridge at v1.0.2): `pip install` of the PyPI releases below into the
 * Python of its base image, `bitnami/python:3.12.5-debian-12-r0`, with main.py in /app, USER openg2p
 * (1001). Unverified here: Docker Hub cannot be listed from this machine, and the v1.0.2 tag's own
 * workflow (api-tag.yml before "Fix tag workflow docker") computed the tag wrongly; the chart's pin
 * is what OpenG2P deploys. Check the tags in your mirror, or pin them by digest.
 */
const API_IMAGE = 'docker.io/openg2p/openg2p-g2p-bridge-api:1.0.2';
const WORKERS_IMAGE = 'docker.io/openg2p/openg2p-g2p-bridge-celery-workers:1.0.2';
const BEAT_IMAGE = 'docker.io/openg2p/openg2p-g2p-bridge-celery-beat-producers:1.0.2';

/** Where the Dockerfiles put main.py, the module every command loads (`main:app`, `main.celery_app`). */
const APP_DIR = '/app';
const API_PORT = 8000;

/** What every process reads its database password and broker address from. */
const SECRETS_IN_ENVIRONMENT =
  'G2P Bridge reads its settings through openg2p-fastapi-common 1.1.1 (pydantic-settings, one env prefix per component) from the environment or a .env file in its working directory only: no secrets directory or _FILE variant, and the database password and the Celery broker URL with the Valkey password are settings';

/**
 * The database settings of one component, by its env prefix: the settings build
 * `<driver>://<user>:<password>@<host>:<port>/<dbname>` from them (openg2p_fastapi_common config.py).
 */
function databaseEnv(prefix: string): ReturnType<EnvContract> {
  return {
    [`${prefix}DB_HOSTNAME`]: { database: 'host' },
    [`${prefix}DB_PORT`]: { database: 'port' },
    [`${prefix}DB_DBNAME`]: { database: 'dbname' },
    [`${prefix}DB_USERNAME`]: { database: 'username' },
    [`${prefix}DB_PASSWORD`]: { database: 'password' },
  };
}

/**
 * Celery's broker and result backend: the building block's Valkey. The URL carries the password,
 * put together by the kubelet from the variables before it (`$(NAME)`), so no literal holds it.
 */
function celeryEnv(prefix: string): ReturnType<EnvContract> {
  const url = 'redis://:$(VALKEY_PASSWORD)@$(VALKEY_HOST):$(VALKEY_PORT)/0';
  return {
    VALKEY_HOST: { cache: 'host' },
    VALKEY_PORT: { cache: 'port' },
    VALKEY_PASSWORD: { cache: 'password' },
    [`${prefix}CELERY_BROKER_URL`]: url,
    [`${prefix}CELERY_BACKEND_URL`]: url,
  };
}

/**
 * A Celery worker answers `inspect ping` through the broker only while it is connected and consuming,
 * which is what every probe asks. The command runs in the working directory /app, where main.py is;
 * the node name is Celery's default, celery@<hostname>, and the runtime sets HOSTNAME to the pod's
 * name. Each ping starts a Python process (about a second of CPU and 80 MB while it runs), within
 * the container's limits.
 */
function celeryHealth(): Health {
  const ping = { exec: ['/bin/sh', '-c', 'celery -A main.celery_app inspect ping --timeout 10 --destination "celery@$HOSTNAME"'] } as const;
  return { startup: ping, readiness: ping, liveness: ping, startupSeconds: 180 };
}

/** The pods run as an unprivileged uid of the kit's range: the images own nothing they write, and read everything as any user. */
const USER = { uid: 10001, gid: 10001 } as const;

/** A Celery process of G2P Bridge: its image's main.py in /app, pinged through the broker, scratch space for what it writes. */
function celeryComponent(props: {
  readonly name: string;
  readonly image: string;
  readonly command: readonly string[];
  readonly env: EnvContract;
  readonly resources: SizedResources;
  readonly scaling: ComponentEntry['scaling'];
}): ComponentEntry {
  return {
    name: props.name,
    user: USER,
    containers: [
      {
        name: props.name,
        image: props.image,
        command: props.command,
        workingDir: APP_DIR,
        health: celeryHealth(),
        secretsInEnvironment: SECRETS_IN_ENVIRONMENT,
        env: props.env,
        mounts: { tmp: '/tmp' },
        resources: props.resources,
      },
    ],
    volumes: { tmp: { scratch: '256Mi' } },
    scaling: props.scaling,
  };
}

/**
 * OpenG2P G2P Bridge as the payments building block: government-to-person disbursements. A
 * programme system sends a disbursement envelope (programme, number and total of payments, schedule
 * date) and its disbursements (beneficiary id, amount); Celery workers resolve each beneficiary's
 * financial address through an ID-account mapper (OpenG2P SPAR, G2P Connect's mapper resolve API),
 * check and block the funds with the sponsor bank, disburse in batches and reconcile from the bank's
 * MT940 statements; a Celery beat producer schedules those steps from the database.
 *
 * Chosen after reading the candidates' own repositories (Dec 2026):
 * - Mifos Payment Hub EE, GovStack's sandbox product and the implementation of its Payments API, runs
 *   its services on Zeebe (Camunda's source-available licence), Elasticsearch, Kafka and MySQL, and its
 *   deployment template pins `:latest` images;
 * - Mojaloop is an interoperability switch between financial institutions, needing Kafka, MySQL,
 *   MongoDB and Redis from frozen Bitnami charts;
 * - G2P Bridge is MPL-2.0, maintained by OpenG2P (releases on PyPI, the newest of April 2025), and needs
 *   only PostgreSQL and Redis, both of which the kit runs (CloudNativePG, Valkey).
 *
 * Version: 1.0.2 (3 Dec 2024) is the newest release whose images OpenG2P's own chart pins. PyPI has
 * 1.1.0 (30 Apr 2025, with request signature checks), but no chart or release workflow of OpenG2P
 * names an image of it: its images were pushed from branch builds, tagged with the branch's name.
 * OpenG2P's newer work is a rewrite in another repository (OpenG2P/g2p-bridge).
 */
export const G2P_BRIDGE: CatalogueEntry = {
  buildingBlock: 'payments',
  product: 'g2p-bridge',
  version: '1.0.2',
  displayName: 'OpenG2P G2P Bridge',
  homepage: 'https://github.com/OpenG2P/openg2p-g2p-bridge',
  license: 'MPL-2.0 (G2P Bridge and the openg2p-fastapi-common libraries it runs on)',
  specVersion:
    'payments 3.0.0 in part: G2P bulk disbursement (GovStack Payments spec sections 8.1 and 9.1) through OpenG2P\'s own disbursement API in G2P Connect message envelopes; not GovStack\'s Payments API itself (no account mapper onboarding, vouchers, P2G or G2B APIs)',
  deployment: {
    kind: 'manifests',
    reason:
      'OpenG2P\'s chart (openg2p-g2p-bridge 1.0.2) bundles Bitnami PostgreSQL and Redis (Redis without a password), disables security contexts and pulls with imagePullPolicy Always; the kit renders the three processes with its own data services.',
  },
  stages: ['sandbox', 'staging', 'production'],
  notes: [
    'G2P Bridge serves its own disbursement API (create/cancel disbursement envelopes and disbursements, their status, MT940 statement upload) in G2P Connect message envelopes (header and message), not GovStack\'s Payments API (its bulk payment, pre-payment validation and account mapper APIs); an adapter is not part of the kit.',
    'Release 1.0.2\'s API checks no signature or token on requests (signature checks arrive with 1.1.0): the NetworkPolicies admit only its security server, and X-Road grants the API to the declared callers only.',
    'The sponsor bank is the country\'s: 1.0.2 ships only an example bank connector (sponsor bank code EXAMPLE, a test double that calls OpenG2P\'s example bank at URLs that are left unset here). A real bank needs its connector added to openg2p-g2p-bridge-bank-connectors and an image of the workers built with it, and the bank\'s address declared as the entry\'s `outbound`; until then envelopes stay at the funds check.',
    'Each benefit programme (its mnemonic, funding organisation and sponsor bank account) is a row of benefit_program_configurations that the operator inserts in the database: 1.0.2 has no API for it (1.1.0 adds one), and refuses an envelope for a programme it does not find (INVALID_PROGRAM_MNEMONIC).',
    'Beneficiaries\' financial addresses come from an ID-account mapper (OpenG2P SPAR, G2P Connect\'s mapper resolve API), which the kit does not deploy: G2P_BRIDGE_CELERY_WORKERS_MAPPER_RESOLVE_API_URL and the financial-address formats (…_DECONSTRUCT_STRATEGY) are the country\'s settings, left unset.',
    'Tables are created by `python3 main.py migrate` (SQLAlchemy create_all: missing tables only, no column changes between releases), run by an init container before each API pod starts; pods starting together may race and restart once.',
    'Celery keeps its queue and results in the building block\'s Valkey; the state of every envelope and batch is in PostgreSQL, and the beat producer sends pending work again at its next run, so a lost queue only delays payments.',
    'The images are built on bitnami/python:3.12.5-debian-12-r0 (OpenG2P\'s Dockerfiles): an official OpenG2P image on a Bitnami base, which Bitnami no longer updates publicly; rebuild on another Python base if your policy refuses it.',
    'No metrics: openg2p-fastapi-common 1.1.1 serves no /metrics (the chart\'s ServiceMonitor path has no handler).',
  ],
  components: [
    {
      name: 'api',
      user: USER,
      initContainers: [
        {
          name: 'migrate',
          image: API_IMAGE,
          // The first half of the image's CMD (Dockerfile-pypi), which ignores its failure; here a failed migration stops the pod.
          command: ['python3', 'main.py', 'migrate'],
          workingDir: APP_DIR,
          secretsInEnvironment: SECRETS_IN_ENVIRONMENT,
          env: () => databaseEnv('G2P_BRIDGE_'),
          mounts: { tmp: '/tmp' },
          resources: fixedResources(['100m', '500m', '256Mi', '256Mi']),
        },
      ],
      containers: [
        {
          name: 'api',
          image: API_IMAGE,
          // The second half of the image's CMD, with the workers and address written out.
          command: ['gunicorn', 'main:app', '--workers', '2', '--worker-class', 'uvicorn.workers.UvicornWorker', '--bind', `0.0.0.0:${API_PORT}`],
          workingDir: APP_DIR,
          ports: [{ name: 'http', port: API_PORT }],
          health: {
            // openg2p-fastapi-common's PingController: GET /ping answers "pong" (main.py adds it).
            startup: { http: '/ping', port: 'http' },
            readiness: { http: '/ping', port: 'http' },
            liveness: { http: '/ping', port: 'http' },
            startupSeconds: 120,
          },
          secretsInEnvironment: SECRETS_IN_ENVIRONMENT,
          env: () => ({
            ...databaseEnv('G2P_BRIDGE_'),
            G2P_BRIDGE_WORKER_TYPE: 'gunicorn',
            G2P_BRIDGE_NO_OF_WORKERS: '2',
            G2P_BRIDGE_LOGGING_LEVEL: 'INFO',
          }),
          // gunicorn's worker heartbeat files go to the temporary directory.
          mounts: { tmp: '/tmp' },
          resources: resourcesBySize(['100m', '1', '384Mi', '256Mi'], ['250m', '2', '512Mi', '512Mi'], ['500m', '2', '1Gi', '1Gi']),
        },
      ],
      volumes: { tmp: { scratch: '256Mi' } },
      scaling: 'horizontal',
    },
    celeryComponent({
      name: 'worker',
      image: WORKERS_IMAGE,
      // The image's CMD (Dockerfile-pypi): the queue the beat producer sends work to.
      command: ['celery', '-A', 'main.celery_app', 'worker', '-Q', 'g2p_bridge_celery_worker_tasks', '--loglevel=info', '--concurrency=2'],
      env: () => ({ ...databaseEnv('G2P_BRIDGE_CELERY_WORKERS_'), ...celeryEnv('G2P_BRIDGE_CELERY_WORKERS_') }),
      resources: resourcesBySize(['100m', '1', '512Mi', '256Mi'], ['250m', '2', '768Mi', '512Mi'], ['500m', '2', '1Gi', '1Gi']),
      scaling: 'horizontal',
    }),
    celeryComponent({
      name: 'beat',
      image: BEAT_IMAGE,
      // The image's CMD with the schedule file moved to the scratch volume: Celery beat writes
      // `celerybeat-schedule` into its working directory, which is the read-only image.
      command: ['celery', '-A', 'main.celery_app', 'worker', '--beat', '--schedule', '/tmp/celerybeat-schedule', '--loglevel=info', '--concurrency=1'],
      env: () => ({
        ...databaseEnv('G2P_BRIDGE_CELERY_BEAT_'),
        ...celeryEnv('G2P_BRIDGE_CELERY_BEAT_'),
        // How often each step looks for pending work, in seconds (the release's default is an hour; OpenG2P's chart sets a minute).
        G2P_BRIDGE_CELERY_BEAT_MAPPER_RESOLVE_FREQUENCY: '60',
        G2P_BRIDGE_CELERY_BEAT_FUNDS_AVAILABLE_CHECK_FREQUENCY: '60',
        G2P_BRIDGE_CELERY_BEAT_FUNDS_BLOCKED_FREQUENCY: '60',
        G2P_BRIDGE_CELERY_BEAT_FUNDS_DISBURSEMENT_FREQUENCY: '60',
        G2P_BRIDGE_CELERY_BEAT_MT940_PROCESSOR_FREQUENCY: '60',
        // Pay on the envelope's schedule date only, never ahead of it.
        G2P_BRIDGE_CELERY_BEAT_PROCESS_FUTURE_DISBURSEMENT_SCHEDULES: 'false',
      }),
      resources: resourcesBySize(['50m', '500m', '384Mi', '256Mi'], ['100m', '1', '512Mi', '256Mi'], ['250m', '1', '768Mi', '512Mi']),
      scaling: { single: 'Celery beat is a scheduler: two would send every pending step to the workers twice' },
    }),
  ],
  confirm: {
    [API_IMAGE]: { pypi: 'openg2p-g2p-bridge-api' },
    [WORKERS_IMAGE]: { pypi: 'openg2p-g2p-bridge-celery-workers' },
    [BEAT_IMAGE]: { pypi: 'openg2p-g2p-bridge-celery-beat-producers' },
  },
  dataServices: {
    postgres: {
      database: 'g2p_bridge',
      owner: 'g2p_bridge',
      storage: perSize('5Gi', '20Gi', '100Gi'),
      resources: perSize({ cpu: '250m', memory: '512Mi' }, { cpu: '500m', memory: '1Gi' }, { cpu: '1', memory: '2Gi' }),
    },
    cache: {
      holds: 'the Celery queue of pending disbursement steps and their results; the state of every envelope and batch is in PostgreSQL, and the beat producer sends pending steps again',
      resources: resourcesBySize(['50m', '250m', '128Mi', '128Mi'], ['100m', '500m', '256Mi', '256Mi'], ['250m', '1', '512Mi', '512Mi']),
    },
  },
  secrets: [],
  apis: [
    {
      serviceCode: 'disbursement-api',
      // FastAPI's own document (the app keeps its default openapi_url); every route is at the root.
      openApiPath: '/openapi.json',
      basePath: '/',
      component: 'api',
      allowedCallers: ['registration', 'workflow', 'e-services'],
    },
  ],
  calls: [],
  verification: {
    level: 'harness-started',
    proves:
      'G2P Bridge 1.0.2 from PyPI, as its images\' Dockerfile-pypi install it (in Debian\'s Python; the differences are listed in the harness report), passes the probes of its three pods: the API\'s init container creates its tables in the configured database, the API answers /ping, serves the OpenAPI document X-Road registers and looks an envelope\'s programme up in that database; the Celery worker and beat producer answer their pings through the configured Valkey (Debian\'s Redis standing in), the worker consumes the beat producer\'s queue, and the beat producer keeps its schedule on its scratch volume',
  },
};
