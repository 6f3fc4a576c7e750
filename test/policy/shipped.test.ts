import { appendFileSync } from 'node:fs';
import * as path from 'node:path';
import { evaluatePolicies, policyInputOf, readTerraformStacks, type PolicyReport } from '../../src/policy';
import { runCli, scratchProject } from '../support/cli';
import { synthesizedShipped } from '../support/shipped';

const { root, results } = synthesizedShipped();
const reports = new Map<string, PolicyReport>(
  results.map((result) => [result.env.name, evaluatePolicies(policyInputOf(result, readTerraformStacks(path.join(root, 'cdktf.out'), result.stacks)))]),
);
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

/** Exceptions every environment with monitoring declares: node-exporter reads the host. */
const MONITORING_EXCEPTIONS = [
  'NET-02 NetworkPolicy/monitoring/allow-prometheus-scrape',
  'NS-01 Namespace/node-exporter',
  'POD-01 HelmRelease/monitoring/kube-prometheus-stack',
];

/**
 * What the building blocks' products need, from their catalogue entries: images that own their
 * files as a uid below 10000 (POD-05), products that read secrets only from their environment (SEC-02).
 */
const KEYCLOAK = ['POD-05 Deployment/bb-iam/keycloak-server', 'SEC-02 Deployment/bb-iam/keycloak-server'];
const BASEROW = [
  'POD-05 Deployment/bb-digital-registries/baserow-beat',
  'POD-05 Deployment/bb-digital-registries/baserow-web',
  'POD-05 StatefulSet/bb-digital-registries/baserow-backend',
  'SEC-02 Deployment/bb-digital-registries/baserow-beat',
  'SEC-02 StatefulSet/bb-digital-registries/baserow-backend',
];
const ESIGNET = [
  'POD-05 Deployment/bb-identity/esignet-ui',
  'POD-05 StatefulSet/bb-identity/esignet-mock-identity',
  'POD-05 StatefulSet/bb-identity/esignet-server',
  'SEC-02 StatefulSet/bb-identity/esignet-mock-identity',
  'SEC-02 StatefulSet/bb-identity/esignet-server',
];
/** The sandbox and the staging environment run the same products. */
const KEYCLOAK_ESIGNET_BASEROW_CAMUNDA_N8N = [
  ...KEYCLOAK,
  ...ESIGNET,
  ...BASEROW,
  'POD-05 Deployment/bb-registration/camunda-engine',
  'POD-05 Deployment/bb-workflow/n8n-main',
].sort();

/**
 * Exceptions of the Information Mediator: the xroad namespace runs at baseline; each X-Road server
 * runs NIIS's image as root (POD-03/04/05/07/10) and each security server takes its secrets from its
 * environment, as NIIS's entrypoint requires (SEC-02); the consumer's client policy admits the
 * e-services namespace, which the kit leaves empty for the country's e-services (NET-02).
 */
function xroadExceptions(options: { servers: readonly string[]; consumer: string; centralServer?: boolean }): string[] {
  const asRoot = ['POD-03', 'POD-04', 'POD-05', 'POD-07', 'POD-10'];
  return [
    'NS-01 Namespace/xroad',
    `NET-02 NetworkPolicy/xroad/ss-${options.consumer}-clients`,
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

  it('the sandbox needs exceptions only for node-exporter, Prometheus scraping and X-Road', () => {
    expect(exceptionsOf('sandbox')).toEqual(
      [
        ...MONITORING_EXCEPTIONS,
        ...xroadExceptions({ servers: ['StatefulSet/xroad/ss-provider', 'StatefulSet/xroad/ss-consumer'], consumer: 'consumer', centralServer: true }),
      ].sort(),
    );
  });

  it('the on-prem production environment also excepts MetalLB, Longhorn and Velero\'s cluster-wide role, each with its reason', () => {
    expect(exceptionsOf('veloria-production')).toEqual(
      [
        ...MONITORING_EXCEPTIONS,
        'NET-02 NetworkPolicy/longhorn-system/allow-longhorn-internal',
        'NS-01 Namespace/longhorn-system',
        'NS-01 Namespace/metallb-system',
        'POD-01 HelmRelease/metallb-system/metallb',
        'POD-02 HelmRelease/longhorn-system/longhorn',
        'RBAC-02 HelmRelease/velero/velero',
        ...xroadExceptions({ servers: [...clustered('gov-platform'), ...clustered('eservices')], consumer: 'eservices' }),
      ].sort(),
    );
  });

  it('the cloud staging environment also excepts the ACME challenge listener and Velero\'s cluster-wide role', () => {
    expect(exceptionsOf('marenland-staging')).toEqual(
      [
        ...MONITORING_EXCEPTIONS,
        'NET-04 Gateway/envoy-gateway-system/external',
        'RBAC-02 HelmRelease/velero/velero',
        ...xroadExceptions({ servers: [...clustered('gov-services'), ...clustered('citizen-portal')], consumer: 'citizen-portal' }),
      ].sort(),
    );
  });

  it('the building blocks of the sandbox and of staging declare only what their products need', () => {
    expect(buildingBlockExceptionsOf('sandbox')).toEqual(KEYCLOAK_ESIGNET_BASEROW_CAMUNDA_N8N);
    expect(buildingBlockExceptionsOf('marenland-staging')).toEqual(KEYCLOAK_ESIGNET_BASEROW_CAMUNDA_N8N);
  });

  it('the building blocks in production also declare their single-replica schedulers and caches, and MOSIP\'s unrendered ports', () => {
    expect(buildingBlockExceptionsOf('veloria-production')).toEqual(
      [
        ...KEYCLOAK,
        ...BASEROW,
        'REL-01 Deployment/bb-digital-registries/baserow-beat',
        'REL-01 Deployment/bb-digital-registries/baserow-cache',
        'NET-02 NetworkPolicy/bb-identity/allow-mosip-own-pods',
        'POD-05 Deployment/bb-registration/camunda-engine',
        'POD-05 Deployment/bb-workflow/camunda-engine',
      ].sort(),
    );
  });
});

describe('npm run check', () => {
  it('prints the table of results for one environment and exits 0 when nothing fails', () => {
    const run = runCli(['check', '--env', 'sandbox'], scratchProject());
    expect(run.stderr).toBe('');
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
    expect(run.stdout).toMatch(/IMG-03\s+HelmRelease\/cert-manager\/cert-manager\s+FAIL\s+image list: registry quay\.io is not among the allowed registries \(docker\.io\)/);
    expect(run.stdout).toMatch(/FAILED\n/);
  });
});
