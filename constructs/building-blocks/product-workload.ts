import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { declarePolicyException } from '../baseline/policy-exception';
import { componentServiceName } from '../catalogue/addresses';
import type { CatalogueEntry, ComponentEntry, ProductContext, VolumeEntry } from '../catalogue/types';
import type { Environment, Size } from '../environment/schema';
import { GATEWAYS, sharedStorageClass } from '../platform/contract';
import { containerSpec } from './container';
import { productSecretName, type EnvSources } from './env-vars';
import { SecretFiles, secretVolume } from '../baseline/secret-files';
import { componentLabels, componentSelector } from './labels';
import { replicasFor, singleReplicaReason } from './replicas';
import { sharedClaimName } from './shared-volumes';
import { resilience } from '../environment/resilience';
import { restrictedPodSecurity } from '../baseline/restricted-pod';

export interface ProductWorkloadProps {
  readonly env: Pick<Environment, 'cluster' | 'domain' | 'ha' | 'platform' | 'registry' | 'stage'>;
  readonly entry: CatalogueEntry;
  readonly component: ComponentEntry;
  readonly size: Size;
  readonly ctx: ProductContext;
  readonly sources: EnvSources;
}

/** Kubernetes' graceful-shutdown budget; GovStack asks every container to stop within 30 s of SIGTERM. */
const TERMINATION_GRACE_SECONDS = 30;

/** A claim each replica gets of its own: a `persistent` volume, or a `shared` one where nothing can share it. */
type ClaimPerReplica = readonly [string, { readonly size: string; readonly storage: 'data' | 'scratch' }];

/**
 * One component of a product as Kubernetes objects: a dedicated ServiceAccount without a token, the
 * Deployment (or StatefulSet, when each replica keeps data on a volume of its own; shared volumes
 * are ReadWriteMany claims all replicas mount) with restricted pods, its Service, a
 * PodDisruptionBudget and topology spread when it runs several replicas, and HTTPRoutes on the
 * gateways its entry names. Every relaxation of the baseline is declared on the object with its reason.
 */
export class ProductWorkload extends Construct {
  readonly name: string;
  readonly replicas: number;

  constructor(scope: Construct, id: string, props: ProductWorkloadProps) {
    super(scope, id);
    const { env, entry, component, ctx } = props;
    const namespace = ctx.namespace;
    this.name = componentServiceName(entry, component.name);
    this.replicas = replicasFor(env, props.size, component);
    const labels = componentLabels(entry, component.name);
    const selector = componentSelector(entry, component.name);
    checkReferences(entry, component);

    new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name: this.name, namespace, labels },
      automountServiceAccountToken: false,
    });
    const volumes = Object.entries(component.volumes ?? {});
    const sharedClass = sharedStorageClass(env);
    const readOnlyVolumes = new Set(volumes.filter(([, volume]) => 'files' in volume || 'secret' in volume).map(([name]) => name));
    for (const [volume, spec] of volumes) {
      if ('files' in spec) {
        new k8s.KubeConfigMap(this, `Files-${volume}`, { metadata: { name: `${this.name}-${volume}`, namespace, labels }, data: spec.files(ctx) });
      }
    }

    const secretFiles = new SecretFiles();
    const options = { env, size: props.size, ctx, sources: props.sources, readOnlyVolumes, secretFiles };
    const initContainers = component.initContainers?.map((c) => containerSpec(c, { ...options, long: false }));
    const containers = component.containers.map((c) => containerSpec(c, { ...options, long: true }));
    const podSpec: k8s.PodSpec = {
      serviceAccountName: this.name,
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      terminationGracePeriodSeconds: TERMINATION_GRACE_SECONDS,
      securityContext: {
        ...restrictedPodSecurity(component.user.uid, component.user.gid),
        fsGroupChangePolicy: 'OnRootMismatch',
        // Namespaced and allowed by Pod Security restricted: lets the non-root user bind the product's fixed low port.
        ...(component.lowPorts ? { sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }] } : {}),
      },
      ...(initContainers ? { initContainers } : {}),
      containers,
      volumes: [...volumes.flatMap(([name, volume]) => podVolume(entry, component, name, volume, sharedClass)), ...secretFiles.volumes()],
      ...(this.replicas > 1 ? { topologySpreadConstraints: spread(env, selector) } : {}),
    };
    const template = { metadata: { labels }, spec: podSpec };
    const persistent: ClaimPerReplica[] = volumes.flatMap(([name, volume]): ClaimPerReplica[] => {
      if ('persistent' in volume) return [[name, { size: volume.persistent[props.size], storage: volume.storage }]];
      return 'shared' in volume && !sharedClass ? [[name, { size: volume.shared[props.size], storage: 'data' }]] : [];
    });
    const workload =
      persistent.length > 0
        ? new k8s.KubeStatefulSet(this, 'Resource', {
            metadata: { name: this.name, namespace, labels },
            spec: {
              replicas: this.replicas,
              revisionHistoryLimit: 5,
              serviceName: this.name,
              selector: { matchLabels: selector },
              template,
              // Government data outlives the workload: claims stay when it is deleted or scaled down.
              persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
              volumeClaimTemplates: persistent.map(([name, volume]) => ({
                metadata: { name, labels },
                spec: {
                  accessModes: ['ReadWriteOnce'],
                  storageClassName: volume.storage === 'data' ? env.cluster.storageClasses.data : env.cluster.storageClasses.scratch,
                  resources: { requests: { storage: k8s.Quantity.fromString(volume.size) } },
                },
              })),
            },
          })
        : new k8s.KubeDeployment(this, 'Resource', {
            metadata: { name: this.name, namespace, labels },
            spec: { replicas: this.replicas, revisionHistoryLimit: 5, selector: { matchLabels: selector }, template },
          });
    this.declareExceptions(workload, env, entry, component);

    const ports = component.containers.flatMap((container) => container.ports ?? []);
    if (ports.length > 0) {
      new k8s.KubeService(this, 'Service', {
        metadata: { name: this.name, namespace, labels },
        spec: {
          type: 'ClusterIP',
          selector,
          ports: ports.map((port) => ({ name: port.name, port: port.port, targetPort: k8s.IntOrString.fromString(port.name), protocol: 'TCP' })),
        },
      });
    }
    if (this.replicas > 1) {
      new k8s.KubePodDisruptionBudget(this, 'Budget', {
        metadata: { name: this.name, namespace, labels },
        spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: selector } },
      });
    }
    for (const exposure of component.exposures ?? []) {
      const port = ports[0];
      if (!port) throw new Error(`${this.name} is exposed on ${exposure.host} but serves no port`);
      new ApiObject(this, `Route-${exposure.gateway}`, {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        metadata: { name: `${this.name}-${exposure.gateway}`, namespace, labels },
        spec: {
          parentRefs: [
            {
              group: 'gateway.networking.k8s.io',
              kind: 'Gateway',
              name: GATEWAYS[exposure.gateway].name,
              namespace: GATEWAYS[exposure.gateway].namespace,
              sectionName: GATEWAYS[exposure.gateway].httpsListener,
            },
          ],
          hostnames: [`${exposure.host}.${env.domain}`],
          rules: [
            {
              matches: (exposure.paths ?? ['/']).map((path) => ({ path: { type: 'PathPrefix', value: path === '/' ? path : path.replace(/\/$/, '') } })),
              backendRefs: [{ name: this.name, port: port.port }],
            },
          ],
        },
      });
    }
  }

  private declareExceptions(workload: ApiObject, env: Pick<Environment, 'cluster' | 'ha' | 'platform' | 'stage'>, entry: CatalogueEntry, component: ComponentEntry): void {
    const { uid, gid, reason } = component.user;
    if (uid < 10000 || gid < 10000) {
      if (!reason) throw new Error(`${entry.product} ${component.name} runs as ${uid}:${gid}, below 10000, without a reason`);
      declarePolicyException(workload, 'POD-05', `runs as ${uid}:${gid}: ${reason}`);
    }
    const containers = [...(component.initContainers ?? []), ...component.containers];
    const writable = containers.filter((c) => c.writableRootFilesystem);
    if (writable.length > 0) {
      declarePolicyException(workload, 'POD-10', writable.map((c) => `${c.name}: ${c.writableRootFilesystem}`).join('; '));
    }
    const secretsInEnvironment = containers.filter((c) => c.secretsInEnvironment);
    if (secretsInEnvironment.length > 0) {
      declarePolicyException(workload, 'SEC-02', [...new Set(secretsInEnvironment.map((c) => c.secretsInEnvironment))].join('; '));
    }
    const single = singleReplicaReason(env, component);
    if (resilience(env).singleReplicaIsException && single) declarePolicyException(workload, 'REL-01', `a single replica: ${single}`);
  }
}

function podVolume(entry: CatalogueEntry, component: ComponentEntry, name: string, volume: VolumeEntry, sharedClass: string | undefined): k8s.Volume[] {
  const workload = componentServiceName(entry, component.name);
  if ('scratch' in volume) return [{ name, emptyDir: { sizeLimit: k8s.Quantity.fromString(volume.scratch), ...(volume.memory ? { medium: 'Memory' } : {}) } }];
  if ('files' in volume) return [{ name, configMap: { name: `${workload}-${name}` } }];
  if ('secret' in volume) {
    if (!entry.secrets.some((secret) => secret.name === volume.secret)) throw new Error(`${entry.product}: volume ${name} mounts secret ${volume.secret}, which the entry does not declare`);
    return [secretVolume(name, productSecretName(entry, volume.secret))];
  }
  if ('shared' in volume && sharedClass) return [{ name, persistentVolumeClaim: { claimName: sharedClaimName(entry, component, name) } }];
  return []; // a claim per replica comes from the StatefulSet's claim templates
}

/** Replicas spread over nodes (and zones in multi-zone clusters); strict in production, best effort elsewhere. */
function spread(env: Pick<Environment, 'ha' | 'platform' | 'stage'>, selector: Record<string, string>): k8s.TopologySpreadConstraint[] {
  const { spreadKeys, spreadIsRequired } = resilience(env);
  const whenUnsatisfiable = spreadIsRequired ? 'DoNotSchedule' : 'ScheduleAnyway';
  return spreadKeys.map((topologyKey) => ({ maxSkew: 1, topologyKey, whenUnsatisfiable, labelSelector: { matchLabels: selector } }));
}

/** Mounts name declared volumes and probes name declared ports: a typo in an entry fails synthesis, not the rollout. */
function checkReferences(entry: CatalogueEntry, component: ComponentEntry): void {
  const where = `${entry.product} ${component.name}`;
  for (const container of [...(component.initContainers ?? []), ...component.containers]) {
    for (const volume of Object.keys(container.mounts ?? {})) {
      if (!component.volumes?.[volume]) throw new Error(`${where}: container ${container.name} mounts undeclared volume "${volume}"`);
    }
    const ports = new Set((container.ports ?? []).map((port) => port.name));
    for (const target of container.health ? [container.health.startup, container.health.readiness, container.health.liveness] : []) {
      const port = 'http' in target ? target.port : 'tcp' in target ? target.tcp : undefined;
      if (port && !ports.has(port)) throw new Error(`${where}: container ${container.name} probes undeclared port "${port}"`);
    }
  }
}
