/**
 * The upstream charts of the platform layer: repository, exact version and every image each pulls
 * with the values the kit gives it. Data only, read from each chart's own values and Chart.yaml at
 * that version; the constructs decide values. Bumping a version is an edit here (and a re-read of
 * that chart's values for new keys and images).
 */
export interface PinnedChart {
  readonly repository: string;
  readonly chart: string;
  readonly version: string;
  /** Upstream image references by role, tag included (charts' appVersion defaults written out). */
  readonly images: Readonly<Record<string, string>>;
}

export const PINNED_CHARTS = {
  envoyGateway: {
    repository: 'oci://docker.io/envoyproxy',
    chart: 'gateway-helm',
    version: 'v1.9.0',
    images: {
      controller: 'docker.io/envoyproxy/gateway:v1.9.0',
      // The data plane Envoy Gateway v1.9.0 runs by default (api/v1alpha1 DefaultEnvoyProxyImage).
      proxy: 'docker.io/envoyproxy/envoy:distroless-v1.39.0',
      // Named in the controller's configuration (the chart's default); pulled only for rate limiting.
      ratelimit: 'docker.io/envoyproxy/ratelimit:17b1956c',
    },
  },
  certManager: {
    repository: 'oci://quay.io/jetstack/charts',
    chart: 'cert-manager',
    version: 'v1.21.1',
    images: {
      controller: 'quay.io/jetstack/cert-manager-controller:v1.21.1',
      webhook: 'quay.io/jetstack/cert-manager-webhook:v1.21.1',
      cainjector: 'quay.io/jetstack/cert-manager-cainjector:v1.21.1',
      acmesolver: 'quay.io/jetstack/cert-manager-acmesolver:v1.21.1',
      startupapicheck: 'quay.io/jetstack/cert-manager-startupapicheck:v1.21.1',
    },
  },
  metallb: {
    repository: 'https://metallb.github.io/metallb',
    chart: 'metallb',
    version: '0.16.1',
    images: { controller: 'quay.io/metallb/controller:v0.16.1', speaker: 'quay.io/metallb/speaker:v0.16.1' },
  },
  longhorn: {
    repository: 'https://charts.longhorn.io',
    chart: 'longhorn',
    version: '1.12.1',
    images: {
      engine: 'docker.io/longhornio/longhorn-engine:v1.12.1',
      manager: 'docker.io/longhornio/longhorn-manager:v1.12.1',
      ui: 'docker.io/longhornio/longhorn-ui:v1.12.1',
      instanceManager: 'docker.io/longhornio/longhorn-instance-manager:v1.12.1',
      shareManager: 'docker.io/longhornio/longhorn-share-manager:v1.12.1',
      backingImageManager: 'docker.io/longhornio/backing-image-manager:v1.12.1',
      supportBundleKit: 'docker.io/longhornio/support-bundle-kit:v0.0.92',
      csiAttacher: 'docker.io/longhornio/csi-attacher:v4.12.0',
      csiProvisioner: 'docker.io/longhornio/csi-provisioner:v5.3.0',
      csiNodeDriverRegistrar: 'docker.io/longhornio/csi-node-driver-registrar:v2.17.0',
      csiResizer: 'docker.io/longhornio/csi-resizer:v2.2.1',
      csiSnapshotter: 'docker.io/longhornio/csi-snapshotter:v8.6.0',
      csiLivenessProbe: 'docker.io/longhornio/livenessprobe:v2.19.0',
    },
  },
  cloudnativePg: {
    repository: 'https://cloudnative-pg.github.io/charts',
    chart: 'cloudnative-pg',
    version: '0.29.0',
    images: { operator: 'ghcr.io/cloudnative-pg/cloudnative-pg:1.30.0' },
  },
  barmanCloudPlugin: {
    repository: 'https://cloudnative-pg.github.io/charts',
    chart: 'plugin-barman-cloud',
    version: '0.7.0',
    images: {
      plugin: 'ghcr.io/cloudnative-pg/plugin-barman-cloud:v0.13.0',
      // Injected into every PostgreSQL instance pod that archives through the plugin.
      sidecar: 'ghcr.io/cloudnative-pg/plugin-barman-cloud-sidecar:v0.13.0',
    },
  },
  externalSecrets: {
    repository: 'https://charts.external-secrets.io',
    chart: 'external-secrets',
    version: '2.9.0',
    images: { controller: 'ghcr.io/external-secrets/external-secrets:v2.9.0' },
  },
  openbao: {
    repository: 'https://openbao.github.io/openbao-helm',
    chart: 'openbao',
    version: '0.29.2',
    // The chart trims the "v" of its appVersion v2.6.2 for the tag.
    images: { server: 'quay.io/openbao/openbao:2.6.2' },
  },
  seaweedfs: {
    repository: 'https://seaweedfs.github.io/seaweedfs/helm',
    chart: 'seaweedfs',
    version: '4.44.0',
    images: { server: 'docker.io/chrislusf/seaweedfs:4.44' },
  },
  kubePrometheusStack: {
    repository: 'https://prometheus-community.github.io/helm-charts',
    chart: 'kube-prometheus-stack',
    version: '88.5.3',
    images: {
      operator: 'quay.io/prometheus-operator/prometheus-operator:v0.93.1',
      configReloader: 'quay.io/prometheus-operator/prometheus-config-reloader:v0.93.1',
      prometheus: 'quay.io/prometheus/prometheus:v3.14.0-distroless',
      alertmanager: 'quay.io/prometheus/alertmanager:v0.34.0',
      kubeStateMetrics: 'registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.20.0',
      // kube-prometheus-stack runs node-exporter's distroless variant (the sub-chart appends the suffix unless told not to).
      nodeExporter: 'quay.io/prometheus/node-exporter:v1.12.1-distroless',
      // The operator's default for Thanos sidecars and rulers (an argument it always gets); pulled only if one is used.
      thanos: 'quay.io/thanos/thanos:v0.42.4',
      grafana: 'docker.io/grafana/grafana:13.2.0',
      grafanaSidecar: 'quay.io/kiwigrid/k8s-sidecar:2.10.1',
    },
  },
  loki: {
    repository: 'https://grafana-community.github.io/helm-charts',
    chart: 'loki',
    version: '18.11.0',
    images: { loki: 'docker.io/grafana/loki:3.7.6' },
  },
  alloy: {
    repository: 'https://grafana.github.io/helm-charts',
    chart: 'alloy',
    version: '1.11.1',
    images: {
      alloy: 'docker.io/grafana/alloy:v1.18.1',
      // The chart's default is v0.91.0; the kit uses the reloader kube-prometheus-stack already brings.
      configReloader: 'quay.io/prometheus-operator/prometheus-config-reloader:v0.93.1',
    },
  },
  velero: {
    repository: 'https://vmware-tanzu.github.io/helm-charts',
    chart: 'velero',
    version: '12.1.0',
    images: {
      server: 'docker.io/velero/velero:v1.18.1',
      // Velero 1.18 pairs with the AWS plugin 1.14 (S3 and S3-compatible stores).
      awsPlugin: 'docker.io/velero/velero-plugin-for-aws:v1.14.2',
    },
  },
  kyverno: {
    repository: 'https://kyverno.github.io/kyverno/',
    chart: 'kyverno',
    version: '3.9.0',
    // Published to ghcr.io by kyverno's release (the chart's default registry reg.kyverno.io redirects there).
    images: {
      admission: 'ghcr.io/kyverno/kyverno:v1.19.0',
      init: 'ghcr.io/kyverno/kyvernopre:v1.19.0',
      background: 'ghcr.io/kyverno/background-controller:v1.19.0',
      cleanup: 'ghcr.io/kyverno/cleanup-controller:v1.19.0',
      reports: 'ghcr.io/kyverno/reports-controller:v1.19.0',
      cli: 'ghcr.io/kyverno/kyverno-cli:v1.19.0',
      readinessChecker: 'ghcr.io/kyverno/readiness-checker:v1.19.0',
    },
  },
} as const satisfies Record<string, PinnedChart>;
