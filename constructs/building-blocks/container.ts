import { k8s } from 'cdk8s-plus-28';
import type { ContainerEntry, ContainerResources, Health, ProbeTarget, ProductContext } from '../catalogue/types';
import type { Environment, Size } from '../environment/schema';
import { imagePullPolicy, resolveImage } from '../images';
import { resolveEnv, type EnvSources } from './env-vars';
import { SecretFiles } from '../baseline/secret-files';
import { restrictedContainerSecurity } from '../baseline/restricted-pod';

const quantity = (value: string) => k8s.Quantity.fromString(value);

export function resourceRequirements(resources: ContainerResources): k8s.ResourceRequirements {
  return {
    requests: { cpu: quantity(resources.cpu), memory: quantity(resources.memory), 'ephemeral-storage': quantity(resources.ephemeralStorage) },
    limits: { cpu: quantity(resources.cpuLimit), memory: quantity(resources.memory), 'ephemeral-storage': quantity(resources.ephemeralStorage) },
  };
}

function probeAction(target: ProbeTarget): Pick<k8s.Probe, 'httpGet' | 'tcpSocket' | 'exec'> {
  if ('http' in target) {
    return {
      httpGet: {
        path: target.http,
        port: k8s.IntOrString.fromString(target.port),
        ...(target.host ? { httpHeaders: [{ name: 'Host', value: target.host }] } : {}),
      },
    };
  }
  if ('tcp' in target) return { tcpSocket: { port: k8s.IntOrString.fromString(target.tcp) } };
  return { exec: { command: [...target.exec] } };
}

/**
 * Startup tolerates the product's slowest first start; then readiness reacts fast (take the pod out
 * of the Service) and liveness slowly (restart only what is truly stuck), so they are never the same probe.
 */
function probes(health: Health): Pick<k8s.Container, 'startupProbe' | 'readinessProbe' | 'livenessProbe'> {
  const timeoutSeconds = (target: ProbeTarget) => ('exec' in target ? 20 : 5);
  return {
    startupProbe: {
      ...probeAction(health.startup),
      periodSeconds: 10,
      timeoutSeconds: timeoutSeconds(health.startup),
      failureThreshold: Math.ceil(health.startupSeconds / 10),
    },
    readinessProbe: { ...probeAction(health.readiness), periodSeconds: 10, timeoutSeconds: timeoutSeconds(health.readiness), failureThreshold: 3 },
    livenessProbe: { ...probeAction(health.liveness), periodSeconds: 30, timeoutSeconds: timeoutSeconds(health.liveness), failureThreshold: 4 },
  };
}

export interface ContainerSpecOptions {
  readonly env: Pick<Environment, 'registry'>;
  readonly size: Size;
  readonly ctx: ProductContext;
  readonly sources: EnvSources;
  /** Long-running containers get probes; init containers run to completion. */
  readonly long: boolean;
  /** Volumes that hold generated files or secrets: mounted read-only. */
  readonly readOnlyVolumes: ReadonlySet<string>;
  /** The pod's Secret files: the container adds the ones it reads. */
  readonly secretFiles: SecretFiles;
}

/**
 * One container of a product, restricted: non-root, no privilege escalation, no capabilities,
 * read-only root, secrets read from files unless the entry says why the product cannot.
 */
export function containerSpec(container: ContainerEntry, options: ContainerSpecOptions): k8s.Container {
  const { env } = options;
  if (options.long && !container.health) throw new Error(`container ${container.name} runs for long but declares no health checks`);
  const image = resolveImage(env, container.image);
  const files = new SecretFiles();
  const envVars = container.env ? resolveEnv(container.env(options.ctx), options.sources, files) : undefined;
  checkSecretsInEnvironment(`${options.sources.entry.product} container ${container.name}`, container, envVars ?? []);
  options.secretFiles.addAll(files);
  return {
    name: container.name,
    image,
    imagePullPolicy: imagePullPolicy(image),
    ...(container.command ? { command: [...container.command] } : {}),
    ...(container.args ? { args: [...container.args] } : {}),
    ...(container.workingDir ? { workingDir: container.workingDir } : {}),
    ...(container.ports ? { ports: container.ports.map((port) => ({ name: port.name, containerPort: port.port, protocol: 'TCP' })) } : {}),
    ...(envVars ? { env: envVars } : {}),
    ...(container.health && options.long ? probes(container.health) : {}),
    resources: resourceRequirements(container.resources[options.size]),
    securityContext: restrictedContainerSecurity({ writableRootFilesystem: container.writableRootFilesystem !== undefined }),
    volumeMounts: [
      ...Object.entries(container.mounts ?? {}).map(([volume, mount]) => {
        const readOnly = options.readOnlyVolumes.has(volume) ? { readOnly: true } : {};
        return typeof mount === 'string'
          ? { name: volume, mountPath: mount, ...readOnly }
          : { name: volume, mountPath: mount.path, subPath: mount.file, ...readOnly };
      }),
      ...files.mounts(),
    ],
  };
}

/** A secret value in the environment needs the entry's reason; a reason without one is stale. */
function checkSecretsInEnvironment(where: string, container: ContainerEntry, envVars: readonly k8s.EnvVar[]): void {
  const secret = envVars.filter((variable) => variable.valueFrom?.secretKeyRef).map((variable) => variable.name);
  if (secret.length > 0 && !container.secretsInEnvironment) {
    throw new Error(
      `${where} passes ${secret.join(', ')} through its environment: give each as a file ({ file: … }) or say in secretsInEnvironment why the product cannot read it from one`,
    );
  }
  if (secret.length === 0 && container.secretsInEnvironment) {
    throw new Error(`${where} gives a reason for secrets in its environment (secretsInEnvironment) but passes none there`);
  }
}
