import { perSize, resourcesBySize } from '../sizing';
import type { CatalogueEntry } from '../types';

/**
 * Apprise API's official image: its release workflow (.github/workflows/build.yml at v1.5.2) pushes
 * `docker.io/caronc/apprise` tagged with each release's version. The image carries the API's
 * version, not the bundled Apprise library's (1.13.0 at v1.5.2, pinned in its requirements.txt).
 */
const IMAGE = 'docker.io/caronc/apprise:1.5.2';
const RELEASE = {
  unavailable:
    'Apprise API publishes its server only as container images and source (tag v1.5.2 in github.com/caronc/apprise-api); PyPI carries the Apprise library it bundles (apprise 1.13.0), not the API server',
} as const;

/** Where the image keeps stored configurations (its Dockerfile's APPRISE_CONFIG_DIR) and uploaded attachments (APPRISE_ATTACH_DIR). */
const CONFIG_DIR = '/config';
const ATTACH_DIR = '/attach';

/**
 * Apprise API as the messaging building block: one REST call sends a message by e-mail, SMS or push
 * through any of the ~100 services the Apprise library speaks (SMTP, SMPP, Twilio, Vonage, AWS SNS,
 * Firebase, Matrix, …). Chosen after reading the candidates' own repositories (Nov 2026):
 * - RapidPro, GovStack's sandbox product, publishes no official images (only a "development
 *   purposes only" rapidpro-docker) and needs Elasticsearch and DynamoDB besides PostgreSQL;
 * - Novu needs MongoDB and Jasmin needs RabbitMQ (and Redis), neither of which the kit runs;
 * - Apprise API is MIT-licensed, maintained (v1.5.2 of Aug 2026, on Apprise 1.13.0), ships an
 *   official, versioned image, documents a hardened Kubernetes deployment (non-root, read-only root,
 *   README "Hardened Kubernetes deployment (rootless and read only)"), and keeps no database: stored
 *   configurations are files on one volume, which Velero backs up as it backs up every pod volume.
 */
export const APPRISE: CatalogueEntry = {
  buildingBlock: 'messaging',
  product: 'apprise',
  version: '1.5.2',
  displayName: 'Apprise API',
  homepage: 'https://github.com/caronc/apprise-api',
  license: 'MIT (Apprise API; the Apprise library it bundles is BSD-2-Clause)',
  specVersion: 'messaging 1.0 (sends e-mail, SMS and push messages through one REST API; not the GovStack messaging API itself)',
  deployment: {
    kind: 'manifests',
    reason: 'Apprise API publishes no Helm chart, only Kubernetes examples in its README; one container is simpler rendered by the kit.',
  },
  stages: ['sandbox', 'staging', 'production'],
  notes: [
    'Apprise API serves its own REST API (/notify with the recipients\' Apprise URLs, /notify/{key} with a stored configuration), not the GovStack messaging API (its queues, priorities and delivery reports); an adapter is not part of the kit, and delivery is synchronous with no retry queue.',
    'Only /notify is registered with X-Road: callers send messages, and never read or change the stored configurations, which hold the delivery services\' credentials. Operators store them through the web interface, published on no gateway: `kubectl -n bb-messaging port-forward svc/apprise-api 8000`, then http://localhost:8000/cfg/<key> (e.g. keys `email` and `sms`, which callers then name).',
    'Apprise API has no authentication of its own: the NetworkPolicies admit only its security server (and Prometheus on /metrics), and X-Road grants /notify to the declared callers only.',
    'Delivery needs the country\'s e-mail relay, SMS centre or push service: the pods may send outside the cluster on 443, 465, 587 and 2775 (declared NET-06 outside the sandbox); narrow it to the relays\' addresses where they are known.',
    'Stored configurations live on one volume all replicas share (ReadWriteMany on the environment\'s shared class); without one (a cloud staging environment, the sandbox) the API runs one replica on its own claim.',
    'Not yet started by the product harness or on a cluster (see verification): the read-only, non-root start follows the README\'s hardened example and the start script at v1.5.2.',
  ],
  components: [
    {
      name: 'api',
      // supervisord-startup (v1.5.2) runs any non-root uid as is ("Non-Super User Startup"): the
      // Dockerfile makes /config, /attach and /plugin world-writable and owns nothing by uid, and
      // keeps its runtime files under /tmp/apprise.
      user: { uid: 10001, gid: 10001 },
      containers: [
        {
          name: 'apprise',
          image: IMAGE,
          // No args: the image's CMD (supervisord-startup) starts nginx on 8000 in front of gunicorn's socket.
          ports: [{ name: 'http', port: 8000 }],
          health: {
            // /status answers 200 "OK" when the configuration, attachment and persistent-store
            // directories are writable, 417 otherwise (api/utils.py healthcheck at v1.5.2).
            startup: { http: '/status', port: 'http' },
            readiness: { http: '/status', port: 'http' },
            liveness: { tcp: 'http' },
            startupSeconds: 120,
          },
          secretsInEnvironment:
            'Apprise API\'s Django settings read SECRET_KEY with os.environ.get only (core/settings/__init__.py at v1.5.2), falling back to a key published in its source; there is no _FILE variant',
          env: () => ({
            SECRET_KEY: { secret: 'django', key: 'secret-key' },
            // `simple` stores each configuration as <key>.yml or <key>.cfg, files an operator can read and back up.
            APPRISE_STATEFUL_MODE: 'simple',
            // gunicorn.conf.py defaults to 2 × the node's CPUs + 1 gevent workers: far beyond the
            // pod's limit on a large node. Two workers serve many requests each (gevent); replicas scale out.
            APPRISE_WORKER_COUNT: '2',
            APPRISE_CONFIG_DIR: CONFIG_DIR,
            APPRISE_ATTACH_DIR: ATTACH_DIR,
            // Six attachments of at most 50 MB (APPRISE_MAX_ATTACHMENTS defaults to 6) fit the attach scratch volume.
            APPRISE_ATTACH_SIZE: '50',
            // Attachments may be given by URL, which Apprise fetches: `internal` refuses loopback, private
            // and link-local destinations (README at v1.5.2), so a caller cannot make it fetch from the cluster.
            APPRISE_ATTACH_REJECT_URL: 'internal',
            // The admin view lists stored keys; the web interface is reached only by port-forward.
            APPRISE_ADMIN: 'yes',
            TZ: 'Etc/UTC',
          }),
          // /tmp holds nginx's temporary files and /tmp/apprise the socket, pid files and the nginx
          // snippets the start script writes (README "Container Runtime Model and Filesystem Layout").
          mounts: { config: CONFIG_DIR, attach: ATTACH_DIR, tmp: '/tmp' },
          resources: resourcesBySize(['100m', '500m', '384Mi', '1Gi'], ['250m', '1', '512Mi', '1Gi'], ['500m', '2', '1Gi', '2Gi']),
        },
      ],
      volumes: {
        config: { shared: perSize('1Gi', '2Gi', '5Gi') },
        // Uploaded attachments live only while their message is sent.
        attach: { scratch: '512Mi' },
        tmp: { scratch: '256Mi' },
      },
      scaling: 'horizontal',
      // django-prometheus's /metrics (core/urls.py at v1.5.2), behind nginx's rate limit of 5 requests a second.
      metrics: { port: 'http', path: '/metrics' },
    },
  ],
  confirm: { [IMAGE]: RELEASE },
  dataServices: {},
  secrets: [{ name: 'django', keys: ['secret-key'] }],
  apis: [
    {
      serviceCode: 'notify',
      withoutOpenApi:
        'Apprise API serves no OpenAPI document: its OpenAPI 3 description (swagger.yaml at v1.5.2) is only in its repository, for a separate Swagger UI container',
      // Only the sending endpoints: /notify (recipients in the request) and /notify/{key} (a stored configuration).
      basePath: '/notify',
      component: 'api',
      allowedCallers: ['workflow', 'e-services'],
    },
  ],
  calls: [],
  outbound: {
    ports: [443, 465, 587, 2775],
    reason:
      'Apprise delivers to the e-mail relay, SMS centre or push service the country configures, at addresses the kit cannot know: HTTPS APIs (443), SMTP submission (465, 587) and SMPP (2775); never the metadata service',
  },
  verification: {
    level: 'harness-unavailable',
    reason:
      'Apprise API publishes its server only as container images and source: PyPI has the Apprise library but no Apprise API, so no reachable registry carries the release the image is built from',
  },
};
