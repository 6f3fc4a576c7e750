import { registryImageValues, type ImageParts } from '../../images';
import type { PinConfirmation } from '../../pins';
import { perSize } from '../sizing';
import type { CatalogueEntry, ProductContext, UpstreamChartEntry, UpstreamChartException } from '../types';

const REPOSITORY = 'https://mosip.github.io/mosip-helm';

/** How a chart takes its image and security contexts: MOSIP's common chart layout, or config-server's own. */
type ChartLayout = 'common' | 'config-server';

interface MosipModule {
  readonly chart: string;
  readonly version: string;
  /** The image the chart runs; absent for an umbrella chart, whose sub-charts run the images. */
  readonly image?: string;
  /** An umbrella chart's sub-charts and the image each runs, by the sub-chart's alias in the chart's values. */
  readonly subCharts?: Readonly<Record<string, string>>;
  /** Sub-charts (by alias) the kit switches off, and why. */
  readonly disabledSubCharts?: readonly string[];
  /** @default 'common' */
  readonly layout?: ChartLayout;
  /** The chart renders a ServiceMonitor (`metrics.serviceMonitor.enabled`, on by default). @default true */
  readonly serviceMonitor?: boolean;
  readonly dependsOn?: readonly string[];
  /** Where the release of the module's image (every sub-chart's, for an umbrella chart) can be confirmed (`npm run pins`). */
  readonly confirm: PinConfirmation;
}

/** MOSIP's charts are versioned on their own in its Helm repository, which no package registry mirrors. */
const MOSIP_CHART: PinConfirmation = { unavailable: 'MOSIP\'s charts are published only in its Helm repository (mosip.github.io/mosip-helm), on no package registry' };
/** A MOSIP service whose release Maven Central lacks (MOSIP publishes some services' jars there, not all). */
const notOnCentral = (artifact: string, has: string): PinConfirmation => ({
  unavailable: `MOSIP did not publish this release to Maven Central (${artifact}: ${has}); only the image carries it`,
});

/**
 * The ID-platform core of MOSIP 1.2.0.x (LTS), in installation order. Chart versions are those
 * published in MOSIP's chart repository; images at the chart defaults where those are release tags,
 * otherwise at the release tags of MOSIP's own 1.2.0.1 test reports. The kit sets every image in the
 * values, so each comes from the tag listed here (and through the mirror, when there is one).
 */
/** The ID authentication services' release, confirmed by the library MOSIP publishes from the same release (mosip/id-authentication). */
const ID_AUTHENTICATION: PinConfirmation = { maven: 'io.mosip.authentication:authentication-core' };

const MODULES: readonly MosipModule[] = [
  { chart: 'config-server', version: '12.0.3', image: 'docker.io/mosipid/config-server:1.1.2', confirm: { unavailable: 'MOSIP\'s config-server (Spring Cloud Config) is published as an image only; release 1.1.2 is on no package registry' }, layout: 'config-server', serviceMonitor: false },
  { chart: 'keymanager', version: '12.0.2', image: 'docker.io/mosipid/kernel-keymanager-service:1.2.0.1', confirm: { maven: 'io.mosip.kernel:kernel-keymanager-service' }, dependsOn: ['config-server'] },
  { chart: 'authmanager', version: '12.0.2', image: 'docker.io/mosipid/kernel-auth-service:1.2.0.2', confirm: notOnCentral('io.mosip.kernel:kernel-auth-service', 'not there'), dependsOn: ['keymanager'] },
  { chart: 'idgenerator', version: '12.0.2', image: 'docker.io/mosipid/kernel-idgenerator-service:1.2.0.2', confirm: notOnCentral('io.mosip.kernel:kernel-idgenerator-service', 'not there'), dependsOn: ['keymanager'] },
  { chart: 'notifier', version: '12.0.2', image: 'docker.io/mosipid/kernel-notification-service:1.2.0.2', confirm: notOnCentral('io.mosip.kernel:kernel-notification-service', 'versions 1.2.0, 1.2.1-rc1, 1.3.0'), dependsOn: ['keymanager'] },
  { chart: 'otpmanager', version: '12.0.2', image: 'docker.io/mosipid/kernel-otpmanager-service:1.2.0.1-B1', confirm: notOnCentral('io.mosip.kernel:kernel-otpmanager-service', 'version 1.0.6 only'), dependsOn: ['keymanager'] },
  {
    chart: 'idrepo',
    version: '12.2.3',
    subCharts: {
      identity: 'docker.io/mosipid/id-repository-identity-service:1.2.2.1',
      vid: 'docker.io/mosipid/id-repository-vid-service:1.2.2.1',
      credential: 'docker.io/mosipid/credential-service:1.2.2.1',
      credentialrequest: 'docker.io/mosipid/credential-request-generator:1.2.2.1',
    },
    // The salt generator's Job template sets no container security context and reads only fsGroup
    // of the pod's: it cannot pass Pod Security restricted, so it is a prerequisite instead.
    disabledSubCharts: ['saltgen'],
    confirm: notOnCentral('io.mosip.idrepository:id-repository-core', 'the 1.2 line ends at 1.2.1.0'),
    dependsOn: ['keymanager', 'idgenerator'],
  },
  { chart: 'ida-auth', version: '12.0.2', image: 'docker.io/mosipid/authentication-service:1.2.0.1', confirm: ID_AUTHENTICATION, dependsOn: ['idrepo'] },
  { chart: 'ida-internal', version: '12.0.2', image: 'docker.io/mosipid/authentication-internal-service:1.2.0.1', confirm: ID_AUTHENTICATION, dependsOn: ['idrepo'] },
  { chart: 'ida-otp', version: '12.0.2', image: 'docker.io/mosipid/authentication-otp-service:1.2.0.1', confirm: ID_AUTHENTICATION, dependsOn: ['idrepo'] },
  { chart: 'esignet', version: '1.6.2', image: 'docker.io/mosipid/esignet-with-plugins:1.6.2', confirm: { maven: 'io.mosip.esignet:esignet-core' }, dependsOn: ['ida-auth'] },
  { chart: 'oidc-ui', version: '1.6.2', image: 'docker.io/mosipid/oidc-ui:1.6.2', confirm: { unavailable: 'oidc-ui is a React application MOSIP publishes only as an image; release 1.6.2 with eSignet 1.6.2' }, serviceMonitor: false, dependsOn: ['esignet'] },
];

/** The uid and gid of MOSIP's service images (`USER 1001:1001` in their Dockerfiles). */
const MOSIP_USER = 1001;
const RUNTIME_DEFAULT = { type: 'RuntimeDefault' } as const;

/**
 * MOSIP's charts ship security contexts disabled; these values turn them on so the pods pass Pod
 * Security `restricted`. The services write into their working directories, so the root filesystem
 * stays writable. The user is set on the pod: the charts also write `containerSecurityContext.runAsUser`
 * unquoted into the `container_user` environment variable (their default there is the user's name,
 * `mosip`, which is no uid), where a number becomes an integer the API server rejects; `null` removes
 * the chart's default, so the variable is left unset (the images do not read it at run time).
 */
const RESTRICTED_POD = { runAsUser: MOSIP_USER, runAsGroup: MOSIP_USER, runAsNonRoot: true, fsGroup: MOSIP_USER, seccompProfile: RUNTIME_DEFAULT };
const RESTRICTED_CONTAINER = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true, seccompProfile: RUNTIME_DEFAULT };

/** The role of a chart's own image; other roles are sub-chart aliases. */
const OWN_IMAGE = 'chart';

const releaseName = (chart: string) => `mosip-${chart}`;

/** Security contexts and image in the keys a chart of this layout reads. */
function chartValues(layout: ChartLayout, image: ImageParts, monitorOff: boolean): Record<string, unknown> {
  if (layout === 'config-server') {
    // Its own templates: the repository is the whole image name, the container context is `securityContext`.
    return {
      image: { repository: image.repository, tag: image.tagAndDigest },
      podSecurityContext: { enabled: true, ...RESTRICTED_POD },
      securityContext: RESTRICTED_CONTAINER,
    };
  }
  return {
    image: registryImageValues(image),
    podSecurityContext: { enabled: true, ...RESTRICTED_POD },
    containerSecurityContext: { enabled: true, runAsUser: null, ...RESTRICTED_CONTAINER },
    // The kit routes through its own Gateway API gateways and installs no Istio: the charts' Istio
    // VirtualServices and Gateways would be refused by the API server (no CRD defines them).
    istio: { enabled: false },
    // Without monitoring there is no ServiceMonitor CRD for the chart's monitor.
    ...(monitorOff ? { metrics: { serviceMonitor: { enabled: false } } } : {}),
  };
}

/**
 * A chart's values: on the chart itself or, for an umbrella chart, on each sub-chart (Helm passes a
 * sub-chart only the values under its alias).
 */
function moduleValues(module: MosipModule, images: Readonly<Record<string, ImageParts>>, observability: boolean): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  // Only a chart that renders a ServiceMonitor reads the switch.
  const monitorOff = (module.serviceMonitor ?? true) && !observability;
  for (const [role, image] of Object.entries(images)) {
    const ofChart = chartValues(module.layout ?? 'common', image, monitorOff);
    if (role === OWN_IMAGE) Object.assign(values, ofChart);
    else values[role] = ofChart;
  }
  for (const alias of module.disabledSubCharts ?? []) values[alias] = { enabled: false };
  return values;
}

/** The Deployments a module's chart renders: its own, or one per enabled sub-chart of an umbrella chart. */
function moduleDeployments(module: MosipModule, namespace: string): string[] {
  const names = module.subCharts
    ? Object.keys(module.subCharts).map((alias) => `${releaseName(module.chart)}-${alias}`)
    : [releaseName(module.chart)];
  return names.map((name) => `Deployment/${namespace}/${name}`);
}

/**
 * What MOSIP's charts render beyond the baseline with the kit's values, Deployment by Deployment.
 * The charts offer no setting for a service account token, a read-only root filesystem with
 * writable volumes, or ephemeral storage in their defaults; their images run as uid 1001.
 */
function moduleExceptions(module: MosipModule, ctx: ProductContext): UpstreamChartException[] {
  const objects = moduleDeployments(module, ctx.namespace);
  const own = objects.filter((object) => object.endsWith(`/${releaseName(module.chart)}`));
  const exceptions: UpstreamChartException[] = [
    {
      check: 'POD-05',
      reason: 'MOSIP\'s service images run as their mosip user, uid and gid 1001 (USER 1001:1001 in their Dockerfiles), which owns the service\'s working directory in the image',
      objects,
    },
    {
      check: 'POD-10',
      reason: 'MOSIP\'s services write into their working directories in the image (downloaded configuration, logs, temporary files), and the charts mount no writable volume there',
      objects,
    },
    {
      check: 'RBAC-04',
      reason: `MOSIP's ${module.chart} chart renders its own service account and offers no automountServiceAccountToken setting for it or the pod (templates/deployment.yaml, service-account.yaml at ${module.version}); the service holds no role`,
      objects,
    },
    {
      check: 'RES-02',
      reason: `MOSIP's ${module.chart} chart sizes cpu and memory only (values.yaml at ${module.version}) and the kit keeps MOSIP's sizing; the services' scratch space is not sized by MOSIP`,
      objects,
    },
  ];
  if (ctx.env.stage === 'production') {
    exceptions.push({
      check: 'REL-01',
      reason: 'the kit installs MOSIP at its charts\' default of one replica per service: scaling a MOSIP service out needs MOSIP\'s per-module guidance (keys in one HSM, ID pools, caches), which the kit does not encode yet',
      objects,
    });
  }
  if (module.layout === 'config-server') {
    exceptions.push(
      {
        check: 'SEC-02',
        reason: 'config-server takes its Git token and the credentials it overrides in MOSIP\'s configuration only as environment variables (SPRING_CLOUD_CONFIG_SERVER_GIT_PASSWORD, SPRING_CLOUD_CONFIG_SERVER_OVERRIDES_*; templates/deployment.yaml at 12.0.3)',
        objects: own,
      },
      {
        check: 'SEC-03',
        reason: 'the chart renders its Secret from values (github-token, templates/secret.yaml at 12.0.3); the kit sets no token, so the Secret holds the chart\'s empty default and no credential',
        objects: [`Secret/${ctx.namespace}/${releaseName(module.chart)}`],
      },
    );
  }
  if (module.chart === 'esignet') {
    exceptions.push({
      check: 'SEC-02',
      reason: 'eSignet reads its database, cache, HSM and IDA client credentials only from environment variables (templates/deployment.yaml at 1.6.2)',
      objects: own,
    });
  }
  return exceptions;
}

const charts: readonly UpstreamChartEntry[] = MODULES.map((module) => ({
  releaseName: releaseName(module.chart),
  repository: REPOSITORY,
  chart: module.chart,
  version: module.version,
  images: { ...(module.image ? { [OWN_IMAGE]: module.image } : {}), ...module.subCharts },
  confirm: {
    chart: MOSIP_CHART,
    images: Object.fromEntries([...(module.image ? [OWN_IMAGE] : []), ...Object.keys(module.subCharts ?? {})].map((role) => [role, module.confirm])),
  },
  values: (ctx, images) => moduleValues(module, images, ctx.env.platform.observability.enabled),
  dependsOn: (module.dependsOn ?? []).map(releaseName),
  exceptions: (ctx) => moduleExceptions(module, ctx),
}));

export const MOSIP: CatalogueEntry = {
  buildingBlock: 'identity',
  product: 'mosip',
  version: '1.2.0.1',
  displayName: 'MOSIP identity platform (ID repository, authentication, eSignet)',
  homepage: 'https://docs.mosip.io/1.2.0',
  license: 'MPL-2.0',
  specVersion: 'identity 1.0 (foundational ID with authentication)',
  deployment: {
    kind: 'upstream-chart',
    reason: 'MOSIP is some fifty services whose supported deployment is MOSIP\'s own charts and install order; re-rendering them would fork MOSIP.',
    charts,
    quota: perSize(
      { cpu: '16', memory: '64Gi', storage: '200Gi', pods: 150 },
      { cpu: '32', memory: '128Gi', storage: '500Gi', pods: 250 },
      { cpu: '64', memory: '256Gi', storage: '1024Gi', pods: 400 },
    ),
    prerequisites: [
      'Istio (MOSIP\'s charts publish through Istio gateways and VirtualServices)',
      'MOSIP\'s config repository served by config-server, with the database, Kafka and object-store settings of this country',
      'Kafka and ActiveMQ Artemis, and an S3 store for packets: run them without Bitnami images (MOSIP\'s defaults use Bitnami)',
      'Keycloak realm "mosip" with MOSIP\'s clients (keycloak-init), PostgreSQL databases per module (postgres-init)',
      'The ID repository\'s salts, generated once before idrepo is installed (MOSIP\'s idrepo-saltgen Job, mosipid/id-repository-salt-generator:1.2.2.1): its chart sets no container security context, so the kit does not run it in the restricted namespace',
    ],
  },
  stages: ['staging', 'production'],
  heavy: 'MOSIP\'s reference sizing is 8 nodes of 8 vCPU / 32 GiB; GovStack\'s own sandbox fell back to eSignet with a mock identity system',
  notes: [
    'Upstream charts, values reviewed: the kit pins chart versions and images and installs the ID-platform core in order; other modules (registration processor, pre-registration, partner management, resident services) are added the same way.',
    'MOSIP\'s charts disable security contexts by default; the kit\'s values enable them (uid 1001 on the pod, no privilege escalation, capabilities dropped, seccomp RuntimeDefault) so the pods pass Pod Security restricted; the kit\'s specs render the pinned charts and check the objects.',
    'The idrepo chart is an umbrella: the kit sets security contexts and images on its sub-charts (identity, vid, credential, credentialrequest) by the aliases of its Chart.yaml, and turns off the salt generator (saltgen), a prerequisite.',
  ],
  components: [],
  confirm: {},
  dataServices: {},
  secrets: [],
  apis: [],
  calls: [],
  verification: {
    level: 'harness-unavailable',
    reason:
      'MOSIP ships its services as container images and Helm charts; its jars on Maven Central are libraries and service builds without the config server, HSM and key setup the images bring, so the harness does not assemble the MOSIP stack (its charts are rendered and dry-run instead)',
  },
};
