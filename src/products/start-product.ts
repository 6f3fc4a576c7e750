import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, statSync, chmodSync, chownSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { bytes, formatBytes } from '../../constructs/baseline/quantity';
import type { Manifest } from '../synth/manifest';
import type { InstalledDistribution, ProductDistribution } from './distribution';
import { HarnessError } from './harness-error';
import { LocalPostgres } from './local-postgres';
import { LocalRedis } from './local-redis';
import { containerEnvironment, expand, type FieldRefIdentity } from './pod-environment';
import { containerPort, type StartableContainer, type KeyToPath, type ProbeSpec, type StartableWorkload, type VolumeSpec } from './pod-workloads';
import { assertPortFree } from './ports';
import { killGroup, MemoryWatch, processesOf } from './process-group';
import { assertOpenApiDocumentsServed, type RegisteredApi } from './openapi-documents';
import { PROBE_DEFAULTS, probeBudgetSeconds, probeOnce, type ExecProbe, type ProbeAttempt } from './probes';
import { sandboxArgv, type SandboxMount } from './sandbox';
import { TestValues } from './test-values';
import { CNPG_INSTANCE_PORTS, cloudNativePgServiceNames, isCloudNativePgCluster } from '../../constructs/data/cloudnative-pg';
import { VALKEY_PORT } from '../../constructs/data/valkey';

/** The database port the kit's pods connect to (CloudNativePG's service port). */
const DATABASE_PORT = CNPG_INSTANCE_PORTS.postgres;
/** The port of the kit's Valkey. */
const CACHE_PORT = VALKEY_PORT;
/** How long an init container may run before the harness calls it hung. */
const INIT_CONTAINER_SECONDS = 600;
/** Log lines shown when a product fails. */
const LOG_TAIL = 30;

/**
 * What a run has started and must stop, for an interrupted harness (Ctrl-C, CI's timeout): PostgreSQL
 * is a daemon and outlives its parent, unlike the sandboxed processes (bubblewrap --die-with-parent).
 */
const running = new Set<() => void | Promise<void>>();

/** Stops everything every run in progress has started; the CLI calls it on SIGINT and SIGTERM. */
export async function stopEverything(): Promise<void> {
  for (const stop of [...running]) await stop();
  running.clear();
}

export interface StartOptions {
  /** Cache folder of the installed distributions (keyed by product and version below it). */
  readonly cacheDir: string;
  readonly log: (line: string) => void;
  /** The environment's settings the smoke step checks against (realms…). */
  readonly settings: Readonly<Record<string, unknown>>;
  /** Keep the scratch folder (volumes, logs) for inspection. */
  readonly keepScratch?: boolean;
  /** The APIs the catalogue registers with X-Road from this pod, whose OpenAPI documents it must serve. */
  readonly apis?: readonly RegisteredApi[];
}

export interface ProductRun {
  readonly workload: StartableWorkload;
  readonly container: string;
  readonly passed: boolean;
  /** What each step proved, in order (install, database, init containers, probes, smoke). */
  readonly steps: readonly string[];
  /** Why it failed, with the product's last log lines. */
  readonly failure?: string;
  readonly differences: readonly string[];
}

/**
 * Starts one product pod the way the synthesised manifest describes it: the real distribution in the
 * container's place, its init containers first, then the main container until its startup and
 * readiness probes pass within the kubelet's budget, then the product's smoke step. Everything it
 * started is stopped and its scratch folder removed, whatever happens.
 */
export async function startProduct(workload: StartableWorkload, distribution: ProductDistribution, options: StartOptions): Promise<ProductRun> {
  const steps: string[] = [];
  const container = workload.pod.containers.find((c) => distribution.containers.includes(c.name));
  if (!container) {
    throw new HarnessError(`${workload.workload} has no container named ${distribution.containers.join(' or ')}, which the ${distribution.product} distribution runs (it has ${workload.pod.containers.map((c) => c.name).join(', ')})`);
  }
  const scratch = mkdtempSync(path.join(tmpdir(), `govstack-products-${distribution.product}-`));
  chmodSync(scratch, 0o755);
  const cleanups: (() => void | Promise<void>)[] = [];
  let logFile = '';
  const say = (line: string) => options.log(`${workload.buildingBlock}/${distribution.product}: ${line}`);
  try {
    const installed = await distribution.install(path.join(options.cacheDir, `${distribution.product}-${distribution.version}`), say, container.name);
    steps.push(`installed ${distribution.source}`);
    const values = new TestValues(workload.neighbours, DATABASE_PORT);
    const pod: FieldRefIdentity = { name: `${workload.workload.split('/')[1]}-harness`, namespace: workload.namespace };
    for (const port of container.ports ?? []) await assertPortFree(port.containerPort, `container port ${port.name ?? port.containerPort} of ${workload.workload}`);

    let postgresOfPod: LocalPostgres | undefined;
    if (values.databases.length > 0) {
      const postgres = await LocalPostgres.start(scratch, DATABASE_PORT, say);
      postgresOfPod = postgres;
      const stopPostgres = () => postgres.stop();
      running.add(stopPostgres);
      cleanups.push(() => {
        running.delete(stopPostgres);
        stopPostgres();
      });
      for (const database of values.databases) postgres.createDatabase(database, scratch);
      steps.push(`database ${values.databases.map((d) => d.database).join(', ')} on ${postgres.version} with the kit's init SQL`);
    }

    const cache = cachePasswordSecret(workload, [...(workload.pod.initContainers ?? []), container]);
    if (cache) {
      const redis = await LocalRedis.start(path.join(options.cacheDir, 'debian-redis'), scratch, CACHE_PORT, values.secretValue(cache.secret, 'password'), say);
      const stopRedis = () => redis.stop();
      running.add(stopRedis);
      cleanups.push(async () => {
        running.delete(stopRedis);
        await stopRedis();
      });
      steps.push(`cache ${cache.valkey} as Redis ${redis.version} from Debian, with the password of ${cache.secret}`);
    }

    const hostsFile = path.join(scratch, 'hosts');
    writeFileSync(hostsFile, hostsOf(workload.neighbours, workload.namespace, pod.name), { mode: 0o644 });
    const volumes = materialiseVolumes(workload.pod.volumes ?? [], values, path.join(scratch, 'volumes'), workload.pod.securityContext?.fsGroup);

    for (const init of workload.pod.initContainers ?? []) {
      const run = launch(init, installed, volumes, values, pod, hostsFile, workload, path.join(scratch, `${init.name}.log`));
      const code = await exited(run.child, INIT_CONTAINER_SECONDS);
      if (code !== 0) {
        throw new HarnessError(`init container ${init.name} ${code === undefined ? `did not finish within ${INIT_CONTAINER_SECONDS} s` : `exited ${code}`}:\n${tail(run.logFile)}`);
      }
      steps.push(`init container ${init.name} completed`);
    }

    const main = launch(container, installed, volumes, values, pod, hostsFile, workload, path.join(scratch, `${container.name}.log`));
    logFile = main.logFile;
    cleanups.unshift(() => stopProcess(main.child));
    const memory = new MemoryWatch(main.child.pid ?? -1);
    cleanups.unshift(() => memory.stop());
    const port = (p: string | number) => containerPort(container, p);
    const started = Date.now();
    if (container.startupProbe) steps.push(await waitForStartup(container.startupProbe, container, main.child, port, main.exec));
    if (container.readinessProbe) steps.push(await waitForReadiness(container.readinessProbe, container, main.child, port, workload.readyWithinSeconds * 1000 - (Date.now() - started), main.exec));
    if (container.livenessProbe) {
      const live = await probeOnce(container.livenessProbe, probePort(container.livenessProbe, port), main.exec);
      if (!live.passed) throw new HarnessError(`liveness probe failed once ready: ${live.detail}`);
      steps.push(`liveness probe passed (${live.detail})`);
    }
    if (!container.startupProbe && !container.readinessProbe) throw new HarnessError(`${workload.workload} container ${container.name} has no startup or readiness probe to prove it started`);
    const env = main.env;
    const file = (containerPath: string) => readFileSync(hostPathOf(containerPath, main.mounts, installed), 'utf8');
    steps.push(`smoke: ${await distribution.smoke({ env, port, file, log: () => readFileSync(main.logFile, 'utf8'), settings: options.settings, databaseTables: postgresOfPod?.tables.bind(postgresOfPod) })}`);
    steps.push(...(await assertOpenApiDocumentsServed(options.apis ?? [], (p) => port(p))));
    memory.sample();
    steps.push(withinMemoryLimit(memory.peak, container));
    return { workload, container: container.name, passed: true, steps, differences: installed.differences };
  } catch (error) {
    if (!(error instanceof HarnessError)) throw error;
    const logs = logFile ? `\nlast ${LOG_TAIL} log lines of ${container.name}:\n${tail(logFile)}` : '';
    return { workload, container: container.name, passed: false, steps, failure: `${error.message}${logs}`, differences: [] };
  } finally {
    for (const cleanup of cleanups) await cleanup();
    if (!options.keepScratch) rmSync(scratch, { recursive: true, force: true });
    else say(`scratch folder kept: ${scratch}`);
  }
}

interface Launched {
  readonly child: ChildProcess;
  readonly logFile: string;
  readonly env: Record<string, string>;
  readonly mounts: readonly SandboxMount[];
  /** Runs an exec probe's command as the kubelet does: in the container's filesystem, user and environment. */
  readonly exec: ExecProbe;
}

/** Where a path the container sees lies on the host: in the innermost volume mounted over it, else in the image. */
function hostPathOf(containerPath: string, mounts: readonly SandboxMount[], installed: InstalledDistribution): string {
  const layers = [...mounts.map((m) => [m.path, m.hostPath] as const), ...Object.entries(installed.imagePaths)];
  const under = layers.filter(([p]) => containerPath === p || containerPath.startsWith(`${p}/`)).sort(([a], [b]) => b.length - a.length)[0];
  if (!under) throw new HarnessError(`${containerPath} is neither in a volume of the pod nor in the image`);
  return path.join(under[1], containerPath.slice(under[0].length));
}

function launch(container: StartableContainer, installed: InstalledDistribution, volumes: ReadonlyMap<string, string>, values: TestValues, pod: FieldRefIdentity, hostsFile: string, workload: StartableWorkload, logFile: string): Launched {
  if (container.securityContext?.readOnlyRootFilesystem !== true) {
    // The kit's policy requires read-only roots; an image's writable layer is not reproduced here.
    throw new HarnessError(`${workload.workload} container ${container.name} does not set readOnlyRootFilesystem: true; the harness runs read-only roots only`);
  }
  const env = containerEnvironment(container, installed.imageEnv, values, pod);
  for (const [name, value] of Object.entries(installed.limitsEnvironment?.(container.resources?.limits ?? {}) ?? {})) {
    env[name] = env[name] ? `${value} ${env[name]}` : value;
  }
  const argv = containerArgv(container, installed).map((arg) => expand(arg, env));
  const mounts: SandboxMount[] = (container.volumeMounts ?? []).map((mount) => {
    const volume = volumes.get(mount.name);
    if (!volume) throw new HarnessError(`${workload.workload} container ${container.name} mounts volume ${mount.name}, which the pod does not declare`);
    const writable = !mount.readOnly && isWritableVolume(workload.pod.volumes ?? [], mount.name);
    return { path: mount.mountPath, hostPath: mount.subPath ? path.join(volume, mount.subPath) : volume, writable };
  });
  for (const mount of mounts) ensureMountPoint(mount, installed);
  const security = { ...workload.pod.securityContext, ...container.securityContext };
  const uid = security.runAsUser ?? 0;
  const gid = security.runAsGroup ?? 0;
  const fsGroup = workload.pod.securityContext?.fsGroup;
  const command = sandboxArgv({
    imagePaths: installed.imagePaths,
    mounts,
    hostsFile,
    hostname: pod.name,
    uid,
    gid,
    supplementaryGroups: fsGroup !== undefined && fsGroup !== gid ? [fsGroup] : [],
    workingDir: container.workingDir ?? installed.workingDir,
    argv,
  });
  const fd = openSync(logFile, 'a');
  // Its own process group, so stopping it stops everything it started.
  const child = spawn(command[0], command.slice(1), { env, stdio: ['ignore', fd, fd], detached: true });
  closeSync(fd);
  const exec: ExecProbe = (probeCommand, timeoutSeconds) => {
    // The kubelet expands no $(VAR) in a probe's command, unlike the container's.
    const probeArgv = [...command.slice(0, command.length - argv.length), ...probeCommand];
    return runExecProbe(probeArgv, env, timeoutSeconds);
  };
  return { child, logFile, env, mounts, exec };
}

/**
 * An exec probe in a sandbox of its own with the container's filesystem, user, hostname and
 * environment (the kubelet runs it inside the container): it passes when the command exits 0 within
 * the probe's timeout. What it may not see is the container's processes (another PID namespace), so
 * probes that ask the product over the network or its files prove the same here as in the pod.
 */
function runExecProbe(argv: readonly string[], env: Record<string, string>, timeoutSeconds: number): Promise<ProbeAttempt> {
  return new Promise((resolve) => {
    const child = spawn(argv[0], argv.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-2000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const shown = argv.slice(argv.indexOf('--') + 1).join(' ');
    const timer = setTimeout(() => {
      void killGroup(child.pid ?? -1).then(() => resolve({ passed: false, detail: `exec ${shown}: no exit within ${timeoutSeconds} s` }));
    }, timeoutSeconds * 1000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      const said = output.trim().split('\n').slice(-3).join(' | ');
      resolve({ passed: code === 0, detail: `exec ${shown} exited ${code}${said ? ` (${said})` : ''}` });
    });
  });
}

/**
 * The kit's Valkey whose password Secret the containers read (a Deployment `<name>` labelled
 * `app.kubernetes.io/name: valkey`, its Secret `<name>-password`), which the harness then runs.
 */
function cachePasswordSecret(workload: StartableWorkload, containers: readonly StartableContainer[]): { valkey: string; secret: string } | undefined {
  const read = new Set(containers.flatMap((c) => (c.env ?? []).map((variable) => variable.valueFrom?.secretKeyRef?.name).filter((name): name is string => name !== undefined)));
  const valkeys = workload.neighbours.filter((m) => m.kind === 'Deployment' && (m.metadata.labels as Record<string, string> | undefined)?.['app.kubernetes.io/name'] === 'valkey');
  const used = valkeys.map((m) => ({ valkey: m.metadata.name, secret: `${m.metadata.name}-password` })).find((v) => read.has(v.secret));
  return used;
}

/** Kubernetes' rule: `command` replaces the image's ENTRYPOINT, `args` its CMD (and a command drops the CMD). */
export function containerArgv(container: Pick<StartableContainer, 'command' | 'args'>, image: Pick<InstalledDistribution, 'entrypoint' | 'cmd'>): string[] {
  if (container.command) return [...container.command, ...(container.args ?? [])];
  return [...image.entrypoint, ...(container.args ?? image.cmd ?? [])];
}

/**
 * The pod's volumes as host folders: emptyDirs empty and world-writable as the kubelet makes them,
 * ConfigMaps and Secrets as files of the test values, with the modes and owners the kubelet gives them.
 */
function materialiseVolumes(volumes: readonly VolumeSpec[], values: TestValues, root: string, fsGroup: number | undefined): Map<string, string> {
  const folders = new Map<string, string>();
  for (const volume of volumes) {
    const folder = path.join(root, volume.name);
    mkdirSync(folder, { recursive: true });
    chmodSync(root, 0o755);
    if (volume.emptyDir) {
      // As the kubelet makes it: owned by root, world-writable, and with an fsGroup owned by that
      // group with the setgid bit; a process of the pod's user does not own it.
      if (fsGroup !== undefined) chownSync(folder, 0, fsGroup);
      chmodSync(folder, fsGroup !== undefined ? 0o2777 : 0o777);
    }
    else if (volume.configMap) writeFiles(folder, values.configMapData(volume.configMap.name), volume.configMap, fsGroup);
    else if (volume.secret) writeFiles(folder, values.secretData(volume.secret.secretName), volume.secret, fsGroup);
    else throw new HarnessError(`volume ${volume.name} is of a kind the harness cannot provide (${Object.keys(volume).filter((k) => k !== 'name').join(', ')})`);
    folders.set(volume.name, folder);
  }
  return folders;
}

/** The kubelet's mode for ConfigMap and Secret files when the volume names none. */
const DEFAULT_FILE_MODE = 0o644;

/**
 * Files as the kubelet writes a ConfigMap or Secret volume: owned by root, each with its item's mode,
 * else the volume's defaultMode, else 0644; with an fsGroup, the files belong to that group and are
 * group-readable (the kubelet's volume ownership for a read-only volume). So a 0400 Secret is
 * unreadable to a pod user that is not root, as it is in the cluster.
 */
function writeFiles(folder: string, data: Record<string, string>, volume: { readonly items?: readonly KeyToPath[]; readonly defaultMode?: number }, fsGroup: number | undefined): void {
  chmodSync(folder, 0o755);
  const files = volume.items ? volume.items.map((item) => [item.path, data[item.key], item.mode] as const) : Object.entries(data).map(([key, content]) => [key, content, undefined] as const);
  for (const [file, content, itemMode] of files) {
    if (content === undefined) throw new HarnessError(`a mounted key of ${folder} is not in its ConfigMap or Secret`);
    const target = path.join(folder, file);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, content);
    let mode = itemMode ?? volume.defaultMode ?? DEFAULT_FILE_MODE;
    if (fsGroup !== undefined) {
      chownSync(target, 0, fsGroup);
      mode |= 0o440;
    }
    chmodSync(target, mode);
  }
}

function isWritableVolume(volumes: readonly VolumeSpec[], name: string): boolean {
  return volumes.find((v) => v.name === name)?.emptyDir !== undefined;
}

/**
 * A mount point inside an image folder must exist in the image, as a folder for a volume and as a
 * file for a file mounted by subPath (bubblewrap cannot create it in a read-only bind).
 */
function ensureMountPoint(mount: SandboxMount, installed: InstalledDistribution): void {
  for (const [imagePath, hostPath] of Object.entries(installed.imagePaths)) {
    if (!mount.path.startsWith(`${imagePath}/`)) continue;
    const target = path.join(hostPath, mount.path.slice(imagePath.length + 1));
    if (existsSync(target)) continue;
    if (statSync(mount.hostPath).isDirectory()) mkdirSync(target, { recursive: true });
    else {
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, '', { mode: 0o644 });
    }
  }
}

/** The pod's names for its neighbours (Services, database clusters) on loopback, in every form DNS answers. */
function hostsOf(neighbours: readonly Manifest[], namespace: string, podName: string): string {
  const names = new Set<string>([podName]);
  const add = (name: string) => {
    for (const form of [name, `${name}.${namespace}`, `${name}.${namespace}.svc`, `${name}.${namespace}.svc.cluster.local`]) names.add(form);
  };
  for (const object of neighbours) {
    if (object.kind === 'Service') add(object.metadata.name);
    if (isCloudNativePgCluster(object)) for (const service of Object.values(cloudNativePgServiceNames(object.metadata.name))) add(service);
  }
  return `127.0.0.1\tlocalhost ${[...names].sort().join(' ')}\n::1\tlocalhost ip6-localhost\n`;
}

function probePort(probe: ProbeSpec, port: (p: string | number) => number): number {
  const named = probe.httpGet?.port ?? probe.tcpSocket?.port;
  return named === undefined ? 0 : port(named);
}

/**
 * The startup probe as the kubelet sends it: every period after the initial delay until it passes;
 * failureThreshold failures in a row and the kubelet kills the container.
 */
async function waitForStartup(probe: ProbeSpec, container: StartableContainer, child: ChildProcess, port: (p: string | number) => number, exec: ExecProbe): Promise<string> {
  const p = { ...PROBE_DEFAULTS, ...probe };
  const started = Date.now();
  await sleep(p.initialDelaySeconds * 1000, child);
  let last: ProbeAttempt = { passed: false, detail: 'not sent' };
  for (let failures = 0; failures < p.failureThreshold; failures++) {
    assertRunning(child, container, 'startup', last);
    last = await probeOnce(probe, probePort(probe, port), exec);
    if (last.passed) return `startup probe passed after ${seconds(started)} s of ${probeBudgetSeconds(probe)} s allowed (${last.detail})`;
    await sleep(p.periodSeconds * 1000, child);
  }
  throw new HarnessError(`startup probe failed ${p.failureThreshold} times in a row, so the kubelet would kill the container (last: ${last.detail}; budget ${probeBudgetSeconds(probe)} s)`);
}

/**
 * The readiness probe: the kubelet keeps sending it, and the pod takes traffic once it passes; the
 * rollout fails when that has not happened within the workload's progress deadline.
 */
async function waitForReadiness(probe: ProbeSpec, container: StartableContainer, child: ChildProcess, port: (p: string | number) => number, withinMs: number, exec: ExecProbe): Promise<string> {
  const p = { ...PROBE_DEFAULTS, ...probe };
  const started = Date.now();
  await sleep(p.initialDelaySeconds * 1000, child);
  let last: ProbeAttempt = { passed: false, detail: 'not sent' };
  while (Date.now() - started < withinMs) {
    assertRunning(child, container, 'readiness', last);
    last = await probeOnce(probe, probePort(probe, port), exec);
    if (last.passed) return `readiness probe passed after ${seconds(started)} s (${last.detail})`;
    await sleep(p.periodSeconds * 1000, child);
  }
  throw new HarnessError(`readiness probe did not pass within the rollout's ${Math.round(withinMs / 1000)} s progress deadline (last: ${last.detail})`);
}

function assertRunning(child: ChildProcess, container: StartableContainer, kind: string, last: ProbeAttempt): void {
  if (child.exitCode !== null || child.signalCode !== null) {
    throw new HarnessError(`${container.name} exited (${child.exitCode ?? child.signalCode}) before its ${kind} probe passed (last: ${last.detail})`);
  }
}

function seconds(since: number): number {
  return Math.round((Date.now() - since) / 1000);
}

async function sleep(ms: number, child: ChildProcess): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end && child.exitCode === null && child.signalCode === null) await new Promise((r) => setTimeout(r, Math.min(500, end - Date.now())));
}

async function exited(child: ChildProcess, seconds: number): Promise<number | undefined> {
  if (child.exitCode !== null) return child.exitCode;
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      void stopProcess(child).catch(() => undefined).then(() => resolve(undefined));
    }, seconds * 1000);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(code ?? (signal ? 128 : 1));
    });
  });
}

/**
 * Kills the container's whole process group and waits until every process of it is gone: bubblewrap
 * exits before the product inside its PID namespace has let go of its ports.
 */
async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.pid === undefined) return;
  if (!(await killGroup(child.pid))) throw new Error(`processes of the sandbox (process group ${child.pid}) survived SIGKILL for 10 s: ${processesOf(child.pid).join(', ')}`);
}

/**
 * The kubelet kills a container whose memory passes its limit: the group's peak (sampled every half
 * second from start to the end of the smoke step) must stay below it.
 */
function withinMemoryLimit(peak: number, container: StartableContainer): string {
  const limit = container.resources?.limits?.memory;
  if (!limit) return `peak memory ${formatBytes(peak)} (the container sets no memory limit)`;
  if (peak > bytes(limit)) {
    throw new HarnessError(`peak memory ${formatBytes(peak)} passed the container's memory limit of ${limit}, so the kubelet would kill it (OOMKilled): raise the product's memory in the catalogue's sizing`);
  }
  return `peak memory ${formatBytes(peak)} within the container's limit of ${limit}`;
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-LOG_TAIL).map((line) => `  | ${line}`).join('\n');
  } catch {
    return '  | (no output)';
  }
}
