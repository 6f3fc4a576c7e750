import { perSize, resourcesBySize } from '../sizing';
import type { ApiCaller, BuildingBlockId, CatalogueEntry, ProductContext } from '../types';

const IMAGE = 'docker.io/camunda/camunda-bpm-platform:run-7.24.0';
/** Run itself is not on Maven Central; the engine's bill of materials is, at every Community Edition release. */
const RELEASE = { maven: 'org.camunda.bpm:camunda-bom', version: '7.24.0' } as const;

/**
 * The administrator's user id. Camunda checks every user id against `userResourceWhitelistPattern`,
 * by default the general pattern `[a-zA-Z0-9]+|camunda-admin` (engine ProcessEngineConfiguration.java,
 * SaveUserCmd.java at 7.24): an id with a hyphen stops the engine when Run creates the administrator.
 */
const ADMIN_ID = 'kitadmin';

/** Where the administrator's Secret is mounted; Spring Boot reads it as a config tree (`admin/password` → `admin.password`). */
const SECRETS_DIR = '/camunda/secrets';

/**
 * Replaces Camunda Run's `production.yml` (chosen by `--production`): authentication on the REST API
 * and authorization checks on, CORS off, no demo user, and an administrator whose password is
 * generated in the cluster. Plain HTTP on 8080: TLS ends at the gateway or the security server.
 * `${…}` are Spring placeholders: the administrator's id from the environment, the password from
 * the file of its Secret.
 */
function productionYaml(_ctx: ProductContext): Record<string, string> {
  return {
    'production.yml': `spring:
  config:
    import: configtree:${SECRETS_DIR}/
camunda.bpm:
  admin-user:
    id: \${CAMUNDA_ADMIN_ID}
    password: \${admin.password}
  authorization:
    enabled: true
  generic-properties:
    properties:
      enable-password-policy: true
  run:
    auth:
      enabled: true
    cors:
      enabled: false
server:
  port: 8080
`,
  };
}

/** GovStack calls this product makes, as environment variables a process model can read. */
function callEnv(calls: readonly BuildingBlockId[]) {
  return Object.fromEntries(
    calls.flatMap((buildingBlock) => {
      const prefix = `GOVSTACK_${buildingBlock.toUpperCase().replace(/-/g, '_')}`;
      return [
        [`${prefix}_URL`, { call: { buildingBlock, part: 'url' } }],
        [`${prefix}_XROAD_CLIENT`, { call: { buildingBlock, part: 'xroad-client' } }],
      ] as const;
    }),
  );
}

interface CamundaRole {
  readonly buildingBlock: BuildingBlockId;
  readonly host: string;
  readonly specVersion: string;
  readonly allowedCallers: readonly ApiCaller[];
  readonly calls: readonly BuildingBlockId[];
  readonly role: string;
}

/** Camunda 7 Run as an entry for one building block: the engine is the same, the role and wiring differ. */
function camunda(role: CamundaRole): CatalogueEntry {
  return {
    buildingBlock: role.buildingBlock,
    product: 'camunda',
    version: '7.24.0',
    displayName: 'Camunda 7 Run',
    homepage: 'https://docs.camunda.org/manual/7.24/user-guide/camunda-bpm-run/',
    license: 'Apache-2.0 (Community Edition)',
    specVersion: role.specVersion,
    deployment: {
      kind: 'manifests',
      reason: 'Camunda 7 publishes no official Helm chart; Run is one container the kit renders directly.',
    },
    stages: ['sandbox', 'staging', 'production'],
    notes: [
      role.role,
      '7.24.0 is the last Community Edition release (community support ended Oct 2025): plan the successor (Camunda 8, n8n or OpenFn) before a long-lived production.',
      'Started with --production and the kit\'s production.yml: REST authentication and authorization on, no demo/demo user; the administrator\'s password is generated in the cluster.',
      'Passwords are read from files, not the environment: the database password through DB_PASSWORD_FILE (the image\'s camunda.sh), the administrator\'s through a Spring Boot config tree; not yet tried on a cluster.',
      'Run has no health endpoint and its REST API needs authentication, so probes check the TCP port.',
      'Several replicas share one engine database; the web applications then need sticky sessions at the gateway.',
    ],
    components: [
      {
        name: 'engine',
        user: { uid: 1000, gid: 1000, reason: 'the image runs as user camunda (1000) and owns /camunda; the kit does not rebuild it' },
        containers: [
          {
            name: 'camunda',
            image: IMAGE,
            // No --swaggerui: Run dropped Swagger UI in 7.22 and refuses the option, exiting before Java
            // starts (found by `npm run products`).
            args: ['./camunda.sh', '--webapps', '--rest', '--production'],
            ports: [{ name: 'http', port: 8080 }],
            health: { startup: { tcp: 'http' }, readiness: { tcp: 'http' }, liveness: { tcp: 'http' }, startupSeconds: 300 },
            env: (ctx) => ({
              DB_DRIVER: 'org.postgresql.Driver',
              DB_URL: `jdbc:postgresql://${ctx.database?.host}:${ctx.database?.port}/${ctx.database?.name}`,
              DB_USERNAME: { database: 'username' },
              // The image's camunda.sh reads the password from this file.
              DB_PASSWORD_FILE: { file: { database: 'password' } },
              CAMUNDA_ADMIN_ID: ADMIN_ID,
              JAVA_OPTS: '-XX:MaxRAMPercentage=70',
              TZ: 'UTC',
              ...callEnv(role.calls),
            }),
            mounts: {
              config: { path: '/camunda/configuration/production.yml', file: 'production.yml' },
              admin: `${SECRETS_DIR}/admin`,
              tmp: '/tmp',
              logs: '/camunda/logs',
            },
            resources: resourcesBySize(['250m', '1', '1Gi', '1Gi'], ['500m', '2', '2Gi', '1Gi'], ['1', '4', '4Gi', '2Gi']),
          },
        ],
        volumes: { config: { files: productionYaml }, admin: { secret: 'admin' }, tmp: { scratch: '512Mi' }, logs: { scratch: '512Mi' } },
        scaling: 'horizontal',
        exposures: [{ host: role.host, gateway: 'internal' }],
      },
    ],
    confirm: { [IMAGE]: RELEASE },
    dataServices: {
      postgres: {
        database: 'camunda',
        owner: 'camunda',
        storage: perSize('5Gi', '20Gi', '50Gi'),
        resources: perSize({ cpu: '250m', memory: '512Mi' }, { cpu: '500m', memory: '1Gi' }, { cpu: '1', memory: '2Gi' }),
      },
    },
    secrets: [
      {
        name: 'admin',
        keys: ['password'],
        // production.yml turns the policy on; Run saves the administrator through it at first start.
        passwordPolicy: 'Camunda\'s default password policy (DefaultPasswordPolicyImpl at 7.24): at least 10 characters, a lowercase and an uppercase letter, a digit and a special character',
      },
    ],
    apis: [
      {
        serviceCode: 'engine-rest',
        // Found by the product harness: Run served /swaggerui/openapi.json until Swagger UI left it in
        // 7.22; in 7.24 the document exists only inside the camunda-engine-rest-openapi jar.
        withoutOpenApi: 'Camunda 7.24 serves no OpenAPI document (Run dropped Swagger UI in 7.22; the document is only inside the camunda-engine-rest-openapi jar)',
        basePath: '/engine-rest',
        component: 'engine',
        allowedCallers: role.allowedCallers,
      },
    ],
    calls: role.calls,
    // Camunda 7.24 sources: distro/run/core/pom.xml brings camunda-engine-plugin-connect, whose pom has
    // camunda-connect-http-client in test scope only; the connector's AbstractHttpConnector.createClient
    // is HttpClients.createSystem() (Apache HttpClient 5 at 7.24, 4 at 7.23.0).
    xroadClientLimitation:
      'Camunda Run 7.24 has no HTTP connector to present the certificate with: Run\'s core brings the Connect engine plugin and camunda-connect-core only (camunda-connect-http-client is a test dependency of the plugin), and camunda-connect-http-client 7.24.0 is not on Maven Central (7.23.0 is), so the kit cannot add it from there either. The connector itself would present it: it builds its client with Apache HttpClient\'s HttpClients.createSystem(), which takes the JVM\'s javax.net.ssl.keyStore and trustStore properties; cert-manager can add a PKCS#12 keystore and truststore to Secret xroad-client-tls, and JDK_JAVA_OPTIONS can take their password as $(VAR) from an earlier environment variable read from a Secret generated in the cluster, so no password would be in a file. Until an HTTP client is in the image and wired that way, the security server refuses Camunda\'s calls.',
    verification: {
      level: 'harness-started',
      proves:
        'Run rebuilt from Camunda\'s own 7.24.0 artifacts on Maven Central (Run\'s assembly is only on Camunda\'s repository; the differences are listed in the harness report) starts on PostgreSQL, refuses anonymous REST calls, and logs in the generated administrator, who is in camunda-admin',
    },
  };
}

export const CAMUNDA_WORKFLOW = camunda({
  buildingBlock: 'workflow',
  host: 'workflow',
  specVersion: 'workflow 1.0 (BPMN process engine; a test-harness product of GovStack\'s workflow building block)',
  allowedCallers: ['registration', 'e-services'],
  calls: ['digital-registries', 'registration', 'messaging', 'consent', 'scheduling', 'payments'],
  role: 'The workflow engine other building blocks start processes on.',
});

export const CAMUNDA_REGISTRATION = camunda({
  buildingBlock: 'registration',
  host: 'registration',
  specVersion: 'registration 1.0 (e-services as BPMN processes with forms and user tasks)',
  allowedCallers: ['e-services', 'workflow'],
  // Applicants sign in through the identity provider in their browser (OIDC), not through X-Road.
  calls: ['digital-registries', 'workflow', 'consent'],
  role: 'Registration services as BPMN processes: a service is a process definition, an application a process instance, screening and approval are user tasks in Tasklist. Chosen over Joget, GovStack\'s sandbox product, because Joget publishes no released community image (only locally built SNAPSHOT tags), its DX 8 images are Enterprise-licensed with tags the kit could not verify, and its setup script supports MySQL only.',
});
