import { appendFileSync } from 'node:fs';
import * as path from 'node:path';
import type { PolicyReport } from '../../src/policy';
import { besidesProgress, runCli, scratchProject } from '../support/cli';
import { synthesizedShipped } from '../support/shipped';

const { results } = synthesizedShipped();
const reports = new Map<string, PolicyReport>(results.map((result) => [result.env.name, result.policy]));
const inBuildingBlock = (exception: string) => / [A-Za-z]+\/bb-[a-z-]+(\/|$)/.test(exception);
const allExceptionsOf = (env: string) =>
  reports
    .get(env)!
    .results.filter((r) => r.status === 'exception')
    .map((r) => `${r.check} ${r.object}`)
    .sort();
/** Exceptions outside the building blocks' namespaces (platform, Information Mediator). */
const exceptionsOf = (env: string) => allExceptionsOf(env).filter((exception) => !inBuildingBlock(exception));
/** Exceptions in the building blocks' namespaces. */
const buildingBlockExceptionsOf = (env: string) => allExceptionsOf(env).filter(inBuildingBlock);

/** Exceptions of an upstream release's objects, as the report names them (`<check> <object> (HelmRelease/<release>)`). */
const ofRelease = (release: string, exceptions: readonly string[]) => exceptions.map((exception) => `${exception} (HelmRelease/${release})`);
/** The same check excepted for several objects. */
const each = (check: string, objects: readonly string[]) => objects.map((object) => `${check} ${object}`);

/**
 * Exceptions every environment with monitoring declares: node-exporter reads the host; the
 * operator, Grafana and kube-state-metrics call the API and the operator's and Grafana's charts
 * grant wider RBAC than the baseline; Grafana's chart hands it credentials through the environment.
 */
const MONITORING_EXCEPTIONS = [
  'NET-02 NetworkPolicy/monitoring/allow-prometheus-scrape',
  'NS-01 Namespace/node-exporter',
  ...ofRelease('monitoring/kube-prometheus-stack', [
    'POD-01 DaemonSet/node-exporter/kube-prometheus-stack-prometheus-node-exporter',
    'POD-08 DaemonSet/node-exporter/kube-prometheus-stack-prometheus-node-exporter',
    'PRB-01 Deployment/monitoring/kube-prometheus-stack-grafana',
    'RBAC-01 ClusterRole/kube-prometheus-stack-operator',
    'RBAC-03 ClusterRole/kube-prometheus-stack-grafana-clusterrole',
    'RBAC-03 ClusterRole/kube-prometheus-stack-operator',
    ...each('RBAC-04', ['grafana', 'kube-state-metrics', 'operator'].map((name) => `Deployment/monitoring/kube-prometheus-stack-${name}`)),
    'SEC-02 Deployment/monitoring/kube-prometheus-stack-grafana',
    'SEC-03 Secret/monitoring/alertmanager-kube-prometheus-stack-alertmanager',
  ]),
];
/** Outside the sandbox Loki keeps logs in the object store, with the keys in its environment (its configuration expands them). */
const LOKI_ON_OBJECT_STORE = ofRelease('logging/loki', ['SEC-02 StatefulSet/logging/loki']);

/** Outside the sandbox, Prometheus scrapes node-exporter and the kubelets at the nodes' addresses, which the environment does not list. */
const MONITORING_NODES_EXCEPTION = 'NET-06 NetworkPolicy/monitoring/allow-prometheus-scrape';

/** In production, also the single replicas of the operator, Grafana and kube-state-metrics. */
const MONITORING_PRODUCTION_EXCEPTIONS = ofRelease(
  'monitoring/kube-prometheus-stack',
  each('REL-01', ['grafana', 'kube-state-metrics', 'operator'].map((name) => `Deployment/monitoring/kube-prometheus-stack-${name}`)),
);

/**
 * Exceptions of the platform's controllers in every environment: they call the API (RBAC-04), most
 * read Secrets in every namespace they serve (RBAC-03), and some charts offer no probe settings (PRB-01);
 * external-secrets requests tokens for the service accounts its stores authenticate as (RBAC-06).
 */
const CONTROLLER_EXCEPTIONS = [
  ...ofRelease('cert-manager/cert-manager', [
    'PRB-01 Deployment/cert-manager/cert-manager',
    'PRB-01 Deployment/cert-manager/cert-manager-cainjector',
    ...each('RBAC-03', [
      'ClusterRole/cert-manager-cainjector',
      ...['certificates', 'challenges', 'clusterissuers', 'issuers', 'orders'].map((role) => `ClusterRole/cert-manager-controller-${role}`),
    ]),
    ...each('RBAC-04', [
      'Deployment/cert-manager/cert-manager',
      'Deployment/cert-manager/cert-manager-cainjector',
      'Deployment/cert-manager/cert-manager-webhook',
      'Job/cert-manager/cert-manager-startupapicheck',
    ]),
  ]),
  ...ofRelease('cnpg-system/cloudnative-pg', ['PRB-01 Deployment/cnpg-system/cloudnative-pg', 'RBAC-03 ClusterRole/cloudnative-pg', 'RBAC-04 Deployment/cnpg-system/cloudnative-pg']),
  ...ofRelease('cnpg-system/plugin-barman-cloud', [
    'PRB-01 Deployment/cnpg-system/plugin-barman-cloud',
    'RBAC-03 ClusterRole/plugin-barman-cloud',
    'RBAC-04 Deployment/cnpg-system/plugin-barman-cloud',
  ]),
  ...ofRelease('envoy-gateway-system/envoy-gateway', [
    'RBAC-03 ClusterRole/envoy-gateway-gateway-helm-envoy-gateway-role',
    'RBAC-04 Deployment/envoy-gateway-system/envoy-gateway',
    'RBAC-04 Job/envoy-gateway-system/envoy-gateway-gateway-helm-certgen',
  ]),
  ...ofRelease('external-secrets/external-secrets', [
    'RBAC-03 ClusterRole/external-secrets-cert-controller',
    'RBAC-03 ClusterRole/external-secrets-controller',
    'RBAC-06 ClusterRole/external-secrets-controller',
    ...each('RBAC-04', ['external-secrets', 'external-secrets-cert-controller', 'external-secrets-webhook'].map((name) => `Deployment/external-secrets/${name}`)),
  ]),
  ...ofRelease('logging/alloy', ['PRB-01 Deployment/logging/alloy', 'RBAC-04 Deployment/logging/alloy']),
];

/**
 * OpenBao (where it is the secret store): its image's uid owns its files; Kubernetes auth reviews tokens; the transit seal's token comes
 * through the environment; the chart's snapshot CronJob has no startingDeadlineSeconds setting.
 */
const OPENBAO_EXCEPTIONS = ofRelease('openbao/openbao', [
  'POD-05 StatefulSet/openbao/openbao',
  'RBAC-04 StatefulSet/openbao/openbao',
  'REL-04 CronJob/openbao/openbao-snapshot',
  'SEC-02 StatefulSet/openbao/openbao',
]);

/**
 * Velero: its cluster-wide and namespace roles (tokens included), its API calls and its credentials-file path, and the
 * node agent that copies every pod's volumes from the node as root (in its privileged namespace).
 */
const VELERO_EXCEPTIONS = [
  'NS-01 Namespace/velero',
  ...ofRelease('velero/velero', [
    ...['POD-04', 'POD-05', 'POD-07', 'POD-08', 'POD-10', 'PRB-01'].map((check) => `${check} DaemonSet/velero/node-agent`),
    'RBAC-01 Role/velero/velero-server',
    'RBAC-02 ClusterRoleBinding/velero-server',
    'RBAC-04 DaemonSet/velero/node-agent',
    'RBAC-04 Deployment/velero/velero',
    'RBAC-04 Job/velero/velero-upgrade-crds',
    'RBAC-06 Role/velero/velero-server',
    'SEC-01 DaemonSet/velero/node-agent',
    'SEC-01 Deployment/velero/velero',
  ]),
];

const LONGHORN_JOBS = ['longhorn-post-upgrade', 'longhorn-pre-upgrade', 'longhorn-uninstall'].map((job) => `Job/longhorn-system/${job}`);
const LONGHORN_WORKLOADS = ['DaemonSet/longhorn-system/longhorn-manager', 'Deployment/longhorn-system/longhorn-driver-deployer', 'Deployment/longhorn-system/longhorn-ui', ...LONGHORN_JOBS];

/**
 * On-prem production: Longhorn's manager works on the nodes' disks as root and its chart offers no
 * security-context, probe or resource settings for its other pods; MetalLB's speaker answers ARP as
 * root; Kyverno's chart leaves some API access and hook settings open.
 */
const ON_PREM_EXCEPTIONS = [
  'NET-02 NetworkPolicy/longhorn-system/allow-longhorn-internal',
  'NS-01 Namespace/longhorn-system',
  'NS-01 Namespace/metallb-system',
  ...ofRelease('longhorn-system/longhorn', [
    ...each(
      'NET-02',
      ['backing-image-data-source', 'backing-image-manager', 'instance-manager', 'longhorn-manager', 'longhorn-recovery-backend', 'longhorn-webhook'].map(
        (policy) => `NetworkPolicy/longhorn-system/${policy}`,
      ),
    ),
    'POD-02 DaemonSet/longhorn-system/longhorn-manager',
    'POD-02 Job/longhorn-system/longhorn-pre-upgrade',
    ...['POD-03', 'POD-04', 'POD-05', 'POD-06', 'POD-07', 'POD-10', 'RBAC-04', 'RES-01', 'RES-02'].flatMap((check) => each(check, LONGHORN_WORKLOADS)),
    'POD-08 DaemonSet/longhorn-system/longhorn-manager',
    'POD-08 Job/longhorn-system/longhorn-pre-upgrade',
    ...each('PRB-01', LONGHORN_WORKLOADS.slice(0, 3)),
    'RBAC-01 ClusterRole/longhorn-role',
    'RBAC-01 Role/longhorn-system/longhorn',
    'RBAC-02 ClusterRoleBinding/longhorn-support-bundle',
    'RBAC-03 ClusterRole/longhorn-role',
    'REL-01 Deployment/longhorn-system/longhorn-driver-deployer',
    'REL-01 Deployment/longhorn-system/longhorn-ui',
  ]),
  ...ofRelease('metallb-system/metallb', [
    ...each('POD-01', ['DaemonSet/metallb-system/metallb-speaker']),
    ...['POD-04', 'POD-05', 'POD-07'].map((check) => `${check} DaemonSet/metallb-system/metallb-speaker`),
    'RBAC-01 ClusterRole/metallb:speaker',
    'RBAC-01 Role/metallb-system/metallb-pod-lister',
    ...['RBAC-04', 'SEC-01'].flatMap((check) => each(check, ['DaemonSet/metallb-system/metallb-speaker', 'Deployment/metallb-system/metallb-controller'])),
    'REL-01 Deployment/metallb-system/metallb-controller',
  ]),
  ...ofRelease('kyverno/kyverno', [
    'PRB-01 Deployment/kyverno/kyverno-background-controller',
    'PRB-01 Deployment/kyverno/kyverno-reports-controller',
    'RBAC-01 ClusterRole/kyverno:migrate-resources',
    ...each('RBAC-04', [
      ...['admission', 'background', 'cleanup', 'reports'].map((controller) => `Deployment/kyverno/kyverno-${controller}-controller`),
      ...['migrate-resources', 'rm-webhooks', 'scale-to-zero'].map((job) => `Job/kyverno/kyverno-${job}`),
    ]),
  ]),
];

/**
 * What the building blocks' products need, from their catalogue entries: images that own their
 * files as a uid below 10000 (POD-05), products that read secrets only from their environment (SEC-02).
 */
const KEYCLOAK = ['POD-05 Deployment/bb-iam/keycloak-server', 'SEC-02 Deployment/bb-iam/keycloak-server'];
/** Baserow's backend is a Deployment where its replicas share uploaded files (production on Longhorn), a StatefulSet elsewhere. */
const baserow = (backend: 'Deployment' | 'StatefulSet') => [
  'POD-05 Deployment/bb-digital-registries/baserow-beat',
  'POD-05 Deployment/bb-digital-registries/baserow-web',
  `POD-05 ${backend}/bb-digital-registries/baserow-backend`,
  'SEC-02 Deployment/bb-digital-registries/baserow-beat',
  `SEC-02 ${backend}/bb-digital-registries/baserow-backend`,
];
const ESIGNET = [
  'POD-05 Deployment/bb-identity/esignet-ui',
  'POD-05 StatefulSet/bb-identity/esignet-mock-identity',
  'POD-05 StatefulSet/bb-identity/esignet-server',
  'SEC-02 StatefulSet/bb-identity/esignet-mock-identity',
  'SEC-02 StatefulSet/bb-identity/esignet-server',
];
/**
 * What MOSIP's charts render beyond the baseline, for each of their Deployments: the images' uid
 * 1001 and writable working directories, no token or scratch-space settings, one replica each; and
 * config-server's and eSignet's credentials in the environment, config-server's empty token Secret.
 */
const MOSIP_DEPLOYMENTS: Readonly<Record<string, readonly string[]>> = {
  'config-server': ['mosip-config-server'],
  keymanager: ['mosip-keymanager'],
  authmanager: ['mosip-authmanager'],
  idgenerator: ['mosip-idgenerator'],
  notifier: ['mosip-notifier'],
  otpmanager: ['mosip-otpmanager'],
  idrepo: ['credential', 'credentialrequest', 'identity', 'vid'].map((alias) => `mosip-idrepo-${alias}`),
  'ida-auth': ['mosip-ida-auth'],
  'ida-internal': ['mosip-ida-internal'],
  'ida-otp': ['mosip-ida-otp'],
  esignet: ['mosip-esignet'],
  'oidc-ui': ['mosip-oidc-ui'],
};
const MOSIP_EXCEPTIONS = [
  ...Object.entries(MOSIP_DEPLOYMENTS).flatMap(([chart, deployments]) =>
    ofRelease(
      `bb-identity/mosip-${chart}`,
      ['POD-05', 'POD-10', 'RBAC-04', 'REL-01', 'RES-02'].flatMap((check) => deployments.map((name) => `${check} Deployment/bb-identity/${name}`)),
    ),
  ),
  ...ofRelease('bb-identity/mosip-config-server', ['SEC-02 Deployment/bb-identity/mosip-config-server', 'SEC-03 Secret/bb-identity/mosip-config-server']),
  ...ofRelease('bb-identity/mosip-esignet', ['SEC-02 Deployment/bb-identity/mosip-esignet']),
];

/** The sandbox and the staging environment run the same products. */
/**
 * Apprise reads its Django key only from its environment, keeps its stored configurations on a claim
 * of its own (a StatefulSet) where the environment has no shared class, and delivers outside the
 * cluster, which outside the sandbox NET-06 asks it to declare.
 */
const apprise = (workload: 'Deployment' | 'StatefulSet', stage: 'sandbox' | 'other') => [
  `SEC-02 ${workload}/bb-messaging/apprise-api`,
  ...(stage === 'sandbox' ? [] : ['NET-06 NetworkPolicy/bb-messaging/allow-apprise-egress-outside']),
];

/** HAPI FHIR (scheduling; the sandbox and production) reads its database password only from its environment. */
const HAPI_FHIR = ['SEC-02 Deployment/bb-scheduling/hapi-fhir-server'];

/** G2P Bridge reads its database password and Celery broker URL only from its environment, in each of its three processes. */
const G2P_BRIDGE = ['api', 'beat', 'worker'].map((component) => `SEC-02 Deployment/bb-payments/g2p-bridge-${component}`);

const KEYCLOAK_ESIGNET_BASEROW_CAMUNDA_N8N = [
  ...KEYCLOAK,
  ...ESIGNET,
  ...baserow('StatefulSet'),
  'POD-05 Deployment/bb-registration/camunda-engine',
  'POD-05 Deployment/bb-workflow/n8n-main',
].sort();

/**
 * Exceptions of the Information Mediator: the xroad namespace runs at baseline; each X-Road server
 * runs NIIS's image as root (POD-03/04/05/07/10) and each security server takes its secrets from its
 * environment, as NIIS's entrypoint requires (SEC-02); the consumer's client policy admits the
 * e-services namespace, which the kit leaves empty for the country's e-services (NET-02). Joining a
 * national instance, each server sends to the central server, OCSP, TSA and peers anywhere (NET-06).
 * Each member's registration CronJob reads its clients' issued certificates from the API (RBAC-04).
 */
function xroadExceptions(options: {
  servers: readonly string[];
  /** Every member: each has a registration CronJob. */
  members: readonly string[];
  consumer: string;
  centralServer?: boolean;
  nationalMembers?: readonly string[];
  /** Production: each member's one primary (REL-01), by design of X-Road's clusters. */
  primaries?: readonly string[];
}): string[] {
  const asRoot = ['POD-03', 'POD-04', 'POD-05', 'POD-07', 'POD-10'];
  return [
    'NS-01 Namespace/xroad',
    `NET-02 NetworkPolicy/xroad/ss-${options.consumer}-clients`,
    ...options.members.map((member) => `RBAC-04 CronJob/xroad/ss-${member}-register-services`),
    ...(options.nationalMembers ?? []).map((member) => `NET-06 NetworkPolicy/xroad/ss-${member}-egress`),
    ...(options.primaries ?? []).map((member) => `REL-01 StatefulSet/xroad/ss-${member}-primary`),
    ...options.servers.flatMap((server) => [...asRoot, 'SEC-02'].map((check) => `${check} ${server}`)),
    ...(options.centralServer ? asRoot.map((check) => `${check} StatefulSet/xroad/xroad-central-server`) : []),
  ];
}

/** The workloads of a primary–secondaries security server. */
const clustered = (member: string) => [`StatefulSet/xroad/ss-${member}-primary`, `Deployment/xroad/ss-${member}-secondary`];

describe('every shipped environment against the full policy suite', () => {
  it.each([...reports.keys()])('%s passes with only declared exceptions', (name) => {
    const report = reports.get(name)!;
    expect(report.results.filter((r) => r.status === 'fail')).toEqual([]);
    for (const result of report.results.filter((r) => r.status === 'exception')) expect(result.reason!.length).toBeGreaterThan(20);
  });

  it('evaluates the platform stack, upstream releases and Terraform of each, not an empty list', () => {
    for (const report of reports.values()) {
      const objects = new Set(report.results.map((r) => r.object.split('/')[0]));
      expect([...objects]).toEqual(expect.arrayContaining(['Namespace', 'NetworkPolicy', 'HelmRelease', 'terraform']));
    }
  });

  it('the sandbox needs exceptions only for monitoring, the platform controllers and X-Road', () => {
    expect(exceptionsOf('sandbox')).toEqual(
      [
        ...MONITORING_EXCEPTIONS,
        ...CONTROLLER_EXCEPTIONS,
        ...xroadExceptions({ servers: ['StatefulSet/xroad/ss-provider', 'StatefulSet/xroad/ss-consumer'], members: ['provider', 'consumer'], consumer: 'consumer', centralServer: true }),
      ].sort(),
    );
  });

  it('the on-prem production environment also excepts MetalLB, Longhorn, Kyverno, OpenBao and Velero, each with its reason', () => {
    expect(exceptionsOf('veloria-production')).toEqual(
      [
        ...MONITORING_EXCEPTIONS,
        MONITORING_NODES_EXCEPTION,
        ...LOKI_ON_OBJECT_STORE,
        ...MONITORING_PRODUCTION_EXCEPTIONS,
        ...CONTROLLER_EXCEPTIONS,
        ...ON_PREM_EXCEPTIONS,
        ...OPENBAO_EXCEPTIONS,
        ...VELERO_EXCEPTIONS,
        ...ofRelease('velero/velero', ['REL-01 Deployment/velero/velero']),
        ...xroadExceptions({
          servers: [...clustered('gov-platform'), ...clustered('eservices')],
          members: ['gov-platform', 'eservices'],
          consumer: 'eservices',
          nationalMembers: ['gov-platform', 'eservices'],
          primaries: ['gov-platform', 'eservices'],
        }),
      ].sort(),
    );
  });

  it('the cloud staging environment also excepts the ACME challenge listener and ACME server, OpenBao and Velero', () => {
    expect(exceptionsOf('marenland-staging')).toEqual(
      [
        ...MONITORING_EXCEPTIONS,
        MONITORING_NODES_EXCEPTION,
        ...LOKI_ON_OBJECT_STORE,
        ...CONTROLLER_EXCEPTIONS,
        ...OPENBAO_EXCEPTIONS,
        ...VELERO_EXCEPTIONS,
        'NET-04 Gateway/envoy-gateway-system/external',
        'NET-06 NetworkPolicy/cert-manager/allow-acme',
        ...xroadExceptions({
          servers: [...clustered('gov-services'), ...clustered('citizen-portal')],
          members: ['gov-services', 'citizen-portal'],
          consumer: 'citizen-portal',
          nationalMembers: ['gov-services', 'citizen-portal'],
        }),
      ].sort(),
    );
  });

  it('the building blocks of the sandbox and of staging declare only what their products need', () => {
    expect(buildingBlockExceptionsOf('sandbox')).toEqual([...KEYCLOAK_ESIGNET_BASEROW_CAMUNDA_N8N, ...apprise('StatefulSet', 'sandbox'), ...HAPI_FHIR, ...G2P_BRIDGE].sort());
    expect(buildingBlockExceptionsOf('marenland-staging')).toEqual([...KEYCLOAK_ESIGNET_BASEROW_CAMUNDA_N8N, ...apprise('StatefulSet', 'other'), ...G2P_BRIDGE].sort());
  });

  it('the building blocks in production also declare their single-replica schedulers and caches, and what MOSIP\'s charts render', () => {
    expect(buildingBlockExceptionsOf('veloria-production')).toEqual(
      [
        ...KEYCLOAK,
        ...baserow('Deployment'),
        'REL-01 Deployment/bb-digital-registries/baserow-beat',
        'REL-01 Deployment/bb-digital-registries/baserow-cache',
        'NET-02 NetworkPolicy/bb-identity/allow-mosip-own-pods',
        ...MOSIP_EXCEPTIONS,
        'POD-05 Deployment/bb-registration/camunda-engine',
        'POD-05 Deployment/bb-workflow/camunda-engine',
        ...apprise('Deployment', 'other'),
        ...HAPI_FHIR,
      ].sort(),
    );
  });
});

describe('npm run check', () => {
  it('prints the table of results for one environment and exits 0 when nothing fails', () => {
    const run = runCli(['check', '--env', 'sandbox'], scratchProject());
    expect(besidesProgress(run.stderr)).toEqual([]);
    expect(run.stderr).toMatch(/^  evaluating the policy suite$/m);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^check\s+object\s+status\s+reason \/ detail$/m);
    expect(run.stdout).toMatch(/NS-01\s+Namespace\/node-exporter\s+exception\s+node-exporter reads the host/);
    expect(run.stdout).toMatch(new RegExp(`\\d+ passed, ${allExceptionsOf('sandbox').length} declared exception\\(s\\), 0 failed: OK\\n`));
  });

  it('exits 1 and names each failure when an environment breaks a check (registries it does not allow)', () => {
    const project = scratchProject();
    appendFileSync(path.join(project, 'environments', 'sandbox', 'environment.yaml'), 'registry:\n  allowed: [docker.io]\n');
    const run = runCli(['check', '--env', 'sandbox'], project);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(
      /IMG-03\s+Deployment\/cert-manager\/cert-manager \(HelmRelease\/cert-manager\/cert-manager\)\s+FAIL\s+container cert-manager-controller: registry quay\.io is not among the allowed registries \(docker\.io\)/,
    );
    expect(run.stdout).toMatch(/FAILED\n/);
  });
});
