import { fixedResources, perSize, resourcesBySize } from '../sizing';
import type { CatalogueEntry, EnvContract, ProductContext } from '../types';
import { ESIGNET_SCHEMA, MOCK_IDENTITY_SCHEMA, schemaSql } from './esignet-schema';

const ESIGNET_IMAGE = 'docker.io/mosipid/esignet-with-plugins:1.8.0';
const MOCK_IDENTITY_IMAGE = 'docker.io/mosipid/mock-identity-system:0.13.0';
const OIDC_UI_IMAGE = 'docker.io/mosipid/oidc-ui:1.8.0';
/** Maven Central is where MOSIP publishes jars, but this release only as images. */
const RELEASED_AS_IMAGES_ONLY = {
  unavailable:
    'MOSIP released eSignet 1.8.0 with mock-identity-system 0.13.0 and oidc-ui 1.8.0 as images only (mosip/release-script, "esignet 1.8.0 release"); Maven Central has io.mosip.esignet:esignet-core up to 1.7.0',
} as const;

/** MOSIP images run as `mosip` (1001:1001) and own /home/mosip, where the jars live. */
const MOSIP_USER = { uid: 1001, gid: 1001, reason: 'MOSIP images own /home/mosip as 1001:1001; the kit does not rebuild them' };

/** Both services take their credentials as Spring properties from the environment. */
const SECRETS_IN_ENVIRONMENT =
  'MOSIP\'s Spring services read their database, Redis and keystore passwords as Spring properties and their images offer no _FILE variants; a Spring config-tree import beside MOSIP\'s Spring Cloud bootstrap is not tried yet';

/** Where each service's PKCS12 keystore lives: the master keys that wrap the keys stored in PostgreSQL. */
const KEYSTORE_DIR = '/var/lib/mosip/keys';

/** Spring Boot settings both Java services share: no config server, no file writes, actuator limited to health. */
const SPRING_COMMON = {
  SPRING_CLOUD_CONFIG_ENABLED: 'false',
  SERVER_TOMCAT_BASEDIR: '/tmp/tomcat',
  // The upstream bootstrap exposes every actuator endpoint, env values included: keep only health and info.
  MANAGEMENT_ENDPOINTS_WEB_EXPOSURE_INCLUDE: 'health,info',
  MANAGEMENT_ENDPOINT_ENV_SHOW_VALUES: 'NEVER',
  MANAGEMENT_ENDPOINT_HEALTH_PROBES_ENABLED: 'true',
  JAVA_TOOL_OPTIONS: '-XX:MaxRAMPercentage=70',
} as const;

function jdbcUrl(ctx: ProductContext, schema: string): string {
  if (!ctx.database) throw new Error('esignet needs its PostgreSQL database');
  return `jdbc:postgresql://${ctx.database.host}:${ctx.database.port}/${ctx.database.name}?currentSchema=${schema}`;
}

const esignetEnv: EnvContract = (ctx) => ({
  ...SPRING_COMMON,
  MOSIP_ESIGNET_DATABASE_URL: jdbcUrl(ctx, 'esignet'),
  MOSIP_ESIGNET_DATABASE_USERNAME: { database: 'username' },
  MOSIP_ESIGNET_DATABASE_PASSWORD: { database: 'password' },
  // The issuer and every discovery URL derive from this: the public host the UI serves.
  MOSIP_ESIGNET_DOMAIN_URL: ctx.publicUrl('ui'),
  MOSIP_ESIGNET_MOCK_DOMAIN_URL: ctx.serviceUrl('mock-identity'),
  MOSIP_ESIGNET_INTEGRATION_KEY_BINDER: 'MockKeyBindingWrapperService',
  SPRING_CACHE_TYPE: 'redis',
  SPRING_DATA_REDIS_HOST: { cache: 'host' },
  SPRING_DATA_REDIS_PORT: { cache: 'port' },
  SPRING_DATA_REDIS_PASSWORD: { cache: 'password' },
  KAFKA_ENABLED: 'false',
  SPRING_AUTOCONFIGURE_EXCLUDE: 'org.springframework.boot.autoconfigure.kafka.KafkaAutoConfiguration',
  MOSIP_KERNEL_KEYMANAGER_HSM_CONFIG_PATH: `${KEYSTORE_DIR}/esignet.p12`,
  MOSIP_KERNEL_KEYMANAGER_HSM_KEYSTORE_PASS: { secret: 'keystores', key: 'esignet' },
});

const mockIdentityEnv: EnvContract = (ctx) => ({
  ...SPRING_COMMON,
  SPRING_DATASOURCE_URL: jdbcUrl(ctx, 'mockidentitysystem'),
  SPRING_DATASOURCE_USERNAME: { database: 'username' },
  SPRING_DATASOURCE_PASSWORD: { database: 'password' },
  MOSIP_MOCKIDENTITYSYSTEM_ESIGNET_ISSUER_ID: `${ctx.publicUrl('ui')}/v1/esignet`,
  MOSIP_MOCK_IDA_KYC_TRANSACTION_TIMEOUT_SECS: '900',
  MOSIP_KERNEL_KEYMANAGER_HSM_CONFIG_PATH: `${KEYSTORE_DIR}/mock-identity.p12`,
  MOSIP_KERNEL_KEYMANAGER_HSM_KEYSTORE_PASS: { secret: 'keystores', key: 'mock-identity' },
});

/**
 * nginx for the sign-in UI. The image's own configuration proxies to a hard-coded `esignet.esignet`
 * Service and writes its pid and temp files into the image; this one writes only to /tmp, proxies
 * to the kit's eSignet Service, and publishes only the OIDC endpoints: client management, system
 * info and the actuator are reachable only inside the namespace (client management through X-Road).
 */
function nginxConf(ctx: ProductContext): Record<string, string> {
  const upstream = `${ctx.serviceUrl('server')}`;
  return {
    'nginx.conf': `worker_processes auto;
pid /tmp/nginx.pid;
error_log /dev/stderr warn;
events { worker_connections 1024; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log /dev/stdout;
  server_tokens off;
  client_body_temp_path /tmp/client_body;
  proxy_temp_path /tmp/proxy;
  fastcgi_temp_path /tmp/fastcgi;
  uwsgi_temp_path /tmp/uwsgi;
  scgi_temp_path /tmp/scgi;
  server {
    listen 3000;
    root /usr/share/nginx/html;
    location = /healthz { access_log off; return 200 "ok\\n"; }
    location ~ ^/v1/esignet/(client-mgmt|system-info|actuator)(/|$) { return 404; }
    location /v1/esignet/ { proxy_pass ${upstream}/v1/esignet/; proxy_set_header X-Forwarded-Proto https; }
    location = /.well-known/openid-configuration { proxy_pass ${upstream}/v1/esignet/oidc/.well-known/openid-configuration; }
    location = /.well-known/jwks.json { proxy_pass ${upstream}/v1/esignet/oauth/.well-known/jwks.json; }
    location = /.well-known/oauth-authorization-server { proxy_pass ${upstream}/v1/esignet/oauth/.well-known/oauth-authorization-server; }
    location / { try_files $uri $uri/ /index.html; }
  }
}
`,
  };
}

/**
 * Run once by CloudNativePG in the new database: each service's complete schema (neither creates
 * its own tables, see esignet-schema.ts), owned by the application role, with the key policies the
 * key managers read when they generate their keys at start.
 */
function initSql(owner: string): string {
  return [
    schemaSql(ESIGNET_SCHEMA, owner),
    schemaSql(MOCK_IDENTITY_SCHEMA, owner),
    `ALTER ROLE ${owner} SET search_path TO ${ESIGNET_SCHEMA.schema}, ${MOCK_IDENTITY_SCHEMA.schema}, public;`,
  ].join('\n');
}

const javaHealth = (base: string) =>
  ({
    startup: { http: `${base}/actuator/health`, port: 'http' },
    readiness: { http: `${base}/actuator/health/readiness`, port: 'http' },
    liveness: { http: `${base}/actuator/health/liveness`, port: 'http' },
    startupSeconds: 600,
  }) as const;

export const ESIGNET: CatalogueEntry = {
  buildingBlock: 'identity',
  product: 'esignet',
  version: '1.8.0',
  displayName: 'MOSIP eSignet with the mock identity system',
  homepage: 'https://docs.esignet.io',
  license: 'MPL-2.0',
  specVersion: 'identity 1.0 (OIDC authentication against a foundational ID)',
  deployment: {
    kind: 'manifests',
    reason: 'MOSIP\'s charts disable container security contexts, run an init container as root and assume Istio; the kit renders the three services restricted instead.',
  },
  // eSignet's own README: the compose setup and mock identity system are not for production.
  stages: ['sandbox', 'staging'],
  notes: [
    'What GovStack\'s sandbox fell back to when full MOSIP proved too heavy: eSignet authenticates against the mock identity system.',
    'The images\' entrypoint runs `sudo install.sh` (HSM client) unless the profile is exactly "local"; the kit starts the jars directly with the mock plugin on the loader path instead.',
    'Keystores (PKCS12, the key manager\'s master keys) are on persistent volumes: losing one makes the keys in PostgreSQL useless, so each service runs as a single pod.',
    'Neither service creates its tables: the database\'s init SQL creates both schemas complete (tables, key policies, server profiles), from MOSIP\'s db_scripts at v1.8.0 / v0.13.0; it runs when the database is first created.',
    'Command override, schemas and the nginx configuration follow the upstream files read at v1.8.0 / v0.13.0; not yet tried on a cluster.',
  ],
  components: [
    {
      name: 'server',
      user: MOSIP_USER,
      containers: [
        {
          name: 'esignet',
          image: ESIGNET_IMAGE,
          workingDir: '/home/mosip',
          command: ['java'],
          args: [
            '-Dloader.path=/home/mosip/plugins/esignet-mock-plugin.jar',
            '-Dspring.profiles.active=default,local',
            '-jar',
            '/home/mosip/esignet-service.jar',
          ],
          ports: [{ name: 'http', port: 8088 }],
          health: javaHealth('/v1/esignet'),
          env: esignetEnv,
          secretsInEnvironment: SECRETS_IN_ENVIRONMENT,
          mounts: { tmp: '/tmp', keystore: KEYSTORE_DIR },
          resources: resourcesBySize(['100m', '1', '1536Mi', '1Gi'], ['250m', '2', '2Gi', '1Gi'], ['500m', '2', '3Gi', '2Gi']),
        },
      ],
      volumes: { tmp: { scratch: '512Mi' }, keystore: { persistent: perSize('1Gi', '1Gi', '1Gi'), storage: 'data' } },
      scaling: { single: 'its PKCS12 keystore is on a ReadWriteOnce volume; more replicas need the keystore from a Secret or an HSM' },
    },
    {
      name: 'mock-identity',
      user: MOSIP_USER,
      containers: [
        {
          name: 'mock-identity-system',
          image: MOCK_IDENTITY_IMAGE,
          workingDir: '/home/mosip',
          command: ['java'],
          args: ['-Dspring.profiles.active=default,local', '-jar', '/home/mosip/mock-identity-system.jar'],
          // The Dockerfile says 8081; the application listens on 8082.
          ports: [{ name: 'http', port: 8082 }],
          health: javaHealth('/v1/mock-identity-system'),
          env: mockIdentityEnv,
          secretsInEnvironment: SECRETS_IN_ENVIRONMENT,
          mounts: { tmp: '/tmp', keystore: KEYSTORE_DIR },
          resources: resourcesBySize(['100m', '1', '1Gi', '1Gi'], ['250m', '1', '1536Mi', '1Gi'], ['500m', '2', '2Gi', '1Gi']),
        },
      ],
      volumes: { tmp: { scratch: '512Mi' }, keystore: { persistent: perSize('1Gi', '1Gi', '1Gi'), storage: 'data' } },
      scaling: { single: 'its PKCS12 keystore is on a ReadWriteOnce volume' },
    },
    {
      name: 'ui',
      user: MOSIP_USER,
      initContainers: [
        {
          name: 'render-ui',
          image: OIDC_UI_IMAGE,
          // The upstream entrypoint rewrites the UI in place; run it against a writable copy instead.
          command: ['/bin/sh', '-c', 'cp -a /usr/share/nginx/html/. /work/html/ && exec sh /home/mosip/configure_start.sh true'],
          env: () => ({
            nginx_dir: '/work',
            work_dir: '/work/html',
            i18n_path: '/work/html/locales',
            theme_path: '/work/html/theme',
            image_path: '/work/html/images',
            plugins_path: '/work/html/plugins',
          }),
          mounts: { html: '/work/html', tmp: '/tmp' },
          resources: fixedResources(['50m', '500m', '128Mi', '256Mi']),
        },
      ],
      containers: [
        {
          name: 'oidc-ui',
          image: OIDC_UI_IMAGE,
          command: ['nginx', '-c', '/etc/govstack/nginx.conf', '-g', 'daemon off;'],
          ports: [{ name: 'http', port: 3000 }],
          health: {
            startup: { http: '/healthz', port: 'http' },
            readiness: { http: '/', port: 'http' },
            liveness: { http: '/healthz', port: 'http' },
            startupSeconds: 60,
          },
          mounts: { html: '/usr/share/nginx/html', tmp: '/tmp', cache: '/var/cache/nginx', conf: '/etc/govstack' },
          resources: resourcesBySize(['50m', '250m', '64Mi', '256Mi'], ['100m', '500m', '128Mi', '256Mi'], ['200m', '1', '256Mi', '512Mi']),
        },
      ],
      volumes: { html: { scratch: '256Mi' }, tmp: { scratch: '128Mi' }, cache: { scratch: '128Mi' }, conf: { files: nginxConf } },
      scaling: 'horizontal',
      exposures: [{ host: 'esignet', gateway: 'external' }],
    },
  ],
  confirm: { [ESIGNET_IMAGE]: RELEASED_AS_IMAGES_ONLY, [MOCK_IDENTITY_IMAGE]: RELEASED_AS_IMAGES_ONLY, [OIDC_UI_IMAGE]: RELEASED_AS_IMAGES_ONLY },
  dataServices: {
    postgres: {
      database: 'esignet',
      owner: 'esignet',
      storage: perSize('5Gi', '10Gi', '20Gi'),
      resources: perSize({ cpu: '250m', memory: '512Mi' }, { cpu: '500m', memory: '1Gi' }, { cpu: '1', memory: '2Gi' }),
      initSql,
    },
    cache: {
      holds: 'eSignet\'s OIDC transactions in flight (minutes); a restart only makes users sign in again',
      resources: resourcesBySize(['50m', '250m', '128Mi', '256Mi'], ['100m', '500m', '256Mi', '512Mi'], ['200m', '1', '512Mi', '1Gi']),
    },
  },
  secrets: [
    {
      name: 'keystores',
      keys: ['esignet', 'mock-identity'],
      neverRotate: 'each password opens a keystore written on first start; a new value locks the services out of their keys',
    },
  ],
  apis: [
    {
      serviceCode: 'oidc-client-management',
      openApiPath: '/v1/esignet/v3/api-docs',
      basePath: '/v1/esignet/client-mgmt',
      component: 'server',
      allowedCallers: ['e-services'],
    },
    {
      serviceCode: 'mock-identity',
      openApiPath: '/v1/mock-identity-system/v3/api-docs',
      basePath: '/v1/mock-identity-system',
      component: 'mock-identity',
      allowedCallers: ['registration', 'e-services'],
    },
  ],
  calls: [],
  verification: {
    level: 'harness-unavailable',
    reason: 'eSignet\'s service is published only as the mosipid/esignet-with-plugins image: Maven Central has the io.mosip.esignet libraries (esignet-core, newest 1.7.0) but no runnable esignet-service and none of the plugins the image bundles',
  },
};
