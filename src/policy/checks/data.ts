import type { Manifest } from '../../synth/manifest';
import type { PolicyCheck } from '../types';
import { isCloudNativePgCluster } from '../../../constructs/data/cloudnative-pg';

interface PostgresClusterSpec {
  readonly instances?: number;
  readonly enablePDB?: boolean;
  readonly plugins?: readonly { readonly isWALArchiver?: boolean }[];
  readonly backup?: { readonly barmanObjectStore?: unknown };
}

const clusters = (manifests: readonly Manifest[]) => manifests.filter(isCloudNativePgCluster);
const clusterSpec = (cluster: Manifest): PostgresClusterSpec => (cluster.spec ?? {}) as PostgresClusterSpec;

/**
 * Data that must not be lost (the baseline's data section): storage that outlives its claim,
 * backups that outlive their schedule, databases that survive a node and keep their WAL.
 */
export const DATA_CHECKS: readonly PolicyCheck[] = [
  {
    id: 'DATA-01',
    title: 'storage classes holding government data reclaim with Retain',
    severity: 'H',
    sources: 'Kubernetes StorageClass reclaimPolicy defaults to Delete',
    evaluate: (context) => {
      const dataClass = context.env.cluster.storageClasses.data;
      const classes = context.ofKind('StorageClass');
      const missing = classes.some((c) => c.metadata.name === dataClass)
        ? []
        : [{ subject: { id: `StorageClass/${dataClass}`, exceptions: new Map<string, string>() }, violations: ['the environment\'s data class is not created by the kit'] }];
      return [
        ...missing,
        ...classes
          .filter((storageClass) => storageClass.metadata.name !== context.env.cluster.storageClasses.scratch)
          .map((storageClass) => {
            const policy = (storageClass as unknown as { reclaimPolicy?: string }).reclaimPolicy ?? 'Delete';
            return { subject: context.subjectOf(storageClass), violations: policy === 'Retain' ? [] : [`reclaims with ${policy}: deleting a claim deletes the data`] };
          }),
      ];
    },
  },
  {
    id: 'DATA-02',
    title: 'Velero schedules keep useOwnerReferencesInBackup false',
    severity: 'H',
    sources: 'Velero: owner references make deleting a Schedule delete its backups',
    evaluate: (context) =>
      context
        .ofKind('Schedule')
        .filter((m) => m.apiVersion.startsWith('velero.io/'))
        .map((schedule) => ({
          subject: context.subjectOf(schedule),
          violations:
            (schedule.spec as { useOwnerReferencesInBackup?: boolean }).useOwnerReferencesInBackup === false
              ? []
              : ['does not set useOwnerReferencesInBackup: false (deleting the schedule would delete its backups)'],
        })),
  },
  {
    id: 'DATA-03',
    title: 'production PostgreSQL clusters run 3 instances with disruption budgets',
    severity: 'H',
    sources: 'CloudNativePG docs (instances, enablePDB)',
    evaluate: (context) =>
      clusters(context.manifests).map((cluster) => {
        const spec = clusterSpec(cluster);
        const violations: string[] = [];
        if (context.env.stage === 'production' && (spec.instances ?? 1) < 3) violations.push(`runs ${spec.instances ?? 1} instance(s) in production`);
        // A single instance has nowhere to fail over to: CloudNativePG advises no budget there, so nodes can drain.
        if (spec.enablePDB === false && (spec.instances ?? 1) > 1) violations.push('disables its PodDisruptionBudgets');
        return { subject: context.subjectOf(cluster), violations };
      }),
  },
  {
    id: 'DATA-04',
    title: 'outside the sandbox every PostgreSQL cluster archives WAL and has a scheduled backup',
    severity: 'H',
    sources: 'CloudNativePG docs (WAL archiving, ScheduledBackup); GS 6.2 req-2',
    evaluate: (context) => {
      const scheduled = new Set(
        context
          .ofKind('ScheduledBackup')
          .map((b) => `${b.metadata.namespace}/${(b.spec as { cluster?: { name?: string } }).cluster?.name}`),
      );
      return clusters(context.manifests).map((cluster) => {
        if (context.env.stage === 'sandbox') return { subject: context.subjectOf(cluster), violations: [] };
        const spec = clusterSpec(cluster);
        const violations: string[] = [];
        if (!(spec.plugins ?? []).some((plugin) => plugin.isWALArchiver)) violations.push('archives no WAL (no plugin with isWALArchiver)');
        if (!scheduled.has(`${cluster.metadata.namespace}/${cluster.metadata.name}`)) violations.push('has no ScheduledBackup');
        return { subject: context.subjectOf(cluster), violations };
      });
    },
  },
];
