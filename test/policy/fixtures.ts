import { loadEnvironment } from '../../constructs/environment/load';
import type { Environment } from '../../constructs/environment/schema';
import type { PolicyInput, UpstreamChartFacts } from '../../src/policy';
import type { RenderedRelease } from '../../src/upstream/render';
import type { Manifest } from '../../src/synth/manifest';

/**
 * A small production environment that meets every check: one namespace with its baseline, a
 * hardened Deployment behind a NetworkPolicy and a disruption budget, the data class, a clean
 * upstream chart and Terraform that locks its state and protects the namespace. Each failing
 * fixture breaks exactly one thing in a copy of it.
 */
export const NS = 'demo';
const DIGEST = `sha256:${'a'.repeat(64)}`;
export const IMAGE = 'docker.io/library/nginx:1.27';

export function fixtureEnv(): Environment {
  const env = loadEnvironment('veloria-production');
  return { ...env, registry: { allowed: ['docker.io'], digests: {} } };
}

const meta = (name: string, namespaced = true) => ({ name, ...(namespaced ? { namespace: NS } : {}) });

export function cleanManifests(env: Environment): Manifest[] {
  const manifests: Manifest[] = [
    {
      apiVersion: 'kyverno.io/v1',
      kind: 'ClusterPolicy',
      metadata: { name: 'govstack-images' },
      spec: {
        rules: [
          {
            name: 'registries',
            match: { any: [{ resources: { kinds: ['Pod'] } }] },
            exclude: { any: [{ resources: { namespaces: ['kube-system'] } }] },
            validate: { failureAction: 'Enforce', message: 'images from docker.io', pattern: { spec: { '=(initContainers)': [{ image: 'docker.io/*' }], containers: [{ image: 'docker.io/* & !*:latest' }] } } },
          },
        ],
      },
    },
    { apiVersion: 'example.io/v1', kind: 'Widget', metadata: { name: 'w', namespace: NS, labels: { 'govstack.dev/component': 'widgets' } } },
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: NS, labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } },
    },
    { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: meta('default-deny'), spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: meta('allow-dns'),
      spec: {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          {
            to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
            ports: [{ protocol: 'UDP', port: 53 }],
          },
        ],
      },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: meta('allow-web'),
      spec: {
        podSelector: { matchLabels: { app: 'web' } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' } }], ports: [{ protocol: 'TCP', port: 8080 }] }],
        egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8' } }], ports: [{ protocol: 'TCP', port: 443 }] }],
      },
    },
    { apiVersion: 'v1', kind: 'ResourceQuota', metadata: meta('quota'), spec: { hard: { 'requests.cpu': '2' } } },
    { apiVersion: 'v1', kind: 'LimitRange', metadata: meta('limits'), spec: { limits: [{ type: 'Container' }] } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta('web'), automountServiceAccountToken: false },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta('web'),
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            serviceAccountName: 'web',
            automountServiceAccountToken: false,
            securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
            topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } }],
            volumes: [{ name: 'tmp', emptyDir: {} }],
            containers: [
              {
                name: 'web',
                image: IMAGE,
                imagePullPolicy: 'Always',
                ports: [{ name: 'http', containerPort: 8080 }],
                env: [{ name: 'LOG_LEVEL', value: 'info' }],
                securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
                resources: {
                  requests: { cpu: '50m', memory: '64Mi', 'ephemeral-storage': '100Mi' },
                  limits: { memory: '128Mi', 'ephemeral-storage': '200Mi' },
                },
                readinessProbe: { httpGet: { path: '/ready', port: 8080 } },
                livenessProbe: { httpGet: { path: '/live', port: 8080 } },
                volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
              },
            ],
          },
        },
      },
    },
    { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: meta('web'), spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } } } },
    { apiVersion: 'v1', kind: 'Service', metadata: meta('web'), spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } },
    { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: meta(env.cluster.storageClasses.data, false), provisioner: 'x', reclaimPolicy: 'Retain' },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: meta('reader'), rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }] },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: meta('reader'),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' },
      subjects: [{ kind: 'ServiceAccount', name: 'web', namespace: NS }],
    },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('settings'), data: { 'app.properties': 'log.level = info\n' } },
    // What an X-Road registration CronJob applies: a subsystem called with its own client certificate.
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: meta('register-services'),
      data: {
        'input.json': JSON.stringify({
          subsystems: [{ id: 'DEMO:GOV:1:WEB', connectionType: 'HTTPS', clientCertificate: { namespace: NS, name: 'xroad-client' } }],
        }),
      },
    },
    { apiVersion: 'v1', kind: 'Secret', metadata: meta('token'), type: 'kubernetes.io/service-account-token' },
    {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: meta('public'),
      spec: { gatewayClassName: 'x', listeners: [{ name: 'https', protocol: 'HTTPS', port: 443, tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: 'tls' }] } }] },
    },
    {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ClusterSecretStore',
      metadata: meta('country-secrets', false),
      spec: { provider: { vault: { server: 'https://vault.vault.svc:8200', path: 'secret', version: 'v2' } }, conditions: [{ namespaces: [NS] }] },
    },
    { apiVersion: 'velero.io/v1', kind: 'Schedule', metadata: meta('daily'), spec: { schedule: '0 2 * * *', useOwnerReferencesInBackup: false, template: { defaultVolumesToFsBackup: true } } },
    {
      apiVersion: 'velero.io/v1',
      kind: 'BackupStorageLocation',
      metadata: meta('default'),
      spec: { provider: 'aws', objectStorage: { bucket: 'demo-backups', prefix: 'demo' }, config: { s3Url: 'https://backups.site2.example', region: 'r1', serverSideEncryption: 'AES256' } },
    },
    {
      apiVersion: 'barmancloud.cnpg.io/v1',
      kind: 'ObjectStore',
      metadata: meta('db-backups'),
      spec: {
        configuration: {
          destinationPath: 's3://demo-backups/demo/postgres/',
          endpointURL: 'https://backups.site2.example',
          s3Credentials: { accessKeyId: { name: 'backup-object-store', key: 'ACCESS_KEY_ID' }, secretAccessKey: { name: 'backup-object-store', key: 'ACCESS_SECRET_KEY' } },
          wal: { encryption: 'AES256' },
          data: { encryption: 'AES256' },
        },
      },
    },
    {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: meta('backup-object-store'),
      spec: {
        secretStoreRef: { kind: 'ClusterSecretStore', name: 'platform' },
        target: { name: 'backup-object-store' },
        data: [{ secretKey: 'ACCESS_KEY_ID', remoteRef: { key: 'backup-demo', property: 'AWS_ACCESS_KEY_ID' } }],
      },
    },
    {
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'Cluster',
      metadata: meta('db'),
      spec: { instances: 3, imageName: 'docker.io/library/postgres:16.4', plugins: [{ name: 'barman-cloud.cloudnative-pg.io', isWALArchiver: true }] },
    },
    { apiVersion: 'postgresql.cnpg.io/v1', kind: 'ScheduledBackup', metadata: meta('db-daily'), spec: { schedule: '0 0 1 * * *', cluster: { name: 'db' } } },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: meta('allow-db'),
      spec: {
        podSelector: { matchLabels: { 'cnpg.io/cluster': 'db' } },
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ protocol: 'TCP', port: 5432 }] }],
      },
    },
  ];
  return [...manifests, ...openBaoWithSnapshots(manifests)];
}

/**
 * A secret store as the kit installs it: OpenBao's server configuration with Raft storage and a
 * transit seal, and a CronJob (the web pod's hardened template) writing snapshots off the cluster.
 */
function openBaoWithSnapshots(manifests: readonly Manifest[]): Manifest[] {
  const web = manifests.find((m) => m.kind === 'Deployment' && m.metadata.name === 'web') as Record<string, any>;
  const pod = JSON.parse(JSON.stringify(web.spec.template.spec));
  const [container] = pod.containers;
  delete container.ports;
  delete container.readinessProbe;
  delete container.livenessProbe;
  container.name = 'snapshot';
  container.envFrom = [{ configMapRef: { name: 'snapshot' } }];
  delete pod.topologySpreadConstraints;
  pod.restartPolicy = 'Never';
  return [
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: meta('bao-config'),
      data: { 'server.hcl': 'storage "raft" {\n  path = "/bao/data"\n}\nseal "transit" {\n  address = "https://unseal.example"\n}\n' },
    },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('snapshot'), data: { S3_URI: 's3://backups/openbao/raft/', S3_HOST: 'objects.site2.example' } },
    {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: meta('snapshot'),
      spec: { schedule: '15 * * * *', startingDeadlineSeconds: 600, concurrencyPolicy: 'Forbid', jobTemplate: { spec: { template: { metadata: { labels: { app: 'snapshot' } }, spec: pod } } } },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: meta('allow-snapshot'),
      spec: {
        podSelector: { matchLabels: { app: 'snapshot' } },
        policyTypes: ['Egress'],
        egress: [{ to: [{ ipBlock: { cidr: '192.0.2.10/32' } }], ports: [{ protocol: 'TCP', port: 443 }] }],
      },
    },
  ] as Manifest[];
}

export function cleanChart(): UpstreamChartFacts {
  return { releaseName: 'demo-chart', namespace: NS, repository: 'https://charts.example', chart: 'demo', version: '1.0.0', values: {}, images: [IMAGE], holdsData: true, exceptions: {}, workloads: [] };
}

export function cleanTerraform(): PolicyInput['terraform'] {
  return {
    'demo-platform': {
      terraform: { backend: { pg: { schema_name: 'demo' } } },
      resource: {
        kubernetes_namespace_v1: { 'namespace-demo': { metadata: { name: NS }, lifecycle: { prevent_destroy: true } } },
        helm_release: {
          'release-demo-chart': { name: 'demo-chart', namespace: NS, lifecycle: { prevent_destroy: true } },
          // The kit's component holding a Widget: installed after the chart that brings the Widget CRD.
          'release-widgets': { name: 'widgets', namespace: NS, depends_on: ['helm_release.release-demo-chart'] },
        },
      },
    },
  };
}

/** A CRD serving `kind` in `group` at v1, as a chart renders it. */
function crd(group: string, kind: string, scope: 'Namespaced' | 'Cluster' = 'Namespaced'): Manifest {
  const plural = `${kind.toLowerCase()}s`;
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: { group, scope, names: { kind, plural }, versions: [{ name: 'v1', served: true, storage: true }] },
  };
}

/**
 * The clean chart as Helm rendered it: the CRD of every custom resource the clean environment holds
 * (so each comes after its CRD), nothing that runs (its image is pulled by its operator at run time).
 */
export function cleanRendered(): RenderedRelease {
  const custom = new Map<string, Manifest>();
  for (const manifest of cleanManifests(fixtureEnv())) {
    const group = manifest.apiVersion.includes('/') ? manifest.apiVersion.slice(0, manifest.apiVersion.lastIndexOf('/')) : '';
    if (group.includes('.') && !group.endsWith('k8s.io') || group === 'gateway.networking.k8s.io') custom.set(`${group}/${manifest.kind}`, crd(group, manifest.kind, manifest.metadata.namespace ? 'Namespaced' : 'Cluster'));
  }
  return {
    stack: 'demo-platform',
    address: 'helm_release.release-demo-chart',
    releaseName: 'demo-chart',
    namespace: NS,
    repository: 'https://charts.example',
    chart: 'demo',
    version: '1.0.0',
    values: '',
    dependsOn: [],
    objects: [...custom.values()],
  };
}

export function cleanInput(): PolicyInput {
  const env = fixtureEnv();
  return { env, manifests: cleanManifests(env), upstreamCharts: [cleanChart()], rendered: [cleanRendered()], terraform: cleanTerraform() };
}

/** A deep copy to break: fixtures never share objects with the clean input. */
export function copyOf(input: PolicyInput): PolicyInput & { manifests: Manifest[] } {
  return { ...(JSON.parse(JSON.stringify({ ...input, env: undefined })) as PolicyInput & { manifests: Manifest[] }), env: input.env };
}

export const DIGEST_FOR_TESTS = DIGEST;
