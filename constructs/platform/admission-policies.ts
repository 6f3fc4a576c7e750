import { ApiObject, Lazy } from 'cdk8s';
import { Construct, type IConstruct } from 'constructs';
import { namespaceBaseline } from '../baseline/namespace-sizing';
import { SecureNamespace } from '../baseline/secure-namespace';
import type { Environment } from '../environment/schema';
import { imagePullPolicy, registryImageValues as image } from '../images';
import { AllowTraffic, apiServer } from '../baseline/allow-traffic';
import { PLATFORM_RELEASES } from './contract';
import { PINNED_CHARTS } from './pinned-charts';
import { PinnedRelease } from '../releases/pinned-release';
import { chartResources } from './workload-defaults';
import { resilience } from '../environment/resilience';

export const KYVERNO_NAMESPACE = 'kyverno';
const podsOf = (component: string) => ({ 'app.kubernetes.io/component': component, 'app.kubernetes.io/instance': PLATFORM_RELEASES.kyverno });
const WEBHOOK_PORT = 9443;
/** Kyverno annotation that keeps a Pod rule from being generated for pod controllers too (autogen). */
const POD_RULES_ONLY = { 'pod-policies.kyverno.io/autogen-controllers': 'none' };
/** Pods of the chart's install and delete hooks (they carry no labels unless given). */
const HOOK_PODS = podsOf('hooks');

export interface AdmissionPoliciesProps {
  readonly env: Pick<Environment, 'cluster' | 'ha' | 'platform' | 'registry' | 'stage'>;
}

/**
 * Kyverno with a policy set that enforces at admission what the policy suite checks at synthesis:
 * Pod Security restricted (POD-01…11), tagged images from the allowed registries or the mirror
 * (IMG-01, IMG-03), requests and limits (RES-01), no NodePort Services (NET-03). Namespaces with a
 * declared Pod Security exception are excluded from the Pod Security rule, and only from it.
 */
export class AdmissionPolicies extends Construct {
  constructor(scope: Construct, id: string, props: AdmissionPoliciesProps) {
    super(scope, id);
    const { env } = props;
    new SecureNamespace(this, 'Namespace', { name: KYVERNO_NAMESPACE, ...namespaceBaseline(env, 'medium') });
    const admissionReplicas = resilience(env).quorumReplicas;
    const replicas = resilience(env).controllerReplicas;
    new PinnedRelease(this, 'Release', {
      env,
      chart: PINNED_CHARTS.kyverno,
      releaseName: PLATFORM_RELEASES.kyverno,
      namespace: KYVERNO_NAMESPACE,
      reason: 'Kyverno enforces the baseline at admission, so objects applied outside the kit meet it too',
      valuesNotRendered: Object.fromEntries(
        ['registry', 'repository', 'tag'].map((key) => [`test.image.${key}`, 'the test pod exists only for `helm test`; pointed at the mirrored image so that running it never pulls an unpinned upstream image']),
      ),
      providesCrds: true,
      values: (images) => ({
        admissionController: {
          replicas: admissionReplicas,
          // The chart makes the budget whenever it runs more than one replica; only its size is ours to set.
          podDisruptionBudget: admissionReplicas > 1 ? { minAvailable: 1 } : { enabled: false },
          initContainer: { image: image(images.init), resources: chartResources('10m', '64Mi', '256Mi') },
          container: { image: image(images.admission), resources: chartResources('100m', '256Mi', '768Mi') },
        },
        backgroundController: { replicas, image: image(images.background), resources: chartResources('50m', '64Mi', '256Mi') },
        cleanupController: { replicas, image: image(images.cleanup), resources: chartResources('50m', '64Mi', '256Mi') },
        reportsController: { replicas, image: image(images.reports), resources: chartResources('50m', '64Mi', '256Mi') },
        // Both default to the readiness checker's "latest" tag. The hook jobs' pods carry the
        // release label so the kit's policy lets them reach the API server.
        webhooksCleanup: {
          // The chart's pull policy for these jobs defaults to null, which renders an invalid empty value.
          image: { ...image(images.readinessChecker), pullPolicy: imagePullPolicy(images.readinessChecker.reference) },
          podLabels: HOOK_PODS,
          resources: chartResources('10m', '64Mi', '256Mi'),
        },
        test: { image: image(images.readinessChecker) },
        crds: { migration: { image: image(images.cli), podLabels: HOOK_PODS, podResources: chartResources('50m', '128Mi', '512Mi') } },
      }),
      pulls: ['admission', 'init', 'background', 'cleanup', 'reports', 'cli', 'readinessChecker'],
      exceptions: {
        'PRB-01': {
          reason: 'the chart renders no probes for the background and reports controllers and offers no setting for them (templates/*-controller/deployment.yaml at 3.9.0); they serve no traffic and hand over by leader election',
          objects: ['Deployment/kyverno/kyverno-background-controller', 'Deployment/kyverno/kyverno-reports-controller'],
        },
        'RBAC-01': {
          reason: 'the post-upgrade job rewrites the stored version of every Kyverno resource; the chart grants it every resource of Kyverno\'s API groups (templates/hooks/post-upgrade-migrate-resources.yaml)',
          objects: ['ClusterRole/kyverno:migrate-resources'],
        },
        'RBAC-04': {
          reason: 'every Kyverno controller watches the API, and the hook jobs migrate resources, remove the webhook configurations and scale the controllers down through it',
          objects: [
            ...['admission', 'background', 'cleanup', 'reports'].map((controller) => `Deployment/kyverno/kyverno-${controller}-controller`),
            ...['migrate-resources', 'rm-webhooks', 'scale-to-zero'].map((job) => `Job/kyverno/kyverno-${job}`),
          ],
        },
      },
      workloads: [
        { name: 'admission-controller', podLabels: podsOf('admission-controller'), ports: [{ name: 'https', port: WEBHOOK_PORT }, { name: 'metrics-port', port: 8000 }], replicas: admissionReplicas },
        { name: 'background-controller', podLabels: podsOf('background-controller'), ports: [{ name: 'metrics', port: 8000 }], replicas },
        { name: 'cleanup-controller', podLabels: podsOf('cleanup-controller'), ports: [{ name: 'https', port: WEBHOOK_PORT }, { name: 'metrics', port: 8000 }], replicas },
        { name: 'reports-controller', podLabels: podsOf('reports-controller'), ports: [{ name: 'metrics', port: 8000 }], replicas },
      ],
    });
    new AllowTraffic(this, 'ApiServer', { namespace: KYVERNO_NAMESPACE, pods: { 'app.kubernetes.io/instance': PLATFORM_RELEASES.kyverno }, egress: [apiServer(env)] });
    for (const component of ['admission-controller', 'cleanup-controller']) {
      new AllowTraffic(this, `${component.split('-')[0]}Webhook`, {
        namespace: KYVERNO_NAMESPACE,
        pods: podsOf(component),
        ingress: [{ peers: apiServer(env).peers, ports: [WEBHOOK_PORT] }],
      });
    }
    this.addPolicies(env);
  }

  private addPolicies(env: Pick<Environment, 'registry'>): void {
    const root = this.node.root;
    const everywhereBut = (excluded: () => string[]) => ({
      match: { any: [{ resources: { kinds: ['Pod'] } }] },
      exclude: { any: [{ resources: { namespaces: Lazy.any({ produce: excluded }) } }] },
    });
    const system = () => ['kube-system', KYVERNO_NAMESPACE];
    const policy = (name: string, title: string, rules: Record<string, unknown>[], annotations: Record<string, string> = {}) =>
      new ApiObject(this, name, {
        apiVersion: 'kyverno.io/v1',
        kind: 'ClusterPolicy',
        metadata: { name: `govstack-${name}`, annotations: { 'policies.kyverno.io/title': title, ...annotations } },
        spec: { background: true, rules },
      });

    policy('pod-security', 'Pod Security restricted, except in namespaces with a declared exception', [
      {
        name: 'restricted',
        ...everywhereBut(() => [...system(), ...relaxedNamespaces(root)]),
        validate: { failureAction: 'Enforce', podSecurity: { level: 'restricted', version: 'latest' } },
      },
    ]);
    const registries = env.registry.mirror ? [env.registry.mirror] : env.registry.allowed;
    const fromRegistries = registries.map((registry) => `${registry}/*`).join(' | ');
    const imagePattern = (message: string, image: string) => ({
      failureAction: 'Enforce',
      message,
      pattern: { spec: { '=(initContainers)': [{ image }], containers: [{ image }] } },
    });
    policy('images', 'Images tagged (never latest) and pulled from the allowed registries or the mirror', [
      { name: 'registries', ...everywhereBut(system), validate: imagePattern(`images must come from ${registries.join(', ')}`, fromRegistries) },
      { name: 'tags', ...everywhereBut(system), validate: imagePattern('images carry a tag other than latest', '*:* & !*:latest') },
    ]);
    // Pods only: by default Kyverno also generates this rule for Deployments, DaemonSets, Jobs and
    // the other pod controllers, whose templates the LimitRanger never fills in, so it would reject
    // the controllers of a chart that leaves some pods unsized (Longhorn's) before their pods exist.
    // A pod reaches Kyverno's webhook after the LimitRanger has given it the namespace's defaults.
    policy('resources', 'CPU and memory requests and a memory limit on every container', [
      {
        name: 'requests-and-limits',
        ...everywhereBut(system),
        validate: {
          failureAction: 'Enforce',
          message: 'every container declares cpu and memory requests and a memory limit',
          pattern: { spec: { containers: [{ resources: { requests: { cpu: '?*', memory: '?*' }, limits: { memory: '?*' } } }] } },
        },
      },
    ], POD_RULES_ONLY);
    policy('no-node-ports', 'No Services of type NodePort', [
      {
        name: 'no-node-port',
        match: { any: [{ resources: { kinds: ['Service'] } }] },
        validate: { failureAction: 'Enforce', message: 'Services of type NodePort are not allowed', pattern: { spec: { '=(type)': '!NodePort' } } },
      },
    ]);
  }
}

/** Namespaces of the kit whose Pod Security level is relaxed (each with a declared reason). */
function relaxedNamespaces(root: IConstruct): string[] {
  return root.node
    .findAll()
    .filter((c): c is ApiObject => c instanceof ApiObject && c.kind === 'Namespace')
    .map((namespace) => namespace.toJson() as { metadata: { name: string; labels?: Record<string, string> } })
    .filter((namespace) => namespace.metadata.labels?.['pod-security.kubernetes.io/enforce'] !== 'restricted')
    .map((namespace) => namespace.metadata.name)
    .sort();
}
