import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Manifest } from '../../src/synth/manifest';

export interface LocalRunOptions {
  /** Secret name → key → value, for the pod's Secret volumes (a missing optional Secret is left out, as the kubelet does). */
  readonly secrets: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** ConfigMaps someone else puts in the cluster (the synthesised ones come from the manifests). */
  readonly configMaps?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** In-cluster address → where to reach it instead, in the JSON files the pod reads. */
  readonly addresses: Readonly<Record<string, string>>;
}

export interface LocalRun {
  readonly status: number | null;
  readonly output: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/**
 * A CronJob's container run on this machine as the kubelet would run it, with `root` standing for
 * the container's filesystem: each ConfigMap, Secret and emptyDir volume at its mount path under
 * `root`, and absolute paths under a mount (command, env, JSON inputs) pointing there. Nothing else
 * of the synthesised pod is changed.
 */
export class LocalCronJob {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private readonly pod: Record<string, any>;
  private readonly mounts: readonly string[];

  constructor(private readonly manifests: readonly Manifest[], name: string, private readonly root: string, private readonly options: LocalRunOptions) {
    const cronJob = manifests.find((m) => m.kind === 'CronJob' && m.metadata.name === name) as Json;
    if (!cronJob) throw new Error(`no CronJob/${name}`);
    this.pod = cronJob.spec.jobTemplate.spec.template.spec;
    if (this.pod.containers.length !== 1) throw new Error(`CronJob/${name}: expected one container`);
    this.mounts = this.container.volumeMounts.map((mount: { mountPath: string }) => mount.mountPath);
    for (const mount of this.container.volumeMounts) this.populate(mount.mountPath, this.pod.volumes.find((v: { name: string }) => v.name === mount.name));
  }

  /** Runs the container's command once; `env` adds to the container's environment. */
  run(env: Readonly<Record<string, string>> = {}): LocalRun {
    const [command, ...args] = [...(this.container.command ?? []), ...(this.container.args ?? [])].map((arg: string) => this.relocate(arg));
    const containerEnv = Object.fromEntries(
      (this.container.env ?? []).map((e: { name: string; value?: string }) => {
        if (e.value === undefined) throw new Error(`env ${e.name}: only literal values can run locally`);
        return [e.name, this.relocate(e.value)];
      }),
    );
    const result = spawnSync(command, args, {
      cwd: this.root,
      env: { PATH: process.env.PATH, ...containerEnv, ...env },
      encoding: 'utf8',
      // A guard against a hung script, not a judgement of speed: a loaded machine may be slow.
      timeout: 600_000,
    });
    return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}` };
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private get container(): Record<string, any> {
    return this.pod.containers[0];
  }

  private populate(mountPath: string, volume: Json): void {
    const dir = path.join(this.root, mountPath);
    mkdirSync(dir, { recursive: true });
    if (volume.emptyDir) return;
    const source = volume.configMap
      ? this.configMapData(volume.configMap.name)
      : volume.secret
        ? this.options.secrets[volume.secret.secretName]
        : undefined;
    if (volume.configMap === undefined && volume.secret === undefined) throw new Error(`volume ${volume.name}: only ConfigMap, Secret and emptyDir volumes run locally`);
    const optional = (volume.configMap ?? volume.secret).optional === true;
    if (!source) {
      if (optional) return;
      throw new Error(`volume ${volume.name}: no data given for it`);
    }
    const items: { key: string; path: string }[] = (volume.configMap ?? volume.secret).items ?? Object.keys(source).map((key) => ({ key, path: key }));
    for (const item of items) {
      const content = item.path.endsWith('.json') ? `${JSON.stringify(this.relocateJson(JSON.parse(source[item.key])), null, 2)}\n` : source[item.key];
      writeFileSync(path.join(dir, item.path), content);
    }
  }

  private configMapData(name: string): Readonly<Record<string, string>> | undefined {
    return this.options.configMaps?.[name] ?? (this.manifests.find((m) => m.kind === 'ConfigMap' && m.metadata.name === name) as Json)?.data;
  }

  private relocateJson(value: Json): Json {
    if (typeof value === 'string') return this.options.addresses[value] ?? this.relocate(value);
    if (Array.isArray(value)) return value.map((item) => this.relocateJson(item));
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.relocateJson(v)]));
    return value;
  }

  /** A path under one of the container's mounts, moved under `root`. */
  private relocate(value: string): string {
    const mount = this.mounts.find((m) => value === m || value.startsWith(`${m}/`));
    return mount ? path.join(this.root, value) : value;
  }
}
