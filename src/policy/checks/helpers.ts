import type { PolicyContext } from '../types';
import type { Evaluation } from '../types';
import type { PodContainer, PodSource } from '../workloads';

/** One evaluation per pod template, on the object that owns it (where its exceptions are declared). */
export function perPod(context: PolicyContext, violationsOf: (pod: PodSource) => string[]): Evaluation[] {
  return context.pods.map((pod) => ({ subject: context.subjectOf(pod.owner), violations: violationsOf(pod) }));
}

/** Violations of each container of a pod, each message naming the container. */
export function perContainer(pod: PodSource, violationOf: (entry: PodContainer) => string | undefined): string[] {
  return pod.containers.flatMap((entry) => {
    const violation = violationOf(entry);
    return violation ? [`${containerLabel(entry)}: ${violation}`] : [];
  });
}

export function containerLabel({ role, container }: PodContainer): string {
  return role === 'container' ? `container ${container.name}` : `${role} container ${container.name}`;
}

/** A value at a dotted path in chart values, e.g. `rbac.clusterAdministrator`. */
export function valueAt(values: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), values);
}
