import { Construct } from 'constructs';
import { namespaceBaseline } from '../baseline/namespace-sizing';
import { SecureNamespace } from '../baseline/secure-namespace';
import type { Environment } from '../environment/schema';
import { registryImageValues as image } from '../images';
import { AllowTraffic, anyAddress, apiServer, podsIn, podsInNamespacesLabelled } from '../baseline/allow-traffic';
import { CERT_MANAGER_SERVICE_MONITOR } from './certificates';
import { MONITORING, PLATFORM_RELEASES } from './contract';
import { GeneratedPassword } from './generated-password';
import { LOKI } from './logging';
import { PINNED_CHARTS } from './pinned-charts';
import { PinnedRelease } from '../releases/pinned-release';
import { UpstreamRoute } from './upstream-route';
import { disruptionBudget, chartResources } from './workload-defaults';
import { resilience } from '../environment/resilience';
import { restrictedContainerSecurity, restrictedPodSecurity } from '../baseline/restricted-pod';

const NAMESPACE = MONITORING.namespace;
export const NODE_EXPORTER_NAMESPACE = 'node-exporter';
const RELEASE = PLATFORM_RELEASES.monitoring;
const PROMETHEUS = { ...MONITORING.prometheusPodLabels };
const ALERTMANAGER = { 'app.kubernetes.io/name': 'alertmanager' };
const GRAFANA = { 'app.kubernetes.io/name': 'grafana', 'app.kubernetes.io/instance': RELEASE };
const OPERATOR = { 'app.kubernetes.io/name': `${RELEASE}-prometheus-operator`, 'app.kubernetes.io/instance': RELEASE };
const KUBE_STATE_METRICS = { 'app.kubernetes.io/name': 'kube-state-metrics', 'app.kubernetes.io/instance': RELEASE };
const GRAFANA_ADMIN = 'grafana-admin';
const PORTS = { prometheus: 9090, alertmanager: 9093, alertmanagerCluster: 9094, grafana: 3000, operator: 10250, kubeStateMetrics: 8080, nodeExporter: 9100, kubelet: 10250 };

export interface MonitoringProps {
  readonly env: Pick<Environment, 'cluster' | 'domain' | 'ha' | 'platform' | 'registry' | 'stage'>;
}

/**
 * Prometheus, Alertmanager and Grafana (kube-prometheus-stack): every ServiceMonitor and PodMonitor
 * in the cluster is scraped (not only those labelled for the release), Grafana is on the internal
 * gateway only with a generated admin password, node-exporter runs apart in its own namespace
 * because it reads the host.
 */
export class Monitoring extends Construct {
  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const { env } = props;
    new SecureNamespace(this, 'Namespace', { name: NAMESPACE, ...namespaceBaseline(env, 'large') });
    new SecureNamespace(this, 'NodeExporterNamespace', {
      name: NODE_EXPORTER_NAMESPACE,
      // One exporter per node: the pod count grows with the cluster.
      ...namespaceBaseline(env, 'large'),
      podSecurity: 'privileged',
      podSecurityExceptionReason: 'node-exporter reads the host\'s metrics: host network, host PID namespace and the host root filesystem; nothing else runs here',
    });
    new GeneratedPassword(this, 'GrafanaAdmin', { namespace: NAMESPACE, name: GRAFANA_ADMIN, key: 'admin-password', fixed: { 'admin-user': 'admin' } });

    const replicas = resilience(env).controllerReplicas;
    const selectEverything = Object.fromEntries(
      ['serviceMonitor', 'podMonitor', 'rule', 'probe', 'scrapeConfig'].map((kind) => [`${kind}SelectorNilUsesHelmValues`, false]),
    );
    new PinnedRelease(this, 'Release', {
      holdsData: true, // Prometheus keeps the metrics history on a claim
      env,
      chart: PINNED_CHARTS.kubePrometheusStack,
      releaseName: RELEASE,
      namespace: NAMESPACE,
      reason: 'kube-prometheus-stack runs Prometheus, Alertmanager, Grafana and the exporters with their operator and CRDs',
      valuesNotRendered: {
        'grafana.testFramework.enabled': 'the test pod exists only for `helm test`, which --skip-tests and helm install leave out; turned off so that nobody can run it',
      },
      providesCrds: true,
      dependsOn: [PLATFORM_RELEASES.certManager],
      timeoutSeconds: 900,
      values: (images) => ({
        crds: { enabled: true },
        // Control-plane components are not reachable on managed clusters; the kit scrapes what it runs.
        kubeEtcd: { enabled: false },
        kubeControllerManager: { enabled: false },
        kubeScheduler: { enabled: false },
        kubeProxy: { enabled: false },
        windowsMonitoring: { enabled: false },
        prometheusOperator: {
          image: image(images.operator),
          prometheusConfigReloader: { image: image(images.configReloader) },
          thanosImage: image(images.thanos),
          // Webhook certificates from cert-manager instead of a patch job with another image.
          admissionWebhooks: { certManager: { enabled: true }, patch: { enabled: false } },
          resources: chartResources('100m', '128Mi', '512Mi'),
          // Restarted only after 30 s without an answer, taken out of service after 10 s.
          livenessProbe: { failureThreshold: 6, timeoutSeconds: 5 },
        },
        prometheus: {
          podDisruptionBudget: disruptionBudget(replicas),
          // Monitors of releases installed before this one, which could not bring their own.
          additionalServiceMonitors: [CERT_MANAGER_SERVICE_MONITOR],
          prometheusSpec: {
            image: image(images.prometheus),
            replicas,
            retention: `${env.platform.observability.metricsRetentionDays}d`,
            ...selectEverything,
            podAntiAffinity: resilience(env).spreadIsRequired ? 'hard' : 'soft',
            resources: chartResources('200m', '1Gi', '4Gi'),
            storageSpec: {
              volumeClaimTemplate: {
                spec: {
                  storageClassName: env.cluster.storageClasses.scratch,
                  accessModes: ['ReadWriteOnce'],
                  resources: { requests: { storage: resilience(env).observabilityVolume } },
                },
              },
            },
          },
        },
        alertmanager: {
          podDisruptionBudget: disruptionBudget(replicas),
          alertmanagerSpec: { image: image(images.alertmanager), replicas, resources: chartResources('20m', '64Mi', '256Mi') },
        },
        grafana: {
          image: image(images.grafana),
          // The sidecars copy labelled ConfigMaps into Grafana's provisioning folders (volumes).
          sidecar: { image: image(images.grafanaSidecar), resources: chartResources('10m', '64Mi', '128Mi'), securityContext: restrictedContainerSecurity() },
          // Only `helm test` renders the test pod (with an image the kit does not mirror): off, so it never runs.
          testFramework: { enabled: false },
          admin: { existingSecret: GRAFANA_ADMIN, userKey: 'admin-user', passwordKey: 'admin-password' },
          'grafana.ini': { server: { root_url: `https://grafana.${env.domain}` } },
          additionalDataSources: [{ name: 'Loki', type: 'loki', access: 'proxy', url: `http://${LOKI.service}.${LOKI.namespace}.svc:${LOKI.port}` }],
          resources: chartResources('50m', '256Mi', '512Mi'),
          // Grafana's image opens its data, log, plugin and provisioning folders to any uid; it
          // writes only to /var/lib/grafana (a volume without persistence) and logs to the console.
          securityContext: restrictedPodSecurity(10472),
          containerSecurityContext: restrictedContainerSecurity(),
        },
        'kube-state-metrics': {
          image: image(images.kubeStateMetrics),
          resources: chartResources('20m', '64Mi', '256Mi'),
          // No metrics about Secrets: without them kube-state-metrics reads no Secret anywhere.
          collectorsExclude: ['secrets'],
        },
        'prometheus-node-exporter': {
          namespaceOverride: NODE_EXPORTER_NAMESPACE,
          // The tag names the variant already: the sub-chart would append "-distroless" after a digest.
          image: { ...image(images.nodeExporter), distroless: false },
          resources: chartResources('20m', '32Mi', '128Mi'),
          securityContext: restrictedPodSecurity(65534),
          containerSecurityContext: restrictedContainerSecurity(),
          // Restarted only after a minute without an answer, taken out of service after 30 s.
          livenessProbe: { failureThreshold: 6 },
        },
      }),
      workloads: [
        { name: 'prometheus', podLabels: PROMETHEUS, ports: [{ name: 'http-web', port: PORTS.prometheus }, { name: 'reloader-web', port: 8080 }], replicas },
        { name: 'alertmanager', podLabels: ALERTMANAGER, ports: [{ name: 'http-web', port: PORTS.alertmanager }, { name: 'mesh-tcp', port: PORTS.alertmanagerCluster }], replicas },
        { name: 'grafana', podLabels: GRAFANA, ports: [{ name: 'grafana', port: PORTS.grafana }] },
        { name: 'operator', podLabels: OPERATOR, ports: [{ name: 'https', port: PORTS.operator }, { name: 'http', port: 8080 }] },
        { name: 'kube-state-metrics', podLabels: KUBE_STATE_METRICS, ports: [{ name: 'http', port: PORTS.kubeStateMetrics }] },
      ],
      exceptions: {
        'POD-01': 'node-exporter reads the host\'s metrics with host network and PID namespace; it runs alone in its privileged node-exporter namespace',
        'POD-08': {
          reason: 'node-exporter reads the host\'s /proc, /sys and root filesystem (read-only) through host paths; it runs alone in its privileged node-exporter namespace',
          objects: [`DaemonSet/${NODE_EXPORTER_NAMESPACE}/${RELEASE}-prometheus-node-exporter`],
        },
        'PRB-01': {
          reason:
            'the chart renders probes for Grafana\'s sidecars only when given (sidecar.readinessProbe/livenessProbe default to none) and k8s-sidecar 2.10 serves no health endpoint the kit knows of; the sidecars serve no traffic',
          objects: [`Deployment/${NAMESPACE}/${RELEASE}-grafana`],
        },
        // Production only: REL-01 asks for a second replica there.
        ...(resilience(env).singleReplicaIsException ? { 'REL-01': [
          {
            reason: 'the chart fixes the operator at one replica (templates/prometheus-operator/deployment.yaml at 88.5.3); Prometheus and Alertmanager keep running while it restarts, only changes to their configuration wait',
            objects: [`Deployment/${NAMESPACE}/${RELEASE}-operator`],
          },
          {
            reason: 'Grafana keeps its users, sessions and settings in a SQLite file in its pod (no persistence, no external database): a second replica would be a second, different Grafana behind the same route',
            objects: [`Deployment/${NAMESPACE}/${RELEASE}-grafana`],
          },
          {
            reason: 'every kube-state-metrics replica exports the series of every object, so a second one would double every sum in dashboards and alerts; the Deployment restarts it and Prometheus alerts while it is down',
            objects: [`Deployment/${NAMESPACE}/${RELEASE}-kube-state-metrics`],
          },
        ] } : {}),
        'RBAC-01': {
          reason: 'the operator manages the monitoring.coreos.com resources, StatefulSets and the configuration Secrets it generates with every verb (templates/prometheus-operator/clusterrole.yaml offers no narrower rules)',
          objects: [`ClusterRole/${RELEASE}-operator`],
        },
        'RBAC-03': [
          {
            reason: 'the operator writes the configuration Secrets of Prometheus and Alertmanager and reads the Secrets that ServiceMonitors, PodMonitors and Probes name for scrape credentials, in every namespace it watches',
            objects: [`ClusterRole/${RELEASE}-operator`],
          },
          {
            reason: 'Grafana\'s chart grants its dashboard and datasource sidecars Secrets together with ConfigMaps, with no setting to leave Secrets out (templates/clusterrole.yaml); the sidecars watch the labelled ConfigMaps of every namespace',
            objects: [`ClusterRole/${RELEASE}-grafana-clusterrole`],
          },
        ],
        'RBAC-04': {
          reason: 'the operator reconciles through the API, kube-state-metrics lists and watches the objects it exports, and Grafana\'s sidecars watch ConfigMaps',
          objects: [`Deployment/${NAMESPACE}/${RELEASE}-operator`, `Deployment/${NAMESPACE}/${RELEASE}-kube-state-metrics`, `Deployment/${NAMESPACE}/${RELEASE}-grafana`],
        },
        'SEC-02': {
          reason: 'the chart passes the admin credentials from the kit\'s generated Secret to Grafana and to its sidecars (which call Grafana\'s reload API) only as environment variables (templates/_pod.tpl)',
          objects: [`Deployment/${NAMESPACE}/${RELEASE}-grafana`],
        },
        'SEC-03': {
          reason: 'the Secret holds the chart\'s default Alertmanager routing (inhibit rules and the receiver "null") and no credential; the operator reads Alertmanager\'s configuration only from a Secret',
          objects: [`Secret/${NAMESPACE}/alertmanager-${RELEASE}-alertmanager`],
        },
      },
    });
    this.addTraffic(env);
    new UpstreamRoute(this, 'GrafanaRoute', {
      env,
      gateway: 'internal',
      host: 'grafana',
      namespace: NAMESPACE,
      service: `${RELEASE}-grafana`,
      servicePort: 80,
      podLabels: GRAFANA,
      containerPort: PORTS.grafana,
    });
  }

  private addTraffic(env: Pick<Environment, 'ha' | 'platform' | 'stage'>): void {
    const prometheus = podsIn(NAMESPACE, PROMETHEUS);
    const scrape = new AllowTraffic(this, 'PrometheusScrape', {
      namespace: NAMESPACE,
      pods: PROMETHEUS,
      ingress: [{ peers: [podsIn(NAMESPACE, GRAFANA)], ports: [PORTS.prometheus] }],
      egress: [
        apiServer(env),
        { peers: [podsInNamespacesLabelled({})], ports: [] },
        // node-exporter and the kubelets listen on the nodes' addresses.
        { peers: [anyAddress()], ports: [PORTS.nodeExporter, PORTS.kubelet] },
        { peers: [podsIn(NAMESPACE, ALERTMANAGER)], ports: [PORTS.alertmanager] },
      ],
    });
    scrape.declareEgressAnywhere(
      env,
      'node-exporter and the kubelets listen on the nodes\' own addresses, which the environment does not list (nodes come and go); only their two metrics ports, never the metadata service',
    );
    scrape.declareException(
      'NET-02',
      'Prometheus scrapes the metrics port each component and ServiceMonitor chooses; each component\'s own policy admits Prometheus on its metrics port only',
    );
    new AllowTraffic(this, 'Alertmanager', {
      namespace: NAMESPACE,
      pods: ALERTMANAGER,
      ingress: [
        { peers: [prometheus], ports: [PORTS.alertmanager] },
        { peers: [podsIn(NAMESPACE, ALERTMANAGER)], ports: [PORTS.alertmanagerCluster, { port: PORTS.alertmanagerCluster, protocol: 'UDP' }] },
      ],
      egress: [{ peers: [podsIn(NAMESPACE, ALERTMANAGER)], ports: [PORTS.alertmanagerCluster, { port: PORTS.alertmanagerCluster, protocol: 'UDP' }] }],
    });
    new AllowTraffic(this, 'Grafana', {
      namespace: NAMESPACE,
      pods: GRAFANA,
      egress: [
        // The dashboard sidecar reads ConfigMaps.
        apiServer(env),
        { peers: [prometheus], ports: [PORTS.prometheus] },
        { peers: [podsIn(LOKI.namespace, LOKI.podLabels)], ports: [LOKI.port] },
      ],
    });
    new AllowTraffic(this, 'Operator', {
      namespace: NAMESPACE,
      pods: OPERATOR,
      ingress: [{ peers: apiServer(env).peers, ports: [PORTS.operator] }, { peers: [prometheus], ports: [PORTS.operator] }],
      egress: [apiServer(env)],
    });
    new AllowTraffic(this, 'KubeStateMetrics', {
      namespace: NAMESPACE,
      pods: KUBE_STATE_METRICS,
      ingress: [{ peers: [prometheus], ports: [PORTS.kubeStateMetrics] }],
      egress: [apiServer(env)],
    });
  }
}
