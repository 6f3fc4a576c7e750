import { parse } from 'yaml';
import { HelmRelease } from '../../constructs/providers';
import { PINNED_CHARTS, PLATFORM_RELEASES } from '../../constructs/platform';
import { shippedEnvironments } from '../support/shipped';
import { synthStacks } from '../support/stacks';
import '../support/terraform-matchers';

const envs = new Map(shippedEnvironments().map((env) => [env.name, env]));
type Release = { name: string; repository?: string; chart: string; version?: string; values?: string[]; depends_on?: string[] };

function upstreamReleases(envName: string): Map<string, Release & { parsed: Record<string, any> }> {
  const json = JSON.parse(synthStacks(envs.get(envName)!).platform);
  return new Map(
    Object.values<Release>(json.resource.helm_release)
      .filter((release) => release.repository)
      .map((release) => [release.name, { ...release, parsed: parse(release.values![0]) }]),
  );
}

const onprem = upstreamReleases('veloria-production');
const cloud = upstreamReleases('marenland-staging');
const sandbox = upstreamReleases('sandbox');
const MIRROR = 'registry.ndc.veloria.example/govstack';

const BASE = [
  PLATFORM_RELEASES.certManager,
  PLATFORM_RELEASES.envoyGateway,
  PLATFORM_RELEASES.cloudnativePg,
  PLATFORM_RELEASES.barmanCloudPlugin,
  PLATFORM_RELEASES.externalSecrets,
  PLATFORM_RELEASES.monitoring,
  PLATFORM_RELEASES.loki,
  PLATFORM_RELEASES.alloy,
];

describe('the platform stack of the on-prem production environment', () => {
  it('installs the on-prem set of releases: MetalLB, Longhorn, OpenBao, Velero and Kyverno besides the common ones, and no in-cluster backup store', () => {
    expect([...onprem.keys()].sort()).toEqual(
      [...BASE, PLATFORM_RELEASES.metallb, PLATFORM_RELEASES.longhorn, PLATFORM_RELEASES.openbao, PLATFORM_RELEASES.velero, PLATFORM_RELEASES.kyverno].sort(),
    );
  });

  it('pins every chart to the version in PINNED_CHARTS and pulls it from the registry mirror', () => {
    const versions = new Set(Object.values(PINNED_CHARTS).map((chart) => `${chart.chart}@${chart.version}`));
    for (const release of onprem.values()) {
      expect(versions).toContain(`${release.chart}@${release.version}`);
      expect(release.repository).toBe(`oci://${MIRROR}/charts`);
    }
  });

  it('names no public registry in any values: every image comes through the mirror', () => {
    for (const release of onprem.values()) {
      expect(JSON.stringify(release.parsed)).not.toMatch(/(docker\.io|quay\.io|ghcr\.io|registry\.k8s\.io|reg\.kyverno\.io)\//);
    }
    expect(onprem.get('envoy-gateway')!.parsed.global.images.envoyGateway.image).toBe(`${MIRROR}/envoyproxy/gateway:v1.9.0`);
  });

  it('gives MetalLB the environment\'s pool without BGP, and keeps Longhorn\'s storage class from deleting data', () => {
    expect(onprem.get('metallb')!.parsed).toMatchObject({ frrk8s: { enabled: false }, speaker: { frr: { enabled: false } } });
    expect(onprem.get('longhorn')!.parsed.persistence).toEqual({ defaultClass: false, reclaimPolicy: 'Retain', defaultClassReplicaCount: 3 });
  });

  it('runs OpenBao with TLS, Raft HA over three members and no injector', () => {
    const values = onprem.get('openbao')!.parsed;
    expect(values.global.tlsDisable).toBe(false);
    expect(values.injector.enabled).toBe(false);
    expect(values.server.ha).toMatchObject({ enabled: true, replicas: 3, raft: { enabled: true } });
    expect(values.server.ha.raft.config).toMatch(/tls_cert_file = "\/openbao\/tls\/tls.crt"/);
  });

  it('backs up objects and volumes to the second site over TLS, encrypted at rest, with restricted security contexts', () => {
    const values = onprem.get('velero')!.parsed;
    expect(values.configuration.backupStorageLocation[0]).toMatchObject({
      provider: 'aws',
      bucket: 'veloria-production-backups',
      prefix: 'velero',
      config: { s3Url: 'https://objects.site2.ndc.veloria.example', s3ForcePathStyle: 'true', serverSideEncryption: 'AES256', region: 'ndc-site2' },
    });
    expect(values.configuration.backupStorageLocation[0].config.insecureSkipTLSVerify).toBeUndefined();
    expect(values.containerSecurityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(values).toMatchObject({ deployNodeAgent: true, configuration: { uploaderType: 'kopia', defaultVolumesToFsBackup: true } });
    expect(values.nodeAgent.containerSecurityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
  });

  it('runs controllers with a standby and disruption budgets in production', () => {
    expect(onprem.get('cert-manager')!.parsed).toMatchObject({ replicaCount: 2, podDisruptionBudget: { enabled: true, minAvailable: 1 } });
    expect(onprem.get('kyverno')!.parsed.admissionController.replicas).toBe(3);
  });
});

describe('the platform stack of the cloud staging environment', () => {
  it('installs no MetalLB, Longhorn, SeaweedFS or Kyverno, and takes charts from their upstream repositories', () => {
    expect([...cloud.keys()].sort()).toEqual([...BASE, PLATFORM_RELEASES.openbao, PLATFORM_RELEASES.velero].sort());
    expect(cloud.get('cert-manager')!.repository).toBe('oci://quay.io/jetstack/charts');
    expect(cloud.get('cert-manager')!.parsed.image.repository).toBe('quay.io/jetstack/cert-manager-controller');
  });

  it('backs up to the cloud\'s object store in another region, encrypted with the key of its key service', () => {
    const location = cloud.get('velero')!.parsed.configuration.backupStorageLocation[0];
    expect(location).toMatchObject({
      bucket: 'marenland-staging-backups',
      config: { s3Url: 'https://objects.mrn-west-1.gcloud.marenland.example', region: 'mrn-west-1', kmsKeyId: 'govstack-backups-staging' },
    });
    expect(location.config.checksumAlgorithm).toBeUndefined();
  });
});

describe('the sandbox platform stack', () => {
  it('runs only what one small cluster needs: no load balancer, backups, object store or secret server', () => {
    expect([...sandbox.keys()].sort()).toEqual([...BASE].sort());
    expect(sandbox.get('cert-manager')!.parsed).toMatchObject({ replicaCount: 1, podDisruptionBudget: { enabled: false } });
  });

  it('keeps platform releases ordered: CRDs and webhooks first', () => {
    expect(synthStacks(envs.get('sandbox')!).platform).toHaveResourceWithProperties(HelmRelease, {
      name: PLATFORM_RELEASES.barmanCloudPlugin,
      depends_on: expect.arrayContaining(['helm_release.release-cloudnative-pg', 'helm_release.release-cert-manager']),
    });
  });
});
