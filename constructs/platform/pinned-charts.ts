import type { ChartPinConfirmations, PinConfirmation } from '../pins';

/**
 * The upstream charts of the platform layer: repository, exact version and every image each pulls
 * with the values the kit gives it. Data only, read from each chart's own values and Chart.yaml at
 * that version; the constructs decide values. Bumping a version is an edit here (and a re-read of
 * that chart's values for new keys and images), and `npm run pins` then says whether it exists.
 */
export interface PinnedChart {
  readonly repository: string;
  readonly chart: string;
  readonly version: string;
  /** Upstream image references by role, tag included (charts' appVersion defaults written out). */
  readonly images: Readonly<Record<string, string>>;
  /** Where the chart's version and each image's release can be confirmed (`npm run pins`), by the same roles as `images`. */
  readonly confirm: ChartPinConfirmations;
}

/** Chart versions kept apart from the release they ship, in chart repositories no kit machine reaches. */
const chartRepositoryOnly = (where: string): PinConfirmation => ({
  unavailable: `the chart is versioned on its own in ${where}, a Helm repository, and no package registry carries it`,
});

// Go modules tagged at the very release an image (and, where versioned alike, its chart) is built from.
const ENVOY_GATEWAY = { goModule: 'github.com/envoyproxy/gateway' } as const;
const CERT_MANAGER = { goModule: 'github.com/cert-manager/cert-manager' } as const;
const METALLB = { goModule: 'go.universe.tf/metallb' } as const;
// Longhorn's components share the release version; the UI (JavaScript) is confirmed by the manager's tag of that release.
const LONGHORN = { goModule: 'github.com/longhorn/longhorn-manager' } as const;
const BARMAN_CLOUD = { goModule: 'github.com/cloudnative-pg/plugin-barman-cloud' } as const;
const PROMETHEUS_OPERATOR = { goModule: 'github.com/prometheus-operator/prometheus-operator' } as const;
const VELERO = { goModule: 'github.com/vmware-tanzu/velero' } as const;
const KYVERNO = { goModule: 'github.com/kyverno/kyverno' } as const;
/** Tags v2.x of a Go module whose go.mod path has no /v2 suffix: no Go module proxy can serve them. */
const noV2ModulePath = (module: string, tag: string): PinConfirmation => ({
  unavailable: `release tag ${tag} of ${module}, whose go.mod declares no /v2 module path, so the Go module proxy cannot serve it`,
});

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
    confirm: {
      chart: ENVOY_GATEWAY,
      images: {
        controller: ENVOY_GATEWAY,
        proxy: { goModule: 'github.com/envoyproxy/envoy', version: 'v1.39.0' },
        ratelimit: {
          unavailable: 'envoyproxy/ratelimit tags no releases: 17b1956c is the commit Envoy Gateway v1.9.0 names, and the Go module proxy here resolves no commit of it',
        },
      },
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
    confirm: {
      chart: CERT_MANAGER,
      images: { controller: CERT_MANAGER, webhook: CERT_MANAGER, cainjector: CERT_MANAGER, acmesolver: CERT_MANAGER, startupapicheck: CERT_MANAGER },
    },
  },
  metallb: {
    repository: 'https://metallb.github.io/metallb',
    chart: 'metallb',
    version: '0.16.1',
    images: { controller: 'quay.io/metallb/controller:v0.16.1', speaker: 'quay.io/metallb/speaker:v0.16.1' },
    confirm: { chart: METALLB, images: { controller: METALLB, speaker: METALLB } },
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
    confirm: {
      chart: LONGHORN,
      images: {
        engine: { goModule: 'github.com/longhorn/longhorn-engine' },
        manager: LONGHORN,
        ui: LONGHORN,
        instanceManager: { goModule: 'github.com/longhorn/longhorn-instance-manager' },
        shareManager: { goModule: 'github.com/longhorn/longhorn-share-manager' },
        backingImageManager: { goModule: 'github.com/longhorn/backing-image-manager' },
        supportBundleKit: { goModule: 'github.com/rancher/support-bundle-kit' },
        // Longhorn republishes the Kubernetes CSI sidecars under longhornio/ at their upstream tags.
        csiAttacher: { goModule: 'github.com/kubernetes-csi/external-attacher/v4' },
        csiProvisioner: { goModule: 'github.com/kubernetes-csi/external-provisioner/v5' },
        csiNodeDriverRegistrar: noV2ModulePath('github.com/kubernetes-csi/node-driver-registrar', 'v2.17.0'),
        csiResizer: noV2ModulePath('github.com/kubernetes-csi/external-resizer', 'v2.2.1'),
        csiSnapshotter: { goModule: 'github.com/kubernetes-csi/external-snapshotter/v8' },
        csiLivenessProbe: noV2ModulePath('github.com/kubernetes-csi/livenessprobe', 'v2.19.0'),
      },
    },
  },
  cloudnativePg: {
    repository: 'https://cloudnative-pg.github.io/charts',
    chart: 'cloudnative-pg',
    version: '0.29.0',
    images: { operator: 'ghcr.io/cloudnative-pg/cloudnative-pg:1.30.0' },
    confirm: {
      chart: chartRepositoryOnly('cloudnative-pg/charts'),
      images: { operator: { goModule: 'github.com/cloudnative-pg/cloudnative-pg' } },
    },
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
    confirm: { chart: chartRepositoryOnly('cloudnative-pg/charts'), images: { plugin: BARMAN_CLOUD, sidecar: BARMAN_CLOUD } },
  },
  externalSecrets: {
    repository: 'https://charts.external-secrets.io',
    chart: 'external-secrets',
    version: '2.9.0',
    images: { controller: 'ghcr.io/external-secrets/external-secrets:v2.9.0' },
    confirm: {
      chart: noV2ModulePath('github.com/external-secrets/external-secrets', 'helm-chart-2.9.0 (and v2.9.0)'),
      images: { controller: noV2ModulePath('github.com/external-secrets/external-secrets', 'v2.9.0') },
    },
  },
  openbao: {
    repository: 'https://openbao.github.io/openbao-helm',
    chart: 'openbao',
    version: '0.29.2',
    // The chart trims the "v" of its appVersion v2.6.2 for the tag.
    // The snapshot agent is the chart's own default tag: the bao CLI and s3cmd on Alpine.
    images: { server: 'quay.io/openbao/openbao:2.6.2', snapshotAgent: 'ghcr.io/openbao/openbao-snapshot-agent:0.4.1' },
    confirm: {
      chart: chartRepositoryOnly('openbao/openbao-helm'),
      images: {
        // OpenBao tags its SDK module (sdk/v2.6.2) with every release; the server's own module is not served here.
        server: { goModule: 'github.com/openbao/openbao/sdk/v2', version: 'v2.6.2' },
        snapshotAgent: { unavailable: 'the snapshot agent is a shell script in an image (openbao/openbao-snapshot-agent, release tag v0.4.1); no package registry carries it' },
      },
    },
  },
  seaweedfs: {
    repository: 'https://seaweedfs.github.io/seaweedfs/helm',
    chart: 'seaweedfs',
    version: '4.44.0',
    images: { server: 'docker.io/chrislusf/seaweedfs:4.44' },
    confirm: {
      chart: chartRepositoryOnly('seaweedfs/seaweedfs (k8s/charts)'),
      images: { server: { unavailable: 'SeaweedFS tags releases with two numbers ("4.44"), not semantic versions, so the Go module proxy serves none of them' } },
    },
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
    confirm: {
      chart: chartRepositoryOnly('prometheus-community/helm-charts'),
      images: {
        operator: PROMETHEUS_OPERATOR,
        configReloader: PROMETHEUS_OPERATOR,
        // Prometheus 3.x is published as Go module v0.3xx.y (3.14.0 is v0.314.0).
        prometheus: { goModule: 'github.com/prometheus/prometheus', version: 'v0.314.0' },
        alertmanager: { goModule: 'github.com/prometheus/alertmanager' },
        kubeStateMetrics: { goModule: 'k8s.io/kube-state-metrics/v2' },
        nodeExporter: { goModule: 'github.com/prometheus/node_exporter', version: 'v1.12.1' },
        thanos: { goModule: 'github.com/thanos-io/thanos' },
        // Grafana's Go module has no major-version path; its npm packages are published at every release.
        grafana: { npm: '@grafana/data' },
        grafanaSidecar: { unavailable: 'kiwigrid/k8s-sidecar (Python) is published only as an image; release tag 2.10.1 on GitHub, on no package registry' },
      },
    },
  },
  loki: {
    repository: 'https://grafana-community.github.io/helm-charts',
    chart: 'loki',
    version: '18.11.0',
    images: { loki: 'docker.io/grafana/loki:3.7.6' },
    confirm: { chart: chartRepositoryOnly('grafana-community/helm-charts'), images: { loki: { goModule: 'github.com/grafana/loki/v3' } } },
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
    confirm: {
      chart: chartRepositoryOnly('grafana/alloy (tag helm-chart/1.11.1)'),
      images: { alloy: { goModule: 'github.com/grafana/alloy' }, configReloader: PROMETHEUS_OPERATOR },
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
    confirm: {
      chart: chartRepositoryOnly('vmware-tanzu/helm-charts'),
      images: { server: VELERO, awsPlugin: { goModule: 'github.com/vmware-tanzu/velero-plugin-for-aws' } },
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
    confirm: {
      // Chart 3.9.0 is tagged kyverno-chart-3.9.0 on the same commit as the release v1.19.0.
      chart: { goModule: 'github.com/kyverno/kyverno', version: 'v1.19.0' },
      images: {
        admission: KYVERNO,
        init: KYVERNO,
        background: KYVERNO,
        cleanup: KYVERNO,
        reports: KYVERNO,
        cli: KYVERNO,
        readinessChecker: KYVERNO,
      },
    },
  },
} as const satisfies Record<string, PinnedChart>;
