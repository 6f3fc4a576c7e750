import { perSize, resourcesBySize } from '../sizing';
import type { CatalogueEntry, EnvContract, Health } from '../types';

const BACKEND_IMAGE = 'docker.io/baserow/backend:1.35.3';
const FRONTEND_IMAGE = 'docker.io/baserow/web-frontend:1.35.3';
/** Baserow ships as images only (PyPI's "baserow" is an unrelated 0.0.1 placeholder). */
const RELEASE = { unavailable: 'Baserow publishes its releases as images only, to no package registry; release tag 1.35.3 in gitlab.com/baserow/baserow' } as const;

/** Both images run as baserow_docker_user (9999:9999), numerically. */
const BASEROW_USER = { uid: 9999, gid: 9999, reason: 'Baserow images own their working directories as 9999:9999; the kit does not rebuild them' };

const ENTRYPOINT = '/baserow/backend/docker/docker-entrypoint.sh';

/** Every process of the backend image reads the same secrets, and only from the environment. */
const SECRETS_IN_ENVIRONMENT =
  'Baserow\'s Django settings read SECRET_KEY, BASEROW_JWT_SIGNING_KEY, DATABASE_PASSWORD and REDIS_PASSWORD with os.getenv only (settings/base.py); the images have no _FILE variants';

/** What every process of the backend image needs: database, Redis (Valkey), secrets and public URL. */
const backendEnv: EnvContract = (ctx) => ({
  SECRET_KEY: { secret: 'secrets', key: 'secret-key' },
  BASEROW_JWT_SIGNING_KEY: { secret: 'secrets', key: 'jwt-signing-key' },
  DATABASE_HOST: { database: 'host' },
  DATABASE_PORT: { database: 'port' },
  DATABASE_NAME: { database: 'dbname' },
  DATABASE_USER: { database: 'username' },
  DATABASE_PASSWORD: { database: 'password' },
  REDIS_HOST: { cache: 'host' },
  REDIS_PORT: { cache: 'port' },
  REDIS_PASSWORD: { cache: 'password' },
  BASEROW_PUBLIC_URL: ctx.publicUrl('backend'),
  PRIVATE_BACKEND_URL: ctx.serviceUrl('backend'),
  // Django checks the Host header: callers through X-Road reach the Service by its cluster name.
  BASEROW_EXTRA_ALLOWED_HOSTS: [ctx.serviceHost('backend'), new URL(ctx.publicUrl('backend')).host].join(','),
  BASEROW_ENABLE_SECURE_PROXY_SSL_HEADER: 'yes',
  MEDIA_ROOT: '/baserow/media',
  // gunicorn's worker heartbeat files default to /dev/shm.
  TMPDIR: '/tmp',
  SYNC_TEMPLATES_ON_STARTUP: 'false',
  BASEROW_OSS_ONLY: 'true',
});

/** The exec health checks the backend image ships, for processes without an HTTP port. */
function celeryHealth(check: string): Health {
  const probe = { exec: ['/bin/bash', ENTRYPOINT, check] } as const;
  return { startup: probe, readiness: probe, liveness: probe, startupSeconds: 300 };
}

export const BASEROW: CatalogueEntry = {
  buildingBlock: 'digital-registries',
  product: 'baserow',
  version: '1.35.3',
  displayName: 'Baserow',
  homepage: 'https://baserow.io',
  license: 'MIT (the OSS edition the kit runs; premium features are not enabled)',
  specVersion: 'digital-registries 1.0 (registry databases with a REST API; not the GovStack registry API itself)',
  deployment: {
    kind: 'manifests',
    reason: 'Baserow\'s chart bundles Bitnami PostgreSQL and Redis and MinIO and disables security contexts; the kit renders its processes with the kit\'s own data services.',
  },
  stages: ['sandbox', 'staging', 'production'],
  notes: [
    'GovStack\'s sandbox ran Baserow as a digital registry. Baserow serves its own REST API (database tokens), not the GovStack /data/{registry}/{version} API; an adapter is not part of the kit.',
    'The GovStack digital-registries emulator is left out: its image is only published to the sandbox\'s private registry with a `latest` tag.',
    'Uploaded files live on a volume every backend replica (API server and Celery worker) mounts, ReadWriteMany on the environment\'s shared class; without one (a cloud staging environment, the sandbox) the backend runs one replica on its own claim.',
    'Schema migrations run when each API server starts (MIGRATE_ON_STARTUP) under a PostgreSQL advisory lock (the entrypoint\'s locked_migrate), so replicas starting together migrate once.',
  ],
  components: [
    {
      name: 'backend',
      user: BASEROW_USER,
      containers: [
        {
          name: 'api',
          image: BACKEND_IMAGE,
          args: ['gunicorn'],
          ports: [{ name: 'http', port: 8000 }],
          health: {
            startup: { http: '/api/_health/', port: 'http', host: 'localhost' },
            readiness: { http: '/api/_health/', port: 'http', host: 'localhost' },
            liveness: { tcp: 'http' },
            startupSeconds: 900,
          },
          secretsInEnvironment: SECRETS_IN_ENVIRONMENT,
          env: (ctx) => ({ ...backendEnv(ctx), MIGRATE_ON_STARTUP: 'true', BASEROW_AMOUNT_OF_GUNICORN_WORKERS: '3' }),
          mounts: { media: '/baserow/media', tmp: '/tmp' },
          resources: resourcesBySize(['250m', '1', '1Gi', '1Gi'], ['500m', '2', '2Gi', '1Gi'], ['1', '4', '4Gi', '2Gi']),
        },
        {
          name: 'worker',
          image: BACKEND_IMAGE,
          args: ['celery-worker'],
          health: celeryHealth('celery-worker-healthcheck'),
          secretsInEnvironment: SECRETS_IN_ENVIRONMENT,
          env: (ctx) => ({ ...backendEnv(ctx), MIGRATE_ON_STARTUP: 'false', BASEROW_AMOUNT_OF_WORKERS: '1' }),
          mounts: { media: '/baserow/media', 'worker-tmp': '/tmp' },
          resources: resourcesBySize(['100m', '1', '768Mi', '1Gi'], ['250m', '2', '1Gi', '1Gi'], ['500m', '2', '2Gi', '2Gi']),
        },
      ],
      volumes: {
        media: { shared: perSize('10Gi', '50Gi', '200Gi') },
        tmp: { scratch: '1Gi' },
        'worker-tmp': { scratch: '1Gi' },
      },
      // API servers and Celery workers both scale out: the channel layer and task queue are in Valkey.
      scaling: 'horizontal',
      exposures: [{ host: 'registry', gateway: 'internal', paths: ['/api/', '/ws/', '/media/'] }],
    },
    {
      name: 'beat',
      user: BASEROW_USER,
      containers: [
        {
          name: 'beat',
          image: BACKEND_IMAGE,
          args: ['celery-beat'],
          // The scheduler keeps its schedule in Redis (RedBeat) and has no health command: check the process.
          health: {
            startup: { exec: ['/bin/bash', '-c', 'grep -qs beat /proc/[0-9]*/cmdline'] },
            readiness: { exec: ['/bin/bash', '-c', 'grep -qs beat /proc/[0-9]*/cmdline'] },
            liveness: { exec: ['/bin/bash', '-c', 'grep -qs beat /proc/[0-9]*/cmdline'] },
            startupSeconds: 300,
          },
          secretsInEnvironment: SECRETS_IN_ENVIRONMENT,
          env: (ctx) => ({ ...backendEnv(ctx), MIGRATE_ON_STARTUP: 'false' }),
          mounts: { tmp: '/tmp' },
          resources: resourcesBySize(['50m', '500m', '256Mi', '256Mi'], ['50m', '500m', '256Mi', '256Mi'], ['100m', '1', '512Mi', '512Mi']),
        },
      ],
      volumes: { tmp: { scratch: '256Mi' } },
      scaling: { single: 'Celery beat is a scheduler: two would enqueue every periodic task twice' },
    },
    {
      name: 'web',
      user: BASEROW_USER,
      containers: [
        {
          name: 'web-frontend',
          image: FRONTEND_IMAGE,
          args: ['nuxt-local'],
          ports: [{ name: 'http', port: 3000 }],
          health: {
            startup: { http: '/_health/', port: 'http' },
            readiness: { http: '/_health/', port: 'http' },
            liveness: { tcp: 'http' },
            startupSeconds: 180,
          },
          env: (ctx) => ({
            BASEROW_PUBLIC_URL: ctx.publicUrl('web'),
            PRIVATE_BACKEND_URL: ctx.serviceUrl('backend'),
            DOWNLOAD_FILE_VIA_XHR: '1',
          }),
          mounts: { tmp: '/tmp' },
          resources: resourcesBySize(['100m', '1', '512Mi', '512Mi'], ['250m', '1', '768Mi', '512Mi'], ['500m', '2', '1Gi', '1Gi']),
        },
      ],
      volumes: { tmp: { scratch: '256Mi' } },
      scaling: 'horizontal',
      exposures: [{ host: 'registry', gateway: 'internal' }],
    },
  ],
  confirm: { [BACKEND_IMAGE]: RELEASE, [FRONTEND_IMAGE]: RELEASE },
  dataServices: {
    postgres: {
      database: 'baserow',
      owner: 'baserow',
      storage: perSize('10Gi', '50Gi', '200Gi'),
      resources: perSize({ cpu: '250m', memory: '512Mi' }, { cpu: '1', memory: '2Gi' }, { cpu: '2', memory: '4Gi' }),
    },
    cache: {
      holds: 'the Celery task queue, the RedBeat schedule and real-time collaboration channels; queued jobs are lost on restart, no registry data',
      resources: resourcesBySize(['50m', '250m', '128Mi', '256Mi'], ['100m', '500m', '512Mi', '512Mi'], ['250m', '1', '1Gi', '1Gi']),
    },
  },
  secrets: [{ name: 'secrets', keys: ['secret-key', 'jwt-signing-key'] }],
  apis: [
    {
      serviceCode: 'registry-database',
      openApiPath: '/api/schema.json',
      basePath: '/api/database',
      component: 'backend',
      allowedCallers: ['registration', 'workflow', 'identity', 'e-services'],
    },
  ],
  calls: [],
  verification: {
    level: 'harness-unavailable',
    reason: 'Baserow publishes its server only as container images and source: PyPI\'s "baserow" is a 0.0.1 placeholder and npm has no Baserow server, so no reachable registry carries the release the images are built from',
  },
};
