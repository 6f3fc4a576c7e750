import { fixedResources, perSize, resourcesBySize } from '../sizing';
import type { CatalogueEntry, ProductContext } from '../types';

/**
 * iGrant.io's bb-consent API server, GovStack's Consent reference implementation
 * (github.com/decentralised-dataexchange/bb-consent-api, Apache-2.0). 2024.2.1 is its newest release
 * tag (16 Feb 2024; the last commit on main is of 27 Sep 2024); images are pushed to Docker Hub as
 * `igrantio/bb-consent-api:<release tag>` when a release is created (.github/workflows/dockerhub.yml,
 * Makefile DOCKER_HUB_IMAGE). iGrant.io's own chart (bb-consent-infrastructure, consentbb 2023.12.4)
 * still pins 2023.12.2.
 */
const API_IMAGE = 'docker.io/igrantio/bb-consent-api:2024.2.1';
/** FerretDB's production image: a static binary in `scratch` (build/ferretdb/production.Dockerfile at v2.7.0). */
const FERRETDB_IMAGE = 'ghcr.io/ferretdb/ferretdb:2.7.0';

/** The API reads one JSON file, `/opt/bb-consent/api/config/<--config>` (internal/cmd/start_api.go). */
const CONFIG_DIR = '/opt/bb-consent/api/config';
const CONFIG_FILE = 'config-production.json';
const SCRIPT_DIR = '/kit';

/** The Keycloak realm bb-consent creates at first start, with a public OIDC client (internal/iam/bootstrap.go). */
const REALM = 'consent';
const CLIENT_ID = 'consent-dashboard';
const MONGO_DATABASE = 'consent';

/**
 * bb-consent reads its configuration, secrets included, only from that JSON file (internal/config:
 * database, organisation admin, API-key signing secret, Keycloak admin): an init container writes it
 * into memory from the Secrets' files, JSON-escaped. Everything that is not secret is written here.
 */
function renderConfigScript(ctx: ProductContext): Record<string, string> {
  const country = ctx.env.country.name;
  const literal = (value: string) => JSON.stringify(value);
  return {
    'render-config.sh': `#!/bin/sh
# Writes ${CONFIG_FILE} from the pod's Secret files; values are JSON-escaped, never echoed.
set -eu
secret() { sed -e 's/\\\\/\\\\\\\\/g' -e 's/"/\\\\"/g' "$1" | tr -d '\\n'; }
umask 077
db_secret=$(secret "$DB_PASSWORD_FILE")
admin_secret=$(secret "$ADMIN_PASSWORD_FILE")
signing_secret=$(secret "$API_SECRET_KEY_FILE")
iam_user=$(secret "$IAM_ADMIN_USER_FILE")
iam_secret=$(secret "$IAM_ADMIN_PASSWORD_FILE")
cat > ${CONFIG_DIR}/${CONFIG_FILE} <<EOF
{
  "DataBase": {"Hosts": [${literal(`${ctx.serviceHost('ferretdb')}:27017`)}], "Name": ${literal(MONGO_DATABASE)}, "UserName": "\${DB_USER}", "Password": "\${db_secret}"},
  "ApplicationMode": "single-tenant",
  "TestMode": false,
  "Organization": {"Name": ${literal(country)}, "Location": ${literal(country)}, "Description": ${literal(`Consent records of ${country}`)}, "EulaURL": ""},
  "User": {"Username": ${literal(`consent-admin@${ctx.env.domain}`)}, "Password": "\${admin_secret}"},
  "ApiSecretKey": "\${signing_secret}",
  "Iam": {"URL": "\${IAM_URL}", "Realm": ${literal(REALM)}, "ClientId": ${literal(CLIENT_ID)}, "AdminUser": "\${iam_user}", "AdminPassword": "\${iam_secret}", "Timeout": 5},
  "Smtp": {"Username": "", "Password": "", "Host": "", "Port": 587, "AdminEmail": ""},
  "Webhooks": {"events": ["consent.allowed", "consent.disallowed"]},
  "PrivacyDashboardDeployment": {"Hostname": "", "Version": ""},
  "Policy": {"name": ${literal(`${country} data policy`)}, "url": "", "industrySector": "Public", "geographicRestriction": ${literal(country)}, "storageLocation": ${literal(country)}}
}
EOF
`,
  };
}

export const CONSENT: CatalogueEntry = {
  buildingBlock: 'consent',
  product: 'bb-consent',
  version: '2024.2.1',
  displayName: 'iGrant.io Consent BB (GovStack reference implementation)',
  homepage: 'https://github.com/decentralised-dataexchange/bb-consent-api',
  license: 'Apache-2.0 (bb-consent-api; FerretDB Apache-2.0; DocumentDB MIT)',
  specVersion: 'consent 1.1.0-rc1 (GovStack\'s Consent BB API, api/consent-openapi.yaml in GovStackWorkingGroup/bb-consent, spec tag v23Q4; iGrant.io\'s own API document 2023.11.1)',
  deployment: {
    kind: 'manifests',
    reason:
      'iGrant.io\'s chart (consentbb 2023.12.4, unchanged since Dec 2023) bundles Bitnami MongoDB, Keycloak and PostgreSQL, runs as root with passwords in a ConfigMap and pulls with imagePullPolicy Always; the kit renders the API server with FerretDB on its own PostgreSQL and the IAM building block\'s Keycloak.',
  },
  stages: ['sandbox', 'staging', 'production'],
  notes: [
    'Stale upstream: newest API release 2024.2.1 (16 Feb 2024), last commit 27 Sep 2024, chart consentbb 2023.12.4 (15 Dec 2023), API document 2023.11.1 (Nov 2023). GovStack\'s reference implementation, kept for want of a maintained one; plan for its end.',
    'Known unreleased security fixes: "#620 Any user can create a new user" (26 Feb 2024) and go-jose 3.0.3 are on main only, after 2024.2.1, and no later release exists. The kit publishes the API only on the internal gateway and registers only /v2/service with X-Road; review #620 before exposing anything more.',
    'Image unverified: the tag follows iGrant.io\'s release workflow (the release tag pushed to Docker Hub); the kit could not list Docker Hub from here; iGrant.io\'s chart pins 2023.12.2 and GovStack\'s test-harness compose 2024.1.1 (examples/igrantio in GovStackWorkingGroup/bb-consent). Check the tag in your mirror or pin it by digest.',
    'MongoDB is FerretDB 2.7 (MongoDB wire protocol) on the building block\'s own CloudNativePG cluster with the DocumentDB extension, so the consent records get the kit\'s PostgreSQL HA, WAL archive, daily base backups and point-in-time recovery. Limits: FerretDB is not MongoDB (its compatibility list names what it lacks, e.g. some user-management commands); bb-consent\'s queries (indexes, $lookup aggregations) have not been run against it here; FerretDB authenticates the API as the database owner through PostgreSQL.',
    'The API server calls Keycloak (the IAM building block) itself, inside the cluster: it logs in to the master realm as a user the country provides (see providedSecrets), creates its realm "consent" with a public client at first start, and keeps the organisation admin and the individuals as users of that realm.',
    'No e-mail: SMTP is left empty (password reset e-mails are not sent); set it in the script when the Messaging building block provides SMTP.',
    'The admin and privacy dashboards are left out: their images serve a React build from nginx 1.15.8 (alpine, 2019) as root (bb-consent-admin-dashboard resources/docker/Dockerfile, newest tag 2024.1.1 of 8 Jan 2024); organisations configure data agreements through the API until a current web server serves those builds.',
    'Its API listens on port 80 only (internal/cmd/start_api.go): the pod sets net.ipv4.ip_unprivileged_port_start so the non-root user can bind it.',
    'Several API replicas start together in production: each runs bb-consent\'s start-up (migrations, organisation and admin creation) and the unique indexes let only one create them; a replica that loses the race restarts once. Not yet tried on a cluster.',
  ],
  components: [
    {
      name: 'api',
      user: { uid: 10001, gid: 10001 },
      initContainers: [
        {
          name: 'render-config',
          image: API_IMAGE,
          command: ['/bin/sh', `${SCRIPT_DIR}/render-config.sh`],
          env: () => ({
            DB_USER: { database: 'username' },
            DB_PASSWORD_FILE: { file: { database: 'password' } },
            ADMIN_PASSWORD_FILE: { file: { secret: 'admin', key: 'password' } },
            API_SECRET_KEY_FILE: { file: { secret: 'api', key: 'secret-key' } },
            IAM_URL: { iam: 'url' },
            IAM_ADMIN_USER_FILE: { file: { secret: 'keycloak-admin', key: 'username' } },
            IAM_ADMIN_PASSWORD_FILE: { file: { secret: 'keycloak-admin', key: 'password' } },
          }),
          mounts: { script: SCRIPT_DIR, config: CONFIG_DIR },
          resources: fixedResources(['50m', '200m', '32Mi', '64Mi']),
        },
      ],
      containers: [
        {
          name: 'api',
          image: API_IMAGE,
          // The image's ENTRYPOINT, relative to / (resources/docker/production/Dockerfile.dockerhub).
          command: ['/app/bin/bb-consent-api', 'start-api', '--config', CONFIG_FILE],
          ports: [{ name: 'http', port: 80 }],
          // No health endpoint: every route but the login ones needs a token or an API key (internal/http_path/v2).
          health: { startup: { tcp: 'http' }, readiness: { tcp: 'http' }, liveness: { tcp: 'http' }, startupSeconds: 180 },
          mounts: { config: CONFIG_DIR, tmp: '/tmp' },
          resources: resourcesBySize(['100m', '500m', '256Mi', '256Mi'], ['250m', '1', '512Mi', '512Mi'], ['500m', '2', '1Gi', '1Gi']),
        },
      ],
      volumes: {
        script: { files: renderConfigScript },
        config: { scratch: '1Mi', memory: 'the rendered configuration holds the database, admin, API-key and Keycloak secrets' },
        tmp: { scratch: '256Mi' },
      },
      scaling: 'horizontal',
      lowPorts: 'bb-consent-api listens on :80, hard-coded (internal/cmd/start_api.go)',
      usesIam: 'bb-consent-api logs in to Keycloak\'s admin API and issues tokens for the organisation admin and individuals itself (internal/iam, gocloak)',
      exposures: [{ host: 'consent', gateway: 'internal', paths: ['/v2/'] }],
    },
    {
      name: 'ferretdb',
      // The binary owns no file: its state directory is a scratch volume, so any unprivileged uid runs it.
      user: { uid: 10001, gid: 10001 },
      containers: [
        {
          name: 'ferretdb',
          image: FERRETDB_IMAGE,
          ports: [
            { name: 'mongodb', port: 27017 },
            { name: 'debug', port: 8088 },
          ],
          // /debug/livez and /debug/readyz (internal/util/debug/debug.go at v2.7.0); readyz also pings PostgreSQL.
          health: {
            startup: { http: '/debug/livez', port: 'debug' },
            readiness: { http: '/debug/readyz', port: 'debug' },
            liveness: { http: '/debug/livez', port: 'debug' },
            startupSeconds: 60,
          },
          env: () => ({
            // The flag --postgresql-url-file (cmd/ferretdb/main.go): the URL with the password stays in a file.
            FERRETDB_POSTGRESQL_URL_FILE: { file: { database: 'uri' } },
            FERRETDB_LISTEN_ADDR: ':27017',
            FERRETDB_DEBUG_ADDR: ':8088',
            FERRETDB_STATE_DIR: '/state',
            FERRETDB_TELEMETRY: 'disable',
            FERRETDB_LOG_FORMAT: 'json',
          }),
          mounts: { state: '/state' },
          resources: resourcesBySize(['100m', '500m', '256Mi', '128Mi'], ['250m', '1', '512Mi', '128Mi'], ['500m', '2', '1Gi', '256Mi']),
        },
      ],
      volumes: { state: { scratch: '64Mi' } },
      // A stateless protocol translator: every replica talks to the same PostgreSQL primary.
      scaling: 'horizontal',
      metrics: { port: 'debug', path: '/debug/metrics' },
    },
  ],
  confirm: {
    [API_IMAGE]: {
      unavailable:
        'bb-consent-api is published only as Docker Hub images: its go.mod names module github.com/bb-consent/api, which the Go module proxy does not serve (403 from this machine), and its release tags (2024.2.1) are not semantic versions; release tag 2024.2.1 in github.com/decentralised-dataexchange/bb-consent-api',
    },
    [FERRETDB_IMAGE]: { goModule: 'github.com/FerretDB/FerretDB/v2' },
  },
  dataServices: {
    postgres: {
      database: MONGO_DATABASE,
      owner: 'consent',
      storage: perSize('5Gi', '20Gi', '50Gi'),
      resources: perSize({ cpu: '250m', memory: '512Mi' }, { cpu: '500m', memory: '1Gi' }, { cpu: '1', memory: '2Gi' }),
      documentdb: 'bb-consent stores its records in MongoDB (go.mongodb.org/mongo-driver); FerretDB serves that protocol from this cluster',
    },
  },
  secrets: [
    { name: 'admin', keys: ['password'] },
    { name: 'api', keys: ['secret-key'], neverRotate: 'it signs the API keys organisations hand to the building blocks that record consent; a new one invalidates them all' },
  ],
  providedSecrets: [
    {
      name: 'keycloak-admin',
      remoteKey: 'bb-consent-keycloak-admin',
      keys: ['username', 'password'],
      provision:
        'a user of Keycloak\'s master realm with the create-realm role, which bb-consent logs in as to create its realm and then manage its users (as creator it becomes that realm\'s admin): kcadm.sh create users -r master -s username=bb-consent -s enabled=true; kcadm.sh set-password -r master --username bb-consent; kcadm.sh add-roles -r master --uusername bb-consent --rolename create-realm',
    },
  ],
  apis: [
    {
      serviceCode: 'consent-service',
      withoutOpenApi:
        'bb-consent-api 2024.2.1 serves no OpenAPI document (no such route in internal/http_path/v2); iGrant.io publishes it in bb-consent-docs, openapi/v2023.11.1/bundled.yaml',
      basePath: '/v2/service',
      component: 'api',
      allowedCallers: ['registration', 'workflow', 'e-services'],
    },
  ],
  calls: [],
  verification: {
    level: 'harness-unavailable',
    reason:
      'bb-consent-api is published only as Docker Hub images: the Go module proxy does not serve its module github.com/bb-consent/api (403 here; the module path is not its repository\'s, and its release tags are not semantic versions), so no reachable registry carries the release',
  },
};
