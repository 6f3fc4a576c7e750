import { CHECK_IDS, evaluatePolicies, formatPolicyReport, type PolicyInput, type PolicyReport } from '../../src/policy';
import { scanForSecrets } from '../../src/validation/secret-scan';
import type { Manifest } from '../../src/synth/manifest';
import { cleanChart, cleanInput, copyOf, DIGEST_FOR_TESTS, IMAGE, NS } from './fixtures';

type Json = Record<string, any>;
type Mutable = PolicyInput & { manifests: Manifest[] };

const find = (input: Mutable, kind: string, name?: string): Json =>
  input.manifests.find((m) => m.kind === kind && (!name || m.metadata.name === name)) as Json;
const podSpec = (input: Mutable): Json => find(input, 'Deployment', 'web').spec.template.spec;
const container = (input: Mutable): Json => podSpec(input).containers[0];
const without = (input: Mutable, kind: string, name?: string) => {
  input.manifests = input.manifests.filter((m) => !(m.kind === kind && (!name || m.metadata.name === name)));
};
const add = (input: Mutable, manifest: Json) => input.manifests.push(manifest as Manifest);

/** For every check: the smallest change to the clean fixture that must make it fail. */
const FAILING: Record<string, (input: Mutable) => PolicyInput> = {
  'POD-01': (i) => ((podSpec(i).hostNetwork = true), i),
  'POD-02': (i) => ((container(i).securityContext.privileged = true), i),
  'POD-03': (i) => (delete container(i).securityContext.allowPrivilegeEscalation, i),
  'POD-04': (i) => ((podSpec(i).securityContext.runAsNonRoot = false), i),
  'POD-05': (i) => ((podSpec(i).securityContext.runAsUser = 1000), i),
  'POD-06': (i) => ((podSpec(i).securityContext.seccompProfile = { type: 'Unconfined' }), i),
  'POD-07': (i) => ((container(i).securityContext.capabilities.add = ['SYS_ADMIN']), i),
  'POD-08': (i) => ((podSpec(i).volumes = [{ name: 'host', hostPath: { path: '/' } }]), i),
  'POD-09': (i) => ((container(i).ports[0].hostPort = 80), i),
  'POD-10': (i) => ((container(i).securityContext.readOnlyRootFilesystem = false), i),
  'POD-11': (i) => ((container(i).securityContext.seLinuxOptions = { type: 'spc_t' }), i),
  'NS-01': (i) => ((find(i, 'Namespace').metadata.labels['pod-security.kubernetes.io/enforce'] = 'baseline'), i),
  'NS-02': (i) => ((find(i, 'Deployment', 'web').metadata.namespace = 'kube-system'), i),
  'NS-03': (i) => (without(i, 'ResourceQuota'), i),
  'RBAC-01': (i) => (add(i, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'all', namespace: NS }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['*'] }] }), i),
  'RBAC-02': (i) => (
    add(i, {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'admin' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ kind: 'ServiceAccount', name: 'web', namespace: NS }],
    }),
    i
  ),
  'RBAC-03': (i) => (add(i, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'exec', namespace: NS }, rules: [{ apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] }] }), i),
  'RBAC-04': (i) => ((podSpec(i).automountServiceAccountToken = true), i),
  'RBAC-05': (i) => ((podSpec(i).serviceAccountName = 'default'), i),
  'RBAC-06': (i) => (add(i, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'minter', namespace: NS }, rules: [{ apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'] }] }), i),
  'NET-01': (i) => (without(i, 'NetworkPolicy', 'default-deny'), i),
  'NET-02': (i) => ((find(i, 'NetworkPolicy', 'allow-web').spec.podSelector = { matchLabels: { app: 'nothing' } }), i),
  'NET-03': (i) => ((find(i, 'Service', 'web').spec.type = 'NodePort'), i),
  'NET-04': (i) => (
    add(i, {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'plain', namespace: NS },
      spec: { gatewayClassName: 'x', listeners: [{ name: 'http', protocol: 'HTTP', port: 80 }] },
    }),
    i
  ),
  'NET-05': (i) => ((find(i, 'NetworkPolicy', 'allow-web').spec.egress[0].to = [{ ipBlock: { cidr: '169.254.0.0/16' } }]), i),
  'NET-06': (i) => ((find(i, 'NetworkPolicy', 'allow-web').spec.egress[0].to = [{ ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.169.254/32'] } }]), i),
  'NET-07': (i) => ((find(i, 'Gateway', 'public').spec.listeners[0].allowedRoutes = { namespaces: { from: 'All' } }), i),
  'IMG-01': (i) => ((container(i).image = 'docker.io/library/nginx:latest'), i),
  'IMG-02': (i) => ({ ...i, env: { ...i.env, registry: { ...i.env.registry, digests: { [IMAGE]: DIGEST_FOR_TESTS } } } }),
  'IMG-03': (i) => ((container(i).image = 'evil.example/nginx:1.27'), i),
  'IMG-04': (i) => ((container(i).imagePullPolicy = 'IfNotPresent'), i),
  'SEC-01': (i) => (container(i).env.push({ name: 'DB_PASSWORD', value: 'hunter22' }), i),
  'SEC-02': (i) => (container(i).env.push({ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }), i),
  'SEC-03': (i) => (add(i, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: NS }, stringData: { password: 'hunter22' } }), i),
  'SEC-04': (i) => (add(i, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'config', namespace: NS }, data: { 'app.properties': 'db.password = hunter22\n' } }), i),
  'SEC-05': (i) => (delete find(i, 'ClusterSecretStore').spec.conditions, i),
  'RES-01': (i) => (delete container(i).resources.requests.cpu, i),
  'RES-02': (i) => (delete container(i).resources.limits['ephemeral-storage'], i),
  'PRB-01': (i) => ((container(i).livenessProbe = container(i).readinessProbe), i),
  'REL-01': (i) => ((find(i, 'Deployment', 'web').spec.replicas = 1), i),
  'REL-02': (i) => (delete podSpec(i).topologySpreadConstraints, i),
  'REL-03': (i) => (without(i, 'PodDisruptionBudget'), i),
  'REL-04': (i) => (add(i, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bare', namespace: NS }, spec: podSpec(i) }), i),
  'DATA-01': (i) => ((find(i, 'StorageClass').reclaimPolicy = 'Delete'), i),
  'DATA-02': (i) => (
    add(i, { apiVersion: 'velero.io/v1', kind: 'Schedule', metadata: { name: 'daily', namespace: NS }, spec: { schedule: '0 2 * * *', useOwnerReferencesInBackup: true, template: {} } }),
    i
  ),
  'DATA-03': (i) => (add(i, { apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', metadata: { name: 'db', namespace: NS }, spec: { instances: 1 } }), i),
  'DATA-04': (i) => (add(i, { apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', metadata: { name: 'db', namespace: NS }, spec: { instances: 3 } }), i),
  // The database's backups go to a Service of the cluster they protect.
  'BAK-01': (i) => ((find(i, 'ObjectStore').spec.configuration.endpointURL = 'http://seaweedfs-s3.object-store.svc:8333'), i),
  // Another namespace's database writes with the same key: one compromised namespace reaches both.
  'BAK-02': (i) => (
    add(i, { ...JSON.parse(JSON.stringify(find(i, 'ObjectStore'))), metadata: { name: 'db-backups', namespace: 'other' } }),
    add(i, { ...JSON.parse(JSON.stringify(find(i, 'ExternalSecret', 'backup-object-store'))), metadata: { name: 'backup-object-store', namespace: 'other' } }),
    i
  ),
  // A schedule that copies object definitions only.
  'BAK-03': (i) => ((find(i, 'Schedule').spec.template = {}), i),
  // A secret store in production that waits for key holders after every restart (Shamir unseal only).
  'BAK-04': (i) => ((find(i, 'ConfigMap', 'bao-config').data['server.hcl'] = 'storage "raft" {\n  path = "/bao/data"\n}\n'), i),
  'TF-01': (i) => ((i.terraform['demo-platform'] as Json).terraform.backend = { local: { path: 'state.tfstate' } }, i),
  'TF-02': (i) => (delete (i.terraform['demo-platform'] as Json).resource.kubernetes_namespace_v1['namespace-demo'].lifecycle, i),
  'TF-03': (i) => (delete (i.terraform['demo-platform'] as Json).resource.helm_release['release-demo-chart'].lifecycle, i),
  'UPS-01': (i) => (((i.rendered[0] as Json).objects = []), ((i.rendered[0] as Json).error = 'Error: execution error at (demo/templates/validate.yaml:3:4): replicas must be 0'), i),
  // The chart brings the Widget CRD, but the kit's `widgets` release no longer waits for it.
  'UPS-02': (i) => (delete (i.terraform['demo-platform'] as Json).resource.helm_release['release-widgets'].depends_on, i),
  // Kyverno admits images from docker.io only; a chart's job pulls from elsewhere.
  'ADM-01': (i) => (((i.rendered[0] as Json).objects = [renderedJob('quay.io/example/migrate:1.0')]), i),
  'UPS-03': (i) => (((i.rendered[0] as Json).objects = [renderedJob('registry.example/undeclared:1.0')]), i),
  // A subsystem registered as the kit did before: connection type HTTP, any caller naming it is believed.
  'XRD-01': (i) => {
    const configMap = find(i, 'ConfigMap', 'register-services');
    const input = JSON.parse(configMap.data['input.json']);
    input.subsystems[0].connectionType = 'HTTP';
    configMap.data['input.json'] = JSON.stringify(input);
    return i;
  },
  // The security server's clients policy as it was: every client namespace admitted to 8080 and 8443.
  'XRD-02': (i) => (
    add(i, {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'ss-provider-clients', namespace: NS },
      spec: {
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'xroad-security-server' } },
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'govstack.dev/xroad-client-of-provider': 'true' } } }], ports: [{ protocol: 'TCP', port: 8080 }, { protocol: 'TCP', port: 8443 }] }],
      },
    }),
    i
  ),
};

const failuresOf = (report: PolicyReport) => report.results.filter((r) => r.status === 'fail');

describe('the policy suite', () => {
  it('passes the clean fixture on every check, so each failing fixture fails for its one change', () => {
    const report = evaluatePolicies(cleanInput());
    expect(failuresOf(report)).toEqual([]);
    expect(new Set(report.results.map((r) => r.check))).toEqual(new Set(CHECK_IDS));
  });

  it('has a failing fixture for every check it runs, and no fixture for a check it does not run', () => {
    expect(Object.keys(FAILING).sort()).toEqual([...CHECK_IDS].sort());
  });

  it.each(Object.entries(FAILING))('fails %s on its failing fixture', (id, breakIt) => {
    const report = evaluatePolicies(breakIt(copyOf(cleanInput())));
    expect(report.ok).toBe(false);
    expect(failuresOf(report).map((r) => r.check)).toContain(id);
  });

  it('accepts a violation declared as an exception on the object, lists the reason and stays green', () => {
    const input = copyOf(cleanInput());
    container(input).securityContext.readOnlyRootFilesystem = false;
    find(input, 'Deployment', 'web').metadata.annotations = { 'policy.govstack.dev/exception.POD-10': 'the product writes its cache next to its binary' };
    const report = evaluatePolicies(input);
    expect(report.ok).toBe(true);
    expect(report.results).toContainEqual(
      expect.objectContaining({ check: 'POD-10', object: `Deployment/${NS}/web`, status: 'exception', reason: 'the product writes its cache next to its binary' }),
    );
  });

  it('fails an exception that names no check of the suite, and lists exceptions nothing needed', () => {
    const input = copyOf(cleanInput());
    find(input, 'Deployment', 'web').metadata.annotations = {
      'policy.govstack.dev/exception.POD-99': 'a typo in the check id must not silently excuse anything',
      'policy.govstack.dev/exception.POD-01': 'declared although the pod is not on the host network',
    };
    const report = evaluatePolicies(input);
    expect(failuresOf(report)).toEqual([expect.objectContaining({ check: 'POD-99', object: `Deployment/${NS}/web` })]);
    expect(report.unusedExceptions).toEqual([expect.objectContaining({ check: 'POD-01', object: `Deployment/${NS}/web` })]);
  });

  it('fails a literal DB_PASS-style value and a password embedded in a URL (SEC-01), and takes a $(VAR) reference in a URL for what it is', () => {
    const literal = (variable: Json) => {
      const input = copyOf(cleanInput());
      container(input).env.push(variable);
      return failuresOf(evaluatePolicies(input)).map((r) => `${r.check} ${r.detail}`);
    };
    expect(literal({ name: 'DB_PASS', value: 'hunter22' })).toEqual(['SEC-01 container web: DB_PASS given a literal value: use valueFrom']);
    expect(literal({ name: 'XROAD_DB_PWD', value: 'hunter22' })).toEqual(['SEC-01 container web: XROAD_DB_PWD given a literal value: use valueFrom']);
    expect(literal({ name: 'DATABASE_URL', value: 'postgresql://app:hunter22@db:5432/app' })).toEqual([
      'SEC-01 container web: DATABASE_URL embeds a password in a URL: pass it through valueFrom and $(VAR)',
    ]);
    expect(literal({ name: 'DATABASE_URL', value: 'postgresql://app:$(DB_PASSWORD)@db:5432/app' })).toEqual([]);
    expect(literal({ name: 'BYPASS_CACHE', value: 'true' })).toEqual([]);
  });

  it('takes a …_FILE variable holding a path for the file it names, not for a literal credential', () => {
    const input = copyOf(cleanInput());
    container(input).env.push({ name: 'DB_PASSWORD_FILE', value: '/run/secrets/db/password' });
    expect(failuresOf(evaluatePolicies(input))).toEqual([]);
    container(input).env.push({ name: 'API_TOKEN_FILE', value: 'hunter22' });
    expect(failuresOf(evaluatePolicies(input)).map((r) => r.check)).toEqual(['SEC-01']);
  });

  it('prints a table naming each failure, and says FAILED', () => {
    const text = formatPolicyReport(evaluatePolicies(FAILING['POD-02'](copyOf(cleanInput()))));
    expect(text).toMatch(/POD-02\s+Deployment\/demo\/web\s+FAIL\s+container web: runs privileged/);
    expect(text).toMatch(/FAILED\n$/);
  });
});

/** A Job as a chart renders it: the kit's baseline settings, with the given image. */
function renderedJob(image: string): Manifest {
  const template = JSON.parse(JSON.stringify(cleanInput().manifests.find((m) => m.kind === 'Deployment')!.spec)).template;
  const containers = [{ ...template.spec.containers[0], image }];
  return { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'demo-migrate', namespace: NS }, spec: { template: { ...template, spec: { ...template.spec, restartPolicy: 'Never', containers } } } };
}

describe('Pod Security\'s "probe or lifecycle host" (POD-01)', () => {
  it('fails a probe aimed at another host than the pod\'s own', () => {
    const input = copyOf(cleanInput());
    container(input).readinessProbe = { httpGet: { host: '127.0.0.1', path: '/', port: 8080 } };
    expect(failuresOf(evaluatePolicies(input))).toEqual([expect.objectContaining({ check: 'POD-01', detail: 'container web: probes or lifecycle handlers aim at host 127.0.0.1' })]);
  });
});

describe('who reads Secrets (RBAC-02, RBAC-03)', () => {
  const rbac = (object: Json) => {
    const input = copyOf(cleanInput());
    add(input, { apiVersion: 'rbac.authorization.k8s.io/v1', ...object });
    return failuresOf(evaluatePolicies(input)).map((r) => `${r.check} ${r.detail}`);
  };

  it('fails a binding to the built-in admin or edit role, not only to cluster-admin', () => {
    const binding = (role: string) => ({ kind: 'RoleBinding', metadata: { name: role, namespace: NS }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role } });
    expect(rbac(binding('admin'))).toEqual(['RBAC-02 binds the built-in admin role, which reads every Secret of its namespace']);
    expect(rbac(binding('edit'))).toEqual(['RBAC-02 binds the built-in edit role, which reads every Secret of its namespace']);
    expect(rbac(binding('view'))).toEqual([]);
  });

  it('fails a ClusterRole that adds reading Secrets to the built-in roles every user holds', () => {
    const aggregated = { kind: 'ClusterRole', metadata: { name: 'secrets-for-viewers', labels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } } };
    expect(rbac({ ...aggregated, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['list'] }] })).toEqual([
      'RBAC-03 rule 0 adds reading secrets to the built-in view role(s) of every user',
    ]);
    expect(rbac({ ...aggregated, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['list'] }] })).toEqual([]);
  });
});

describe('the cloud metadata service (NET-05)', () => {
  const egressTo = (to: Json[] | undefined) => {
    const input = copyOf(cleanInput());
    find(input, 'NetworkPolicy', 'allow-web').spec.egress[0].to = to;
    return failuresOf(evaluatePolicies(input)).filter((r) => r.check === 'NET-05').map((r) => r.detail);
  };

  it('passes a block that excepts it, and fails one that holds it or a rule to every destination', () => {
    expect(egressTo([{ ipBlock: { cidr: '10.0.0.0/8' } }])).toEqual([]);
    expect(egressTo([{ ipBlock: { cidr: '0.0.0.0/0' } }])).toEqual([
      'egress rule 0 reaches the metadata service 169.254.169.254 (and the node\'s cloud credentials): add 169.254.169.254/32 to the block\'s except',
    ]);
    expect(egressTo(undefined)).toEqual(['egress rule 0 allows every destination, the metadata service 169.254.169.254 included']);
  });
});

describe('egress to every address (NET-06)', () => {
  it('is a finding outside the sandbox only, and passes where declared with its reason', () => {
    const input = FAILING['NET-06'](copyOf(cleanInput()));
    expect(failuresOf(evaluatePolicies(input)).map((r) => `${r.check} ${r.detail}`)).toEqual([
      'NET-06 egress rule 0 sends to every address (0.0.0.0/0) on 443: name the destination\'s addresses',
    ]);
    expect(failuresOf(evaluatePolicies({ ...input, env: { ...input.env, stage: 'sandbox' } }))).toEqual([]);
    find(input as Mutable, 'NetworkPolicy', 'allow-web').metadata.annotations = { 'policy.govstack.dev/exception.NET-06': 'the ACME server publishes no addresses' };
    expect(evaluatePolicies(input).ok).toBe(true);
  });
});

describe('routes on the gateways (NET-07)', () => {
  const admitting = (namespaces: Json) => {
    const input = copyOf(cleanInput());
    find(input, 'Gateway', 'public').spec.listeners[0].allowedRoutes = { namespaces };
    return failuresOf(evaluatePolicies(input)).map((r) => `${r.check} ${r.detail}`);
  };

  it('fails a listener open to every namespace through an empty selector, and passes one naming its namespaces', () => {
    expect(admitting({ from: 'Selector', selector: {} })).toEqual(['NET-07 listener https admits routes from every namespace (an empty selector)']);
    const named = { from: 'Selector', selector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['bb-iam'] }] } };
    expect(admitting(named)).toEqual([]);
  });
});

describe('replicas in production (REL-01)', () => {
  it('holds a StatefulSet to the same rule as a Deployment: its own volume is no reason to run alone', () => {
    const input = copyOf(cleanInput());
    const web = find(input, 'Deployment', 'web');
    web.kind = 'StatefulSet';
    web.spec.serviceName = 'web';
    expect(failuresOf(evaluatePolicies(input))).toEqual([]);
    web.spec.replicas = 1;
    expect(failuresOf(evaluatePolicies(input)).filter((r) => r.check === 'REL-01').map((r) => `${r.object} ${r.detail}`)).toEqual([`StatefulSet/${NS}/web runs 1 replica in production`]);
  });
});

describe('ClusterSecretStores (SEC-05)', () => {
  const withConditions = (conditions: Json[]) => {
    const input = copyOf(cleanInput());
    find(input, 'ClusterSecretStore').spec.conditions = conditions;
    return failuresOf(evaluatePolicies(input)).map((r) => r.detail);
  };

  it('fails a store whose conditions still admit every namespace: an empty selector, or a regex matching anywhere in a name', () => {
    expect(withConditions([{ namespaceSelector: {} }])).toEqual(['condition 0 has an empty namespaceSelector, which selects every namespace']);
    expect(withConditions([{ namespaceRegexes: ['bb-'] }])).toEqual(['condition 0 matches namespaces by unanchored regexes (bb-): anchor them with ^…$']);
  });

  it('passes a store limited by a namespace label or an anchored regex', () => {
    expect(withConditions([{ namespaceSelector: { matchLabels: { 'govstack.dev/secret-store-reader': 'true' } } }, { namespaceRegexes: ['^bb-iam$'] }])).toEqual([]);
  });
});

describe('the secret store\'s own survival (BAK-04)', () => {
  const findings = (change: (input: Mutable) => void) => {
    const input = copyOf(cleanInput());
    change(input);
    return failuresOf(evaluatePolicies(input)).filter((r) => r.check === 'BAK-04').map((r) => r.detail);
  };

  it('fails an OpenBao whose snapshots stay in the cluster, and one that takes none', () => {
    expect(findings((i) => (find(i, 'ConfigMap', 'snapshot').data.S3_HOST = 'seaweedfs-s3.seaweedfs.svc:8333'))).toEqual([
      'snapshots only to seaweedfs-s3.seaweedfs.svc:8333, not to a store off the cluster it protects',
    ]);
    expect(findings((i) => without(i, 'CronJob', 'snapshot'))).toEqual([
      'has no CronJob in demo taking Raft snapshots to an object store (S3_URI): losing its volumes loses every secret',
    ]);
  });

  it('does not ask a recovery for snapshots: it restores from them, with the agent off until the next synthesis', () => {
    const input = copyOf(cleanInput());
    without(input, 'CronJob', 'snapshot');
    const recovery = { ...input, env: { ...input.env, recovery: {} as NonNullable<typeof input.env.recovery> } };
    expect(failuresOf(evaluatePolicies(recovery)).filter((r) => r.check === 'BAK-04')).toEqual([]);
  });

  it('accepts Shamir unsealing outside production, where key holders can be called', () => {
    const input = copyOf(cleanInput());
    find(input, 'ConfigMap', 'bao-config').data['server.hcl'] = 'storage "raft" {\n  path = "/bao/data"\n}\nseal "shamir" {}\n';
    const staging = { ...input, env: { ...input.env, stage: 'staging' as const } };
    expect(failuresOf(evaluatePolicies(staging)).filter((r) => r.check === 'BAK-04')).toEqual([]);
    expect(failuresOf(evaluatePolicies(input)).filter((r) => r.check === 'BAK-04')).toHaveLength(1);
  });
});

describe('custom resources and their CRDs (UPS-02)', () => {
  it('fails a custom resource whose CRD no release of the environment installs (an Istio VirtualService without Istio)', () => {
    const input = copyOf(cleanInput());
    (input.rendered[0] as Json).objects.push({ apiVersion: 'networking.istio.io/v1alpha3', kind: 'VirtualService', metadata: { name: 'demo', namespace: NS } });
    expect(failuresOf(evaluatePolicies(input))).toEqual([
      expect.objectContaining({ check: 'UPS-02', detail: 'is a VirtualService (networking.istio.io/v1alpha3), which no release of the environment installs a CRD for: the API server would refuse it' }),
    ]);
  });
});

describe("the kit's admission policies (ADM-01)", () => {
  const unsizedJob = (limitRange: Json): PolicyInput => {
    const input = copyOf(cleanInput());
    (input.manifests.find((m) => m.kind === 'ClusterPolicy')!.spec as Json).rules.push({
      name: 'requests-and-limits',
      match: { any: [{ resources: { kinds: ['Pod'] } }] },
      validate: { failureAction: 'Enforce', pattern: { spec: { containers: [{ resources: { requests: { cpu: '?*', memory: '?*' }, limits: { memory: '?*' } } }] } } },
    });
    (input.manifests.find((m) => m.kind === 'LimitRange') as Json).spec = { limits: [{ type: 'Container', ...limitRange }] };
    const job = renderedJob(IMAGE);
    delete (job.spec as Json).template.spec.containers[0].resources;
    (input.rendered[0] as Json).objects.push(job);
    (input.upstreamCharts as Json)[0].exceptions = { 'RES-01': 'the chart has no resources setting for its migration job', 'RES-02': 'the chart has no resources setting for its migration job' };
    return input;
  };

  it('judge a pod as Kyverno sees it, after the namespace LimitRange has given it its defaults', () => {
    expect(failuresOf(evaluatePolicies(unsizedJob({ default: { memory: '256Mi' }, defaultRequest: { cpu: '50m', memory: '128Mi' } })))).toEqual([]);
    expect(failuresOf(evaluatePolicies(unsizedJob({})))).toEqual([
      expect.objectContaining({ check: 'ADM-01', detail: expect.stringContaining('.spec.containers[0].resources.requests.cpu is missing') }),
    ]);
  });
});

describe('objects rendered from upstream charts', () => {
  const privilegedJob = (): PolicyInput => {
    const input = copyOf(cleanInput());
    const job = renderedJob(IMAGE);
    (job.spec as Json).template.spec.containers[0].securityContext.privileged = true;
    (input.rendered[0] as Json).objects.push(job);
    return input;
  };

  it('go through every check like the kit\'s own objects, named with their release', () => {
    expect(failuresOf(evaluatePolicies(privilegedJob()))).toEqual([
      expect.objectContaining({ check: 'POD-02', object: `Job/${NS}/demo-migrate (HelmRelease/${NS}/demo-chart)` }),
    ]);
  });

  it('take the exceptions declared on their chart, and an unused one is listed once, on the chart', () => {
    const input = privilegedJob();
    (input.upstreamCharts as Json)[0].exceptions = { 'POD-02': 'the migration job must load a kernel module', 'POD-01': 'declared though nothing uses the host network' };
    const report = evaluatePolicies(input);
    expect(report.ok).toBe(true);
    expect(report.results).toContainEqual(expect.objectContaining({ check: 'POD-02', status: 'exception', reason: 'the migration job must load a kernel module' }));
    expect(report.unusedExceptions).toEqual([expect.objectContaining({ check: 'POD-01', object: `HelmRelease/${NS}/demo-chart` })]);
  });

  it('take an exception scoped to named objects only for those objects, and one naming an object the chart does not render fails', () => {
    const input = privilegedJob();
    (input.upstreamCharts as Json)[0].scopedExceptions = [{ check: 'POD-02', reason: 'the migration job must load a kernel module', objects: [`Job/${NS}/demo-migrate`] }];
    expect(evaluatePolicies(input).ok).toBe(true);
    (input.upstreamCharts as Json)[0].scopedExceptions = [{ check: 'POD-02', reason: 'the migration job must load a kernel module', objects: [`Job/${NS}/demo-migrat`] }];
    expect(failuresOf(evaluatePolicies(input))).toEqual([
      expect.objectContaining({ check: 'POD-02', object: `Job/${NS}/demo-migrate (HelmRelease/${NS}/demo-chart)` }),
      expect.objectContaining({ check: 'POD-02', object: `HelmRelease/${NS}/demo-chart`, detail: `an exception names Job/${NS}/demo-migrat, which the chart does not render` }),
    ]);
  });



  it('fail an image their chart declares with the latest tag, one its operator starts at run time though the chart rendered', () => {
    const input = copyOf(cleanInput());
    (input.upstreamCharts as Json)[0].images = [IMAGE, 'docker.io/library/postgres:latest'];
    expect(failuresOf(evaluatePolicies(input))).toEqual([
      expect.objectContaining({ check: 'IMG-01', object: `HelmRelease/${NS}/demo-chart`, detail: 'image list: docker.io/library/postgres:latest uses the latest tag' }),
    ]);
  });

  it('requires the chart itself to come through the mirror when the environment has one', () => {
    const input = cleanInput();
    const env = { ...input.env, registry: { mirror: 'mirror.example/gov', allowed: ['mirror.example'], digests: {} } };
    const report = evaluatePolicies({ ...input, env, upstreamCharts: [{ ...cleanChart(), images: ['mirror.example/gov/library/nginx:1.27'] }] });
    const charts = failuresOf(report).filter((r) => r.object === `HelmRelease/${NS}/demo-chart`);
    expect(charts).toEqual([
      expect.objectContaining({ check: 'IMG-03', detail: 'chart demo comes from https://charts.example, not from the mirror oci://mirror.example/gov/charts' }),
    ]);
  });
});

describe('the secret scan SEC-04 relies on', () => {
  const scan = (text: string) => scanForSecrets(new Map([['fixture.yaml', text]]));

  it('finds a credential on its own line', () => {
    expect(scan('db:\n  password: hunter22\n')).toEqual([{ file: 'fixture.yaml', line: 2, kind: 'credential assigned a literal value' }]);
  });

  it('finds a short-named password and a password inside a URL', () => {
    expect(scan('[db]\ndb_pass = hunter22\n')).toEqual([{ file: 'fixture.yaml', line: 2, kind: 'credential assigned a literal value' }]);
    expect(scan('url: jdbc:postgresql://app:hunter22@db:5432/app\n')).toEqual([{ file: 'fixture.yaml', line: 1, kind: 'credentials in a URL' }]);
    expect(scan('url: postgresql://app:${DB_PASSWORD}@db:5432/app\nbypass: enabled\n')).toEqual([]);
  });

  it('does not mistake a nested mapping or the name of a key for a value', () => {
    expect(scan('privateKey:\n  algorithm: ECDSA\n')).toEqual([]);
    expect(scan('- secretKey: ACCESS_SECRET_KEY\n  remoteRef: {key: creds}\n')).toEqual([]);
  });
});

describe('X-Road client ports (XRD-02)', () => {
  const admitting = (ports?: Json[]) => {
    const input = FAILING['XRD-02'](copyOf(cleanInput())) as Mutable;
    const rule = find(input, 'NetworkPolicy', 'ss-provider-clients').spec.ingress[0];
    if (ports) rule.ports = ports;
    else delete rule.ports;
    return failuresOf(evaluatePolicies(input)).filter((r) => r.check === 'XRD-02').map((r) => r.detail);
  };

  it('passes client namespaces admitted to the TLS client port alone, and fails a rule that admits them to every port', () => {
    expect(admitting([{ protocol: 'TCP', port: 8443 }])).toEqual([]);
    expect(admitting()).toEqual([expect.stringContaining('ingress rule 0 admits other namespaces to the plain HTTP client port 8080')]);
  });
});
