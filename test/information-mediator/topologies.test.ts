import { Chart, Testing } from 'cdk8s';
import { loadEnvironment } from '../../constructs/environment/load';
import { SecurityServer } from '../../constructs/information-mediator/security-server';
import { namespaceBaseline } from '../../constructs/baseline/namespace-sizing';
import { SecureNamespace } from '../../constructs/baseline/secure-namespace';
import { synthStacks } from '../support/stacks';
import { containerOf, envVar, environmentWithFixtures, find, informationMediator } from './support';

describe('production topology: a primary and secondaries on an external PostgreSQL 16 (veloria-production)', () => {
  const env = environmentWithFixtures('veloria-production');
  const { manifests } = informationMediator(env);
  const primary = find(manifests, 'StatefulSet', 'ss-gov-platform-primary');
  const secondaries = find(manifests, 'Deployment', 'ss-gov-platform-secondary');

  it('runs one security server per member, all in the xroad namespace', () => {
    const servers = manifests.filter((m) => m.metadata.labels?.['app.kubernetes.io/name'] === 'xroad-security-server');
    expect(servers.map((m) => `${m.kind}/${m.metadata.namespace}/${m.metadata.name}`).sort()).toEqual([
      'Deployment/xroad/ss-eservices-secondary',
      'Deployment/xroad/ss-gov-platform-secondary',
      'StatefulSet/xroad/ss-eservices-primary',
      'StatefulSet/xroad/ss-gov-platform-primary',
    ]);
  });

  it('pulls the primary and secondary images of the pinned release through the registry mirror', () => {
    expect(containerOf(primary).image).toBe('registry.ndc.veloria.example/govstack/niis/xroad-security-server-sidecar:7.8.0-primary');
    expect(containerOf(secondaries).image).toBe('registry.ndc.veloria.example/govstack/niis/xroad-security-server-sidecar:7.8.0-secondary');
  });

  it('keeps the primary\'s /etc/xroad and backups on retained data-class volumes and gives it the ssh public key', () => {
    const claims = primary.spec.volumeClaimTemplates.map((c: any) => [c.metadata.name, c.spec.storageClassName]); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(claims).toEqual([['etc-xroad', 'govstack-data'], ['var-lib-xroad', 'govstack-data']]);
    expect(primary.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
    expect(containerOf(primary).volumeMounts.map((m: { mountPath: string }) => m.mountPath)).toEqual(['/etc/xroad', '/var/lib/xroad', '/etc/.ssh']);
    expect(primary.spec.template.spec.volumes[0].secret).toEqual({ secretName: 'ss-gov-platform-ssh', items: [{ key: 'publicKey', path: 'id_rsa.pub', mode: 0o644 }] });
    expect(find(manifests, 'Service', 'ss-gov-platform-primary').spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true });
  });

  it('runs the configured number of secondaries that sync from the primary, spread over nodes, with a disruption budget', () => {
    expect(secondaries.spec.replicas).toBe(2);
    expect(envVar(containerOf(secondaries), 'XROAD_PRIMARY_DNS')?.value).toBe('ss-gov-platform-primary.xroad.svc.cluster.local');
    expect(secondaries.spec.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution).toEqual([
      { labelSelector: { matchLabels: secondaries.spec.selector.matchLabels }, topologyKey: 'kubernetes.io/hostname' },
    ]);
    const budget = find(manifests, 'PodDisruptionBudget', 'ss-gov-platform-secondary');
    expect(budget.spec).toEqual({ maxUnavailable: 1, selector: secondaries.spec.selector });
  });

  it('uses an external PostgreSQL 16 from the kit\'s database construct, with the superuser password from its generated Secret', () => {
    const cluster = find(manifests, 'Cluster', 'ss-gov-platform-db');
    expect(cluster.spec).toMatchObject({ instances: 3, enableSuperuserAccess: true, imageName: expect.stringMatching(/postgresql:16\./) });
    expect(find(manifests, 'ScheduledBackup', 'ss-gov-platform-db-daily').spec.cluster).toEqual({ name: 'ss-gov-platform-db' });
    const container = containerOf(primary);
    expect(envVar(container, 'XROAD_DB_HOST')?.value).toBe('ss-gov-platform-db-rw.xroad.svc');
    expect(envVar(container, 'XROAD_DB_PORT')?.value).toBe('5432');
    expect(envVar(container, 'XROAD_DB_PWD')?.valueFrom).toEqual({ secretKeyRef: { name: 'ss-gov-platform-db-superuser', key: 'password' } });
    expect(envVar(container, 'XROAD_DATABASE_NAME')?.value).toBe('gov_platform');
  });

  it('probes as NIIS advises: startup and liveness on the proxy (8080), readiness on the health check (5588)', () => {
    for (const container of [containerOf(primary), containerOf(secondaries)]) {
      expect(container.startupProbe.httpGet).toEqual({ path: '/', port: 8080 });
      expect(container.livenessProbe.httpGet).toEqual({ path: '/', port: 8080 });
      expect(container.readinessProbe.httpGet).toEqual({ path: '/', port: 5588 });
    }
  });

  it('publishes 5500/5577 on a MetalLB LoadBalancer at the member\'s fixed address and stable DNS name, and clients on an internal Service', () => {
    const messaging = find(manifests, 'Service', 'ss-gov-platform-messaging');
    expect(messaging.metadata.annotations).toEqual({
      'external-dns.alpha.kubernetes.io/hostname': 'ss-gov-platform.xroad.gov.veloria.example',
      'metallb.io/address-pool': 'govstack',
      'metallb.io/loadBalancerIPs': '10.40.8.20',
    });
    expect(messaging.spec).toMatchObject({ type: 'LoadBalancer', externalTrafficPolicy: 'Local', allocateLoadBalancerNodePorts: false });
    expect(messaging.spec.ports.map((p: { port: number }) => p.port)).toEqual([5500, 5577]);
    expect(messaging.spec.selector['govstack.dev/xroad-node']).toBe('secondary');
    const clients = find(manifests, 'Service', 'ss-gov-platform');
    expect(clients.spec).toMatchObject({ type: 'ClusterIP', ports: [{ port: 8080 }, { port: 8443 }] });
    expect(find(manifests, 'Service', 'ss-gov-platform-admin').spec).toMatchObject({ type: 'ClusterIP', ports: [{ port: 4000 }] });
  });

  it('deploys no central server of its own: it joins the national instance', () => {
    expect(manifests.filter((m) => /central-server|test-ca|bootstrap/.test(m.metadata.name))).toEqual([]);
  });
  it('refuses to build the primary and secondaries without the ssh key they sync the configuration with', () => {
    const chart = new Chart(Testing.app(), 'test');
    const member = env.xroad.members[0];
    const namespace = new SecureNamespace(chart, 'Namespace', { name: 'xroad', ...namespaceBaseline(env, 'small') });
    expect(() => new SecurityServer(chart, 'SecurityServer', { env, member, namespace, adminUser: 'xrd', credentialsSecret: 'credentials' })).toThrow(
      `security server ${member.name}: the primary-secondaries topology needs sshKeySecret`,
    );
  });
});

describe('sandbox topology: one pod per security server and the development instance (sandbox)', () => {
  const env = environmentWithFixtures('sandbox');
  const { manifests } = informationMediator(env);

  it('runs each security server as one pod with the database inside the container, on volumes', () => {
    const provider = find(manifests, 'StatefulSet', 'ss-provider');
    expect(containerOf(provider).image).toBe('docker.io/niis/xroad-security-server-sidecar:7.8.0');
    expect(envVar(containerOf(provider), 'XROAD_DB_HOST')).toBeUndefined();
    expect(provider.spec.volumeClaimTemplates.map((c: { metadata: { name: string } }) => c.metadata.name)).toEqual(['etc-xroad', 'var-lib-xroad', 'postgresql']);
    expect(manifests.filter((m) => m.kind === 'Cluster' || m.kind === 'Deployment')).toEqual([]);
  });

  it('runs the development central server with auto-approval, a test CA with OCSP and TSA, and a bootstrap Job', () => {
    const centralServer = find(manifests, 'StatefulSet', 'xroad-central-server');
    expect(containerOf(centralServer).image).toBe('docker.io/niis/xroad-central-server:noble-7.8.0');
    const start = find(manifests, 'ConfigMap', 'xroad-central-server').data['start-central-server.sh'];
    expect(start).toContain('crudini --set /etc/xroad/conf.d/local.ini center "$setting" true');
    for (const setting of ['auto-approve-auth-cert-reg-requests', 'auto-approve-client-reg-requests', 'auto-approve-owner-change-requests']) {
      expect(start).toContain(setting);
    }
    const testCa = find(manifests, 'Service', 'xroad-test-ca');
    expect(testCa.spec.ports.map((p: { port: number }) => p.port)).toEqual([8888, 8899]);
    const bootstrap = manifests.find((m) => m.kind === 'Job' && m.metadata.name.startsWith('xroad-bootstrap-'))!;
    expect(bootstrap).toBeDefined();
    const plan = JSON.parse(find(manifests, 'ConfigMap', 'xroad-bootstrap').data['input.json']);
    expect(plan).toMatchObject({
      instance: 'SANDBOX',
      memberClasses: ['GOV', 'ORG', 'COM'],
      testCaUrl: 'http://xroad-test-ca.xroad.svc.cluster.local:8888',
      tsaUrl: 'http://xroad-test-ca.xroad.svc.cluster.local:8899',
      management: { id: 'SANDBOX:GOV:SANDBOX-OPERATOR:MANAGEMENT' },
    });
    expect(plan.securityServers.map((s: { code: string; address: string; management: boolean }) => [s.code, s.address, s.management])).toEqual([
      ['PROVIDER', 'ss-provider-messaging.xroad.svc.cluster.local', true],
      ['CONSUMER', 'ss-consumer-messaging.xroad.svc.cluster.local', false],
    ]);
  });

  it('lets nothing in the X-Road releases wait for readiness, which needs registration first (the e-services namespace has no workload to wait for)', () => {
    const { charts } = informationMediator(env);
    expect(charts.map((c) => [c.component, c.waitUntilReady])).toEqual([
      ['xroad', false],
      ['xroad-central-server', false],
      ['xroad-ss-provider', false],
      ['xroad-ss-consumer', false],
      ['e-services', true],
    ]);
  });
});

describe('the information-mediator Terraform stack', () => {
  it('installs each X-Road release atomically but without waiting for readiness, other layers still wait', () => {
    const stacks = synthStacks(loadEnvironment('veloria-production'));
    const releases = JSON.parse(stacks['information-mediator']).resource.helm_release as Record<string, { name: string; wait: boolean; wait_for_jobs: boolean; atomic: boolean }>;
    expect(Object.values(releases).map((r) => [r.name, r.atomic, r.wait, r.wait_for_jobs]).sort()).toEqual([
      ['e-services', true, true, true],
      ['xroad', true, false, false],
      ['xroad-ss-eservices', true, false, false],
      ['xroad-ss-gov-platform', true, false, false],
    ]);
    const platform = Object.values(JSON.parse(stacks.platform).resource.helm_release as Record<string, { wait: boolean }>);
    expect(platform.every((release) => release.wait)).toBe(true);
  });
});
