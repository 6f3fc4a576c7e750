import type { PolicyCheck } from '../types';
import { chartId } from '../context';

const SYSTEM_NAMESPACES = new Set(['default', 'kube-system']);

/** Namespaces: Pod Security enforced, nothing in the system namespaces, quota and limits everywhere. */
export const NAMESPACE_CHECKS: readonly PolicyCheck[] = [
  {
    id: 'NS-01',
    title: 'every Namespace enforces Pod Security restricted',
    severity: 'H',
    sources: 'CIS 5.2.1; PSS',
    evaluate: (context) =>
      context.namespaces.map((namespace) => {
        const level = namespace.metadata.labels?.['pod-security.kubernetes.io/enforce'];
        return { subject: context.subjectOf(namespace), violations: level === 'restricted' ? [] : [`enforces Pod Security ${level ?? 'nothing'}`] };
      }),
  },
  {
    id: 'NS-02',
    title: 'no workloads in default or kube-system',
    severity: 'M',
    sources: 'CK 21; KSC C-0061; NSA',
    evaluate: (context) => [
      ...context.pods.map((pod) => ({
        subject: context.subjectOf(pod.owner),
        violations: SYSTEM_NAMESPACES.has(pod.namespace) ? [`runs in ${pod.namespace}`] : [],
      })),
      ...context.upstreamCharts.map((chart) => ({
        subject: context.subjectOfChart(chart),
        violations: SYSTEM_NAMESPACES.has(chart.namespace) ? [`${chartId(chart)} installs into ${chart.namespace}`] : [],
      })),
    ],
  },
  {
    id: 'NS-03',
    title: 'every Namespace has a ResourceQuota and a LimitRange',
    severity: 'M',
    sources: 'NSA 4.0/4.1',
    evaluate: (context) => {
      const quotas = new Set(context.ofKind('ResourceQuota').map((m) => m.metadata.namespace));
      const limits = new Set(context.ofKind('LimitRange').map((m) => m.metadata.namespace));
      return context.namespaces.map((namespace) => ({
        subject: context.subjectOf(namespace),
        violations: [
          ...(quotas.has(namespace.metadata.name) ? [] : ['has no ResourceQuota']),
          ...(limits.has(namespace.metadata.name) ? [] : ['has no LimitRange']),
        ],
      }));
    },
  },
];
