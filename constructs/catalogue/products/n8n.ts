import { perSize, resourcesBySize } from '../sizing';
import type { CatalogueEntry } from '../types';

const IMAGE = 'docker.n8n.io/n8nio/n8n:2.23.4';
/** The image installs the n8n package of the same version from npm. */
const RELEASE = { npm: 'n8n' } as const;

/**
 * n8n's home: it keeps its settings in `<home>/.n8n` and, at every start, writes the editor's static
 * files into `<home>/.cache/n8n/public` (n8n-core 2.23.1 instance-settings.js, n8n 2.23.4
 * commands/start.js). Set explicitly so these paths do not depend on the HOME the runtime gives uid 1000.
 */
const USER_FOLDER = '/home/node';

export const N8N: CatalogueEntry = {
  buildingBlock: 'workflow',
  product: 'n8n',
  version: '2.23.4',
  displayName: 'n8n',
  homepage: 'https://docs.n8n.io/hosting/',
  license: 'Sustainable Use License (fair-code: source available, not OSI open source)',
  specVersion: 'workflow 1.0 (a test-harness product of GovStack\'s workflow building block)',
  deployment: {
    kind: 'manifests',
    reason: 'The official chart pins the floating `stable` tag and leaves the root filesystem writable; one container is simpler rendered by the kit.',
  },
  stages: ['sandbox', 'staging', 'production'],
  notes: [
    'Regular execution mode: one main process. Several mains need queue mode with Redis and an Enterprise licence.',
    'N8N_ENCRYPTION_KEY encrypts stored credentials: it is generated once and must never change.',
    'Check the licence with your legal office: the Sustainable Use License restricts commercial redistribution.',
  ],
  components: [
    {
      name: 'main',
      user: { uid: 1000, gid: 1000, reason: 'the image runs as user node (1000) and keeps its settings in /home/node/.n8n' },
      containers: [
        {
          name: 'n8n',
          image: IMAGE,
          ports: [{ name: 'http', port: 5678 }],
          health: {
            startup: { http: '/healthz', port: 'http' },
            readiness: { http: '/healthz/readiness', port: 'http' },
            liveness: { http: '/healthz', port: 'http' },
            startupSeconds: 300,
          },
          env: (ctx) => ({
            DB_TYPE: 'postgresdb',
            DB_POSTGRESDB_HOST: { database: 'host' },
            DB_POSTGRESDB_PORT: { database: 'port' },
            DB_POSTGRESDB_DATABASE: { database: 'dbname' },
            DB_POSTGRESDB_USER: { database: 'username' },
            // n8n reads every setting from `<NAME>_FILE` when that is set: secrets stay out of the environment.
            DB_POSTGRESDB_PASSWORD_FILE: { file: { database: 'password' } },
            N8N_ENCRYPTION_KEY_FILE: { file: { secret: 'encryption', key: 'key' } },
            N8N_USER_FOLDER: USER_FOLDER,
            N8N_HOST: new URL(ctx.publicUrl('main')).host,
            N8N_PORT: '5678',
            N8N_PROTOCOL: 'https',
            N8N_EDITOR_BASE_URL: ctx.publicUrl('main'),
            WEBHOOK_URL: ctx.publicUrl('main'),
            N8N_PROXY_HOPS: '1',
            N8N_DIAGNOSTICS_ENABLED: 'false',
            N8N_METRICS: 'true',
            GOVSTACK_DIGITAL_REGISTRIES_URL: { call: { buildingBlock: 'digital-registries', part: 'url' } },
            GOVSTACK_DIGITAL_REGISTRIES_XROAD_CLIENT: { call: { buildingBlock: 'digital-registries', part: 'xroad-client' } },
            GOVSTACK_REGISTRATION_URL: { call: { buildingBlock: 'registration', part: 'url' } },
            GOVSTACK_REGISTRATION_XROAD_CLIENT: { call: { buildingBlock: 'registration', part: 'xroad-client' } },
            GOVSTACK_MESSAGING_URL: { call: { buildingBlock: 'messaging', part: 'url' } },
            GOVSTACK_MESSAGING_XROAD_CLIENT: { call: { buildingBlock: 'messaging', part: 'xroad-client' } },
            GOVSTACK_CONSENT_URL: { call: { buildingBlock: 'consent', part: 'url' } },
            GOVSTACK_CONSENT_XROAD_CLIENT: { call: { buildingBlock: 'consent', part: 'xroad-client' } },
            GOVSTACK_SCHEDULING_URL: { call: { buildingBlock: 'scheduling', part: 'url' } },
            GOVSTACK_SCHEDULING_XROAD_CLIENT: { call: { buildingBlock: 'scheduling', part: 'xroad-client' } },
            GOVSTACK_PAYMENTS_URL: { call: { buildingBlock: 'payments', part: 'url' } },
            GOVSTACK_PAYMENTS_XROAD_CLIENT: { call: { buildingBlock: 'payments', part: 'xroad-client' } },
          }),
          mounts: { data: `${USER_FOLDER}/.n8n`, cache: `${USER_FOLDER}/.cache`, tmp: '/tmp' },
          // 1Gi at least, whatever the size: Node.js gives V8 an old generation of a quarter of the
          // container's memory, twice that on 64-bit (256 MiB under 512Mi), and n8n 2.23.4 runs out
          // of heap with that while it loads its nodes at start ("Reached heap limit", found by the
          // product harness). With 1Gi's 512 MiB its start peaks at 657 MiB of anonymous memory
          // (main process and its JS task runner; 769 MiB resident) and settles near 520 MiB. n8n's
          // own sizing example asks 320 MB to 2 GB (docs.n8n.io, OEM deployment prerequisites).
          resources: resourcesBySize(['200m', '1', '1Gi', '1Gi'], ['500m', '2', '1Gi', '1Gi'], ['1', '4', '2Gi', '2Gi']),
        },
      ],
      // The editor's static files are regenerated at every start: scratch space is enough.
      volumes: { data: { scratch: '1Gi' }, cache: { scratch: '256Mi' }, tmp: { scratch: '512Mi' } },
      scaling: { single: 'regular mode runs one main process; several need queue mode and an Enterprise licence' },
      exposures: [{ host: 'workflow', gateway: 'internal' }],
      metrics: { port: 'http', path: '/metrics' },
    },
  ],
  confirm: { [IMAGE]: RELEASE },
  dataServices: {
    postgres: {
      database: 'n8n',
      owner: 'n8n',
      storage: perSize('5Gi', '20Gi', '50Gi'),
      resources: perSize({ cpu: '250m', memory: '512Mi' }, { cpu: '500m', memory: '1Gi' }, { cpu: '1', memory: '2Gi' }),
    },
  },
  secrets: [
    { name: 'encryption', keys: ['key'], neverRotate: 'it encrypts every stored credential; a new key makes them unreadable' },
  ],
  apis: [
    {
      serviceCode: 'workflow-api',
      openApiPath: '/api/v1/openapi.yml',
      basePath: '/api/v1',
      component: 'main',
      allowedCallers: ['registration', 'e-services'],
    },
  ],
  calls: ['digital-registries', 'registration', 'messaging', 'consent', 'scheduling', 'payments'],
  // n8n-nodes-base HttpSslAuth.credentials.ts: the HTTP Request node takes a client certificate only as PEM text in a credential.
  xroadClientLimitation:
    'n8n\'s HTTP Request node presents a client certificate only from an "SSL Certificates" credential holding the PEM text (no file path, no environment variable). Until an operator creates that credential from the Secret xroad-client-tls in bb-workflow (tls.crt, tls.key, ca.crt) and uses it in the workflows that call X-Road, the security server refuses them; the certificate is renewed every 60 days, and the credential must be updated each time (the previous certificate stays registered until the renewal after). The same credential\'s CA field, from ca.crt of that Secret, is what lets n8n verify the security server, whose certificate the cluster\'s internal CA issues.',
  verification: {
    level: 'harness-started',
    proves:
      'n8n 2.23.4 from the npm registry (laid out as the image\'s /usr/local, on Node.js 24; the differences are listed in the harness report) passes its probes on PostgreSQL; its migrations create its tables in the configured database and schema, it keeps the encryption key of the pod\'s Secret in the configured user folder, /metrics reports its version, and the public API serves the OpenAPI description the kit publishes and refuses calls without an API key',
  },
};
