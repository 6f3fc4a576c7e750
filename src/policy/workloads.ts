import type { Manifest } from '../synth/manifest';
import { podTemplateOf } from '../validation/network-policy';

/** The parts of Kubernetes pod specs the checks read; everything optional, as in the API. */
export interface SecurityContext {
  readonly runAsNonRoot?: boolean;
  readonly runAsUser?: number;
  readonly runAsGroup?: number;
  readonly privileged?: boolean;
  readonly allowPrivilegeEscalation?: boolean;
  readonly readOnlyRootFilesystem?: boolean;
  readonly procMount?: string;
  readonly capabilities?: { readonly add?: readonly string[]; readonly drop?: readonly string[] };
  readonly seccompProfile?: { readonly type?: string };
  readonly seLinuxOptions?: { readonly type?: string };
  readonly windowsOptions?: { readonly hostProcess?: boolean };
  readonly sysctls?: readonly { readonly name: string; readonly value: string }[];
}

export interface EnvVar {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: { readonly secretKeyRef?: unknown };
}

export interface Container {
  readonly name: string;
  readonly image?: string;
  readonly imagePullPolicy?: string;
  readonly securityContext?: SecurityContext;
  readonly ports?: readonly { readonly name?: string; readonly containerPort: number; readonly hostPort?: number }[];
  readonly env?: readonly EnvVar[];
  readonly envFrom?: readonly { readonly secretRef?: unknown }[];
  readonly resources?: {
    readonly requests?: Readonly<Record<string, unknown>>;
    readonly limits?: Readonly<Record<string, unknown>>;
  };
  readonly readinessProbe?: unknown;
  readonly livenessProbe?: unknown;
  /** Init containers with `restartPolicy: Always` are sidecars: long-running. */
  readonly restartPolicy?: string;
}

export interface PodSpec {
  readonly hostNetwork?: boolean;
  readonly hostPID?: boolean;
  readonly hostIPC?: boolean;
  readonly securityContext?: SecurityContext;
  readonly containers?: readonly Container[];
  readonly initContainers?: readonly Container[];
  readonly ephemeralContainers?: readonly Container[];
  readonly volumes?: readonly Readonly<Record<string, unknown>>[];
  readonly serviceAccountName?: string;
  readonly automountServiceAccountToken?: boolean;
  readonly topologySpreadConstraints?: readonly unknown[];
  readonly affinity?: {
    readonly podAntiAffinity?: {
      readonly requiredDuringSchedulingIgnoredDuringExecution?: readonly { readonly topologyKey?: string }[];
      readonly preferredDuringSchedulingIgnoredDuringExecution?: readonly { readonly podAffinityTerm?: { readonly topologyKey?: string } }[];
    };
  };
}

export type ContainerRole = 'container' | 'init' | 'ephemeral';

/** A container together with what kind of container it is in its pod. */
export interface PodContainer {
  readonly role: ContainerRole;
  readonly container: Container;
}

/** A pod template the kit renders, with the object that owns it (where exceptions are declared). */
export interface PodSource {
  readonly owner: Manifest;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly spec: PodSpec;
  readonly containers: readonly PodContainer[];
  /** Replicas asked for; undefined for kinds without replicas (DaemonSet, Job). */
  readonly replicas?: number;
  /** Serves continuously (not a Job or CronJob): probes and replicas apply. */
  readonly longRunning: boolean;
}

/** Every pod template among the manifests. */
export function podSources(manifests: readonly Manifest[]): PodSource[] {
  const sources: PodSource[] = [];
  for (const manifest of manifests) {
    const template = podTemplateOf<PodSpec>(manifest);
    if (!template?.spec) continue;
    const spec = template.spec;
    const replicasField = (manifest.spec as { replicas?: number } | undefined)?.replicas;
    const hasReplicas = ['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController'].includes(manifest.kind);
    sources.push({
      owner: manifest,
      namespace: manifest.metadata.namespace ?? 'default',
      labels: template.metadata?.labels ?? {},
      spec,
      containers: [
        ...(spec.containers ?? []).map((container) => ({ role: 'container' as const, container })),
        ...(spec.initContainers ?? []).map((container) => ({ role: 'init' as const, container })),
        ...(spec.ephemeralContainers ?? []).map((container) => ({ role: 'ephemeral' as const, container })),
      ],
      replicas: hasReplicas ? (replicasField ?? 1) : undefined,
      longRunning: !['Job', 'CronJob'].includes(manifest.kind),
    });
  }
  return sources;
}

/** Effective value of a security setting: the container's, else the pod's. */
export function effective<K extends keyof SecurityContext>(pod: PodSpec, container: Container, key: K): SecurityContext[K] {
  return container.securityContext?.[key] ?? pod.securityContext?.[key];
}
