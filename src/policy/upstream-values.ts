import { valueAt } from './checks/helpers';
import type { PolicyContext } from './context';
import type { Evaluation } from './types';

/**
 * What is statically known to break the baseline in an upstream chart, from its documented values
 * and defaults: the charts are not rendered, so each rule reads the values the kit passes and
 * knows the chart's default when a value is absent. A rule that fires needs the values fixed or an
 * exception declared on the chart (`declareUpstreamException`).
 */
interface ValueRule {
  readonly chart: string;
  readonly check: string;
  violation(values: unknown): string | undefined;
}

const SEAWEEDFS_STORAGE = ['master.data', 'master.logs', 'volume.idx', 'volume.logs', 'filer.data', 'filer.logs', 's3.logs'];

export const UPSTREAM_VALUE_RULES: readonly ValueRule[] = [
  {
    chart: 'seaweedfs',
    check: 'POD-08',
    violation: (values) => {
      // The chart's default for every data and log directory is hostPath.
      const hostPaths = SEAWEEDFS_STORAGE.filter((path) => (valueAt(values, `${path}.type`) ?? 'hostPath') === 'hostPath');
      const dataDirs = (valueAt(values, 'volume.dataDirs') as { type?: string }[] | undefined) ?? [{ type: 'hostPath' }];
      if (dataDirs.some((dir) => dir.type === 'hostPath')) hostPaths.push('volume.dataDirs');
      return hostPaths.length > 0 ? `${hostPaths.join(', ')} use hostPath volumes` : undefined;
    },
  },
  {
    chart: 'velero',
    check: 'RBAC-02',
    violation: (values) => (valueAt(values, 'rbac.clusterAdministrator') === false ? undefined : "binds Velero's service account to cluster-admin"),
  },
  {
    chart: 'velero',
    check: 'POD-03',
    violation: (values) =>
      valueAt(values, 'containerSecurityContext.allowPrivilegeEscalation') === false ? undefined : 'the Velero server container may escalate privileges (empty securityContext by default)',
  },
  {
    chart: 'velero',
    check: 'POD-08',
    violation: (values) => (valueAt(values, 'deployNodeAgent') === true ? 'the node agent mounts host paths and runs as root' : undefined),
  },
  {
    chart: 'velero',
    check: 'DATA-02',
    violation: (values) => {
      const schedules = Object.entries((valueAt(values, 'schedules') ?? {}) as Record<string, { useOwnerReferencesInBackup?: boolean }>);
      const bad = schedules.filter(([, schedule]) => schedule.useOwnerReferencesInBackup !== false).map(([name]) => name);
      return bad.length > 0 ? `schedules ${bad.join(', ')} do not set useOwnerReferencesInBackup: false` : undefined;
    },
  },
  {
    chart: 'openbao',
    check: 'NET-04',
    violation: (values) => (valueAt(values, 'global.tlsDisable') === false ? undefined : 'OpenBao listens without TLS (global.tlsDisable defaults to true)'),
  },
  {
    chart: 'openbao',
    check: 'POD-07',
    violation: (values) => {
      const drop = (valueAt(values, 'server.statefulSet.securityContext.container.capabilities.drop') as string[] | undefined) ?? [];
      return drop.includes('ALL') ? undefined : 'the OpenBao server container keeps its capabilities (the chart does not drop ALL)';
    },
  },
  {
    chart: 'longhorn',
    check: 'DATA-01',
    violation: (values) =>
      valueAt(values, 'persistence.reclaimPolicy') === 'Retain' ? undefined : "Longhorn's storage class reclaims with Delete (the chart default)",
  },
  {
    chart: 'longhorn',
    check: 'POD-02',
    violation: () => 'the Longhorn manager and CSI plugin run privileged with host paths (required to attach volumes)',
  },
  {
    chart: 'metallb',
    check: 'POD-01',
    violation: () => 'the MetalLB speaker runs on the host network with NET_RAW (required to announce addresses)',
  },
  {
    chart: 'kube-prometheus-stack',
    check: 'POD-01',
    violation: (values) =>
      valueAt(values, 'nodeExporter.enabled') === false ? undefined : 'node-exporter runs with hostNetwork, hostPID and the host root filesystem',
  },
  {
    chart: 'alloy',
    check: 'POD-03',
    violation: (values) =>
      valueAt(values, 'alloy.securityContext.allowPrivilegeEscalation') === false ? undefined : 'the Alloy container may escalate privileges (empty securityContext by default)',
  },
];

/** The evaluations of `checkId` over the upstream charts it has rules for. */
export function upstreamValueEvaluations(context: PolicyContext, checkId: string): Evaluation[] {
  return UPSTREAM_VALUE_RULES.filter((rule) => rule.check === checkId).flatMap((rule) =>
    context.upstreamCharts
      .filter((chart) => chart.chart === rule.chart)
      .map((chart) => {
        const violation = rule.violation(chart.values);
        return { subject: context.subjectOfChart(chart), violations: violation ? [`values: ${violation}`] : [] };
      }),
  );
}
