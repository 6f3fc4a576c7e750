import { perSize, resourcesBySize } from '../sizing';
import type { CatalogueEntry, ContainerEntry, ProductContext } from '../types';

const IMAGE = 'quay.io/keycloak/keycloak:26.7.3';
/** Keycloak publishes every release to Maven Central, its server distribution included. */
const RELEASE = { maven: 'org.keycloak:keycloak-quarkus-dist' } as const;

/**
 * Build-time options. Keycloak re-augments itself into `lib/quarkus` whenever these differ from the
 * image's; with a read-only root filesystem that write fails (keycloak#44632), so an init container
 * runs `kc.sh build` once into a writable copy of `lib/quarkus`, and the server starts `--optimized`.
 */
const BUILD_OPTIONS = { KC_DB: 'postgres', KC_HEALTH_ENABLED: 'true', KC_METRICS_ENABLED: 'true' } as const;

const buildMounts = { quarkus: '/opt/keycloak/lib/quarkus', data: '/opt/keycloak/data', tmp: '/tmp' } as const;

const initContainers: readonly ContainerEntry[] = [
  {
    name: 'copy-quarkus',
    image: IMAGE,
    // The emptyDir must start with the image's own augmentation (quarkus-application.dat). Not `cp -a`:
    // the emptyDir belongs to root, so preserving its times fails (found by `npm run products`).
    command: ['/bin/sh', '-c', 'cp -R /opt/keycloak/lib/quarkus/. /mnt/quarkus/'],
    mounts: { quarkus: '/mnt/quarkus' },
    resources: resourcesBySize(['50m', '500m', '64Mi', '256Mi'], ['50m', '500m', '64Mi', '256Mi'], ['50m', '500m', '64Mi', '256Mi']),
  },
  {
    name: 'build',
    image: IMAGE,
    command: ['/opt/keycloak/bin/kc.sh', 'build'],
    env: () => BUILD_OPTIONS,
    mounts: buildMounts,
    resources: resourcesBySize(['250m', '1', '1Gi', '512Mi'], ['250m', '1', '1Gi', '512Mi'], ['250m', '1', '1Gi', '512Mi']),
  },
];

/** One realm per environment entry, imported at start; realms that already exist are left untouched. */
function realmFiles(ctx: ProductContext): Record<string, string> {
  const files: Record<string, string> = {};
  for (const realm of ctx.realms) {
    files[`${realm.name}-realm.json`] = `${JSON.stringify(
      {
        realm: realm.name,
        displayName: realm.displayName,
        enabled: true,
        sslRequired: 'external',
        registrationAllowed: false,
        resetPasswordAllowed: false,
        bruteForceProtected: true,
        passwordPolicy: 'length(12) and notUsername and notEmail',
      },
      null,
      2,
    )}\n`;
  }
  return files;
}

export const KEYCLOAK: CatalogueEntry = {
  buildingBlock: 'iam',
  product: 'keycloak',
  version: '26.7.3',
  displayName: 'Keycloak',
  homepage: 'https://www.keycloak.org',
  license: 'Apache-2.0',
  specVersion: 'security-requirements 1.0 (OIDC provider for the other building blocks)',
  deployment: {
    kind: 'manifests',
    reason: 'Keycloak publishes no Helm chart; its Operator would add a cluster-wide controller for one Deployment the kit renders directly.',
  },
  stages: ['sandbox', 'staging', 'production'],
  notes: [
    'Runs `start --optimized` (production mode) on PostgreSQL; TLS ends at the gateway (KC_HTTP_ENABLED, KC_PROXY_HEADERS=xforwarded).',
    'Only /realms/ and /resources/ are published on the external gateway; the admin console is on the internal gateway only.',
    'The bootstrap admin is temporary by design: create named administrators, then delete it.',
    'The build init container (copy of lib/quarkus + kc.sh build) follows the workaround for keycloak#44632; not yet tried on a cluster.',
    'Image tag 26.7.3: the newest Keycloak release the Maven Central reachable here lists (org.keycloak:keycloak-quarkus-dist; `npm run pins` checks it and reports newer patches); Keycloak publishes one container tag per release. 26.8.2, pinned before, is not there.',
  ],
  components: [
    {
      name: 'server',
      user: { uid: 1000, gid: 1000, reason: 'the image owns /opt/keycloak as uid 1000; the kit does not rebuild it' },
      initContainers,
      containers: [
        {
          name: 'keycloak',
          image: IMAGE,
          args: ['start', '--optimized', '--import-realm'],
          ports: [
            { name: 'http', port: 8080 },
            { name: 'management', port: 9000 },
            // jdbc-ping cluster transport, and FD_SOCK2 failure detection at its offset of 50000.
            { name: 'jgroups', port: 7800 },
            { name: 'jgroups-fd', port: 57800 },
          ],
          health: {
            startup: { http: '/health/started', port: 'management' },
            readiness: { http: '/health/ready', port: 'management' },
            liveness: { http: '/health/live', port: 'management' },
            startupSeconds: 300,
          },
          env: (ctx) => ({
            ...BUILD_OPTIONS,
            KC_DB_URL_HOST: { database: 'host' },
            KC_DB_URL_PORT: { database: 'port' },
            KC_DB_URL_DATABASE: { database: 'dbname' },
            KC_DB_USERNAME: { database: 'username' },
            KC_DB_PASSWORD: { database: 'password' },
            KC_HOSTNAME: ctx.publicUrl('server'),
            KC_HOSTNAME_ADMIN: ctx.publicUrl('server', 'internal'),
            KC_PROXY_HEADERS: 'xforwarded',
            KC_HTTP_ENABLED: 'true',
            // Cluster discovery through the database (jdbc-ping); the node name must be unique per pod.
            KC_CACHE_EMBEDDED_NODE_NAME: { pod: 'metadata.name' },
            KC_BOOTSTRAP_ADMIN_USERNAME: 'bootstrap-admin',
            KC_BOOTSTRAP_ADMIN_PASSWORD: { secret: 'bootstrap-admin', key: 'password' },
            KC_LOG_CONSOLE_OUTPUT: 'json',
          }),
          mounts: { ...buildMounts, realms: '/opt/keycloak/data/import' },
          secretsInEnvironment:
            'Keycloak reads options from its command line, environment, keycloak.conf or a Java KeyStore only, with no file-per-secret variant; a KeyStore needs its own password passed the same way',
          resources: resourcesBySize(['250m', '1', '1536Mi', '1Gi'], ['500m', '2', '2Gi', '1Gi'], ['1', '4', '3Gi', '2Gi']),
        },
      ],
      volumes: {
        quarkus: { scratch: '256Mi' },
        data: { scratch: '256Mi' },
        tmp: { scratch: '256Mi' },
        realms: { files: realmFiles },
      },
      scaling: 'horizontal',
      exposures: [
        { host: 'auth', gateway: 'external', paths: ['/realms/', '/resources/'] },
        { host: 'auth-admin', gateway: 'internal' },
      ],
      metrics: { port: 'management', path: '/metrics' },
    },
  ],
  confirm: { [IMAGE]: RELEASE },
  dataServices: {
    postgres: {
      database: 'keycloak',
      owner: 'keycloak',
      storage: perSize('5Gi', '10Gi', '20Gi'),
      resources: perSize({ cpu: '250m', memory: '512Mi' }, { cpu: '500m', memory: '1Gi' }, { cpu: '1', memory: '2Gi' }),
    },
  },
  secrets: [{ name: 'bootstrap-admin', keys: ['password'] }],
  // OIDC endpoints serve browsers and relying parties directly over TLS: GovStack passes no tokens
  // through the Information Mediator, so Keycloak registers no X-Road service.
  apis: [],
  calls: [],
  acceptsRealms: true,
  verification: {
    level: 'harness-started',
    proves: 'init containers complete, probes pass, and each realm of the environment answers its discovery document with the configured public issuer',
  },
};
