import type { PolicyCheck } from '../types';
import { perContainer, perPod } from './helpers';

const has = (map: Readonly<Record<string, unknown>> | undefined, key: string): boolean => map?.[key] !== undefined;

/** Declared resources (GovStack 6.2 req-11) and health probes (6.2 req-10). */
export const RESOURCE_CHECKS: readonly PolicyCheck[] = [
  {
    id: 'RES-01',
    title: 'cpu and memory requests and a memory limit on every container',
    severity: 'M',
    sources: 'KS; CK 10-13; GS 6.2 req-11',
    evaluate: (context) =>
      perPod(context, (pod) =>
        perContainer(pod, ({ container }) => {
          const missing = [
            ...(has(container.resources?.requests, 'cpu') ? [] : ['cpu request']),
            ...(has(container.resources?.requests, 'memory') ? [] : ['memory request']),
            ...(has(container.resources?.limits, 'memory') ? [] : ['memory limit']),
          ];
          return missing.length > 0 ? `has no ${missing.join(', ')}` : undefined;
        }),
      ),
  },
  {
    id: 'RES-02',
    title: 'ephemeral-storage request and limit',
    severity: 'L',
    sources: 'KS',
    evaluate: (context) =>
      perPod(context, (pod) =>
        perContainer(pod, ({ container }) =>
          has(container.resources?.requests, 'ephemeral-storage') && has(container.resources?.limits, 'ephemeral-storage')
            ? undefined
            : 'has no ephemeral-storage request and limit',
        ),
      ),
  },
  {
    id: 'PRB-01',
    title: 'readiness and liveness probes on long-running containers, not identical',
    severity: 'M',
    sources: 'KS; CK 8/9; GS 6.2 req-10',
    evaluate: (context) =>
      perPod(context, (pod) =>
        pod.longRunning
          ? perContainer(pod, ({ role, container }) => {
              const longRunning = role === 'container' || (role === 'init' && container.restartPolicy === 'Always');
              if (!longRunning) return undefined;
              if (!container.readinessProbe || !container.livenessProbe) return 'needs both a readiness and a liveness probe';
              return JSON.stringify(container.readinessProbe) === JSON.stringify(container.livenessProbe)
                ? 'readiness and liveness probes are identical (a slow pod would be restarted instead of taken out of service)'
                : undefined;
            })
          : [],
      ),
  },
];
