import type { Manifest } from '../../synth/manifest';
import { selectorMatches, type LabelSelector } from '../../validation/network-policy';
import type { PolicyCheck } from '../types';
import { perPod } from './helpers';

const DEPRECATED_APIS: Readonly<Record<string, string>> = {
  'extensions/v1beta1': 'apps/v1 or networking.k8s.io/v1',
  'apps/v1beta1': 'apps/v1',
  'apps/v1beta2': 'apps/v1',
  'networking.k8s.io/v1beta1': 'networking.k8s.io/v1',
  'rbac.authorization.k8s.io/v1beta1': 'rbac.authorization.k8s.io/v1',
  'policy/v1beta1': 'policy/v1',
  'batch/v1beta1': 'batch/v1',
  'autoscaling/v2beta1': 'autoscaling/v2',
  'autoscaling/v2beta2': 'autoscaling/v2',
  'storage.k8s.io/v1beta1': 'storage.k8s.io/v1',
  'gateway.networking.k8s.io/v1alpha2': 'gateway.networking.k8s.io/v1',
  'gateway.networking.k8s.io/v1beta1': 'gateway.networking.k8s.io/v1',
  'external-secrets.io/v1beta1': 'external-secrets.io/v1',
  'external-secrets.io/v1alpha1': 'external-secrets.io/v1',
};

const HOST_TOPOLOGY_KEYS = ['kubernetes.io/hostname', 'topology.kubernetes.io/zone'];

interface DisruptionBudgetSpec {
  readonly selector?: LabelSelector;
  readonly minAvailable?: number | string;
  readonly maxUnavailable?: number | string;
}

const budgetOf = (pdb: Manifest): DisruptionBudgetSpec => (pdb.spec ?? {}) as DisruptionBudgetSpec;

/** Survives the loss of one replica (GovStack 6.2 req-9); no stale or unmanaged objects. */
export const RELIABILITY_CHECKS: readonly PolicyCheck[] = [
  {
    id: 'REL-01',
    title: 'production: replicas ≥ 2 for Deployments and StatefulSets alike',
    severity: 'M',
    sources: 'PO; KS; GS 6.2 req-9',
    evaluate: (context) =>
      perPod(context, (pod) =>
        // A StatefulSet's own volume is no reason to run alone: one replica is one node's failure from an outage.
        context.env.stage === 'production' && pod.replicas !== undefined && pod.replicas < 2 ? [`runs ${pod.replicas} replica in production`] : [],
      ),
  },
  {
    id: 'REL-02',
    title: 'production: topology spread or hostname anti-affinity',
    severity: 'M',
    sources: 'PO; KS',
    evaluate: (context) =>
      perPod(context, ({ spec, longRunning, replicas, owner }) => {
        if (context.env.stage !== 'production' || !longRunning || owner.kind === 'DaemonSet' || owner.kind === 'Pod') return [];
        // One replica cannot be spread; whether one is enough is REL-01's question.
        if ((replicas ?? 1) < 2) return [];
        const antiAffinity = spec.affinity?.podAntiAffinity;
        const keys = [
          ...(antiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((term) => term.topologyKey),
          ...(antiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((term) => term.podAffinityTerm?.topologyKey),
        ];
        const spread = (spec.topologySpreadConstraints ?? []).length > 0 || keys.some((key) => key && HOST_TOPOLOGY_KEYS.includes(key));
        return spread ? [] : [`its ${replicas ?? 1} replica(s) may all land on one node: add topologySpreadConstraints or hostname anti-affinity`];
      }),
  },
  {
    id: 'REL-03',
    title: 'a PodDisruptionBudget selects each multi-replica workload and never forbids all disruption',
    severity: 'M',
    sources: 'KS; PO',
    evaluate: (context) => {
      const budgets = context.ofKind('PodDisruptionBudget');
      return [
        ...perPod(context, (pod) => {
          if ((pod.replicas ?? 1) < 2) return [];
          // A budget without a selector selects nothing.
          const covered = budgets.some((pdb) => {
            const selector = budgetOf(pdb).selector;
            return pdb.metadata.namespace === pod.namespace && selector !== undefined && selectorMatches(selector, pod.labels);
          });
          return covered ? [] : [`${pod.replicas} replicas but no PodDisruptionBudget selects them`];
        }),
        ...budgets.map((pdb) => {
          const { minAvailable, maxUnavailable } = budgetOf(pdb);
          const selected = context.pods.filter((pod) => pod.namespace === pdb.metadata.namespace && selectorMatches(budgetOf(pdb).selector, pod.labels));
          const replicas = Math.max(0, ...selected.map((pod) => pod.replicas ?? 1));
          const forbids =
            maxUnavailable === 0 ||
            maxUnavailable === '0%' ||
            minAvailable === '100%' ||
            (typeof minAvailable === 'number' && selected.length > 0 && minAvailable >= replicas);
          return { subject: context.subjectOf(pdb), violations: forbids ? ['allows no voluntary disruption: node drains would block'] : [] };
        }),
      ];
    },
  },
  {
    id: 'REL-04',
    title: 'no bare Pods; no deprecated apiVersions; CronJobs have startingDeadlineSeconds',
    severity: 'L',
    sources: 'KSC C-0073; KS',
    evaluate: (context) =>
      context.manifests.map((manifest) => {
        const violations: string[] = [];
        if (manifest.kind === 'Pod') violations.push('is a bare Pod: nothing restarts it elsewhere when its node fails');
        const replacement = DEPRECATED_APIS[manifest.apiVersion];
        if (replacement) violations.push(`uses deprecated ${manifest.apiVersion}: use ${replacement}`);
        if (manifest.kind === 'CronJob' && (manifest.spec as { startingDeadlineSeconds?: number }).startingDeadlineSeconds === undefined) {
          violations.push('has no startingDeadlineSeconds: after an outage missed runs pile up or are skipped silently');
        }
        return { subject: context.subjectOf(manifest), violations };
      }),
  },
];
