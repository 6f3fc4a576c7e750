import type { Manifest } from '../synth/manifest';

/** The parts of a synthesised pod the harness reproduces (a subset of the Kubernetes PodSpec). */
export interface StartablePodSpec {
  readonly containers: readonly StartableContainer[];
  readonly initContainers?: readonly StartableContainer[];
  readonly volumes?: readonly VolumeSpec[];
  readonly securityContext?: { readonly runAsUser?: number; readonly runAsGroup?: number; readonly fsGroup?: number };
}

export interface StartableContainer {
  readonly name: string;
  readonly image: string;
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  readonly workingDir?: string;
  readonly env?: readonly EnvVarSpec[];
  readonly envFrom?: readonly { readonly configMapRef?: { name: string }; readonly secretRef?: { name: string }; readonly prefix?: string }[];
  readonly ports?: readonly { readonly name?: string; readonly containerPort: number }[];
  readonly volumeMounts?: readonly { readonly name: string; readonly mountPath: string; readonly subPath?: string; readonly readOnly?: boolean }[];
  readonly securityContext?: { readonly runAsUser?: number; readonly runAsGroup?: number; readonly readOnlyRootFilesystem?: boolean };
  readonly resources?: { readonly limits?: ContainerLimits; readonly requests?: ContainerLimits };
  readonly startupProbe?: ProbeSpec;
  readonly readinessProbe?: ProbeSpec;
  readonly livenessProbe?: ProbeSpec;
}

/** Resource quantities as the manifest gives them (`512Mi`, `500m`). */
export interface ContainerLimits {
  readonly memory?: string;
  readonly cpu?: string;
}

export interface EnvVarSpec {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: {
    readonly secretKeyRef?: { readonly name: string; readonly key: string };
    readonly configMapKeyRef?: { readonly name: string; readonly key: string };
    readonly fieldRef?: { readonly fieldPath: string };
    readonly resourceFieldRef?: { readonly resource: string };
  };
}

export interface ProbeSpec {
  readonly httpGet?: { readonly path?: string; readonly port: string | number; readonly scheme?: string };
  readonly tcpSocket?: { readonly port: string | number };
  readonly exec?: { readonly command: readonly string[] };
  readonly initialDelaySeconds?: number;
  readonly periodSeconds?: number;
  readonly timeoutSeconds?: number;
  readonly failureThreshold?: number;
}

/** A key of a ConfigMap or Secret volume as a file, with its own mode. */
export interface KeyToPath {
  readonly key: string;
  readonly path: string;
  readonly mode?: number;
}

export interface VolumeSpec {
  readonly name: string;
  readonly emptyDir?: Record<string, unknown>;
  readonly configMap?: { readonly name: string; readonly items?: readonly KeyToPath[]; readonly defaultMode?: number };
  readonly secret?: { readonly secretName: string; readonly items?: readonly KeyToPath[]; readonly defaultMode?: number };
  readonly persistentVolumeClaim?: { readonly claimName: string };
}

/** One pod of a building block's product, as synthesised, with the objects of its namespace. */
export interface StartableWorkload {
  readonly buildingBlock: string;
  readonly product: string;
  readonly component: string;
  readonly namespace: string;
  /** `Deployment/keycloak-server`. */
  readonly workload: string;
  readonly pod: StartablePodSpec;
  /**
   * How long the pod may take to become ready before its rollout counts as failed: the Deployment's
   * progressDeadlineSeconds (Kubernetes' default 600 s, also used for StatefulSets).
   */
  readonly readyWithinSeconds: number;
  /** Every object of the pod's namespace (ConfigMaps, Secrets, generators, database clusters). */
  readonly neighbours: readonly Manifest[];
}

/** Kubernetes' default Deployment progressDeadlineSeconds. */
const DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet']);

/**
 * The products' pods among an environment's objects: the Deployments and StatefulSets the building
 * blocks render from the catalogue, recognised by the kit's building-block and product labels.
 */
export function productWorkloadsOf(manifests: readonly Manifest[]): StartableWorkload[] {
  const workloads: StartableWorkload[] = [];
  for (const manifest of manifests) {
    if (!WORKLOAD_KINDS.has(manifest.kind)) continue;
    const template = (manifest.spec as { template?: { metadata?: { labels?: Record<string, string> }; spec?: StartablePodSpec } } | undefined)?.template;
    const labels = template?.metadata?.labels ?? {};
    const buildingBlock = labels['govstack.dev/building-block'];
    const product = labels['govstack.dev/product'];
    if (!buildingBlock || !product || !template?.spec) continue;
    const namespace = manifest.metadata.namespace ?? 'default';
    workloads.push({
      buildingBlock,
      product,
      component: labels['app.kubernetes.io/component'] ?? manifest.metadata.name,
      namespace,
      workload: `${manifest.kind}/${manifest.metadata.name}`,
      pod: template.spec,
      readyWithinSeconds: (manifest.spec as { progressDeadlineSeconds?: number }).progressDeadlineSeconds ?? DEFAULT_PROGRESS_DEADLINE_SECONDS,
      neighbours: manifests.filter((m) => m.metadata.namespace === namespace),
    });
  }
  return workloads.sort((a, b) => `${a.buildingBlock} ${a.workload}`.localeCompare(`${b.buildingBlock} ${b.workload}`));
}

/** A container port by its name or number, as a probe or the smoke step names it. */
export function containerPort(container: StartableContainer, port: string | number): number {
  if (typeof port === 'number') return port;
  if (/^\d+$/.test(port)) return Number(port);
  const found = container.ports?.find((p) => p.name === port);
  if (!found) throw new Error(`container ${container.name} has no port named "${port}" (it has ${(container.ports ?? []).map((p) => p.name ?? p.containerPort).join(', ') || 'none'})`);
  return found.containerPort;
}
