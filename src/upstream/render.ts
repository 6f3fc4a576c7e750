import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import type { Manifest } from '../synth/manifest';
import { kitCacheDir } from './cache-dir';
import { chartArchive, type ChartSource } from './chart-source';
import { readTerraformStacks } from '../policy/input';
import { upstreamReleasesOf, type UpstreamRelease } from './releases';
import { helmBinary } from './tools';

/** An upstream release and every object its chart renders with the kit's values (CRDs and hooks included). */
export interface RenderedRelease extends UpstreamRelease {
  readonly objects: readonly Manifest[];
  /** What Helm said when the chart refused these values (then `objects` is empty): a finding, not a crash. */
  readonly error?: string;
}

export interface RenderOptions {
  /** The environment's Kubernetes minor version, e.g. `1.33`: what the chart sees as `.Capabilities.KubeVersion`. */
  readonly kubernetesVersion: string;
  readonly source: ChartSource;
}

/** Rendering failed: names the release, chart, version and what Helm said. */
export class RenderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RenderError';
  }
}

/**
 * Renders each release with `helm template` as Helm would install it into the environment's cluster:
 * its namespace and release name, exactly its values, the cluster's Kubernetes version, and as API
 * versions the custom resources that the releases installed before it provide (earlier stacks,
 * and the releases it depends on in its own stack). A chart that asks "is there a ServiceMonitor
 * CRD?" gets the answer the cluster will give at that moment.
 *
 * Renders are cached by everything that decides them (the chart archive's digest, values, release,
 * namespace, Kubernetes version, API versions, Helm version), so a second synthesis costs no Helm run.
 */
export async function renderReleases(releases: readonly UpstreamRelease[], options: RenderOptions): Promise<RenderedRelease[]> {
  const archives = await Promise.all(releases.map((release) => chartArchive(options.source, release)));
  const rendered = new Map<string, RenderedRelease>();
  const key = (release: UpstreamRelease) => `${release.stack} ${release.address}`;
  // Releases of one stack may depend on each other, so render in waves: a release once those it depends on are done.
  let pending = releases.map((release, i) => ({ release, archive: archives[i] }));
  while (pending.length > 0) {
    const ready = pending.filter(({ release }) => release.dependsOn.every((address) => rendered.has(`${release.stack} ${address}`) || !pending.some((p) => key(p.release) === `${release.stack} ${address}`)));
    if (ready.length === 0) throw new RenderError(`releases ${pending.map((p) => key(p.release)).join(', ')} depend on each other in a circle`);
    const done = await inParallel(ready, 2, ({ release, archive }) => {
      const apiVersions = customApiVersions(installedBefore(release, releases, rendered));
      return renderOne(release, archive, apiVersions, options.kubernetesVersion);
    });
    for (const result of done) rendered.set(key(result), result);
    pending = pending.filter((p) => !rendered.has(key(p.release)));
  }
  return releases.map((release) => rendered.get(key(release)) as RenderedRelease);
}

/** Releases Terraform has installed when it installs this one: earlier stacks whole, and its dependencies (transitively) in its own stack. */
export function installedBefore<R extends UpstreamRelease>(release: UpstreamRelease, all: readonly UpstreamRelease[], available: ReadonlyMap<string, R>): R[] {
  const stacks = [...new Set(all.map((r) => r.stack))];
  const earlierStacks = new Set(stacks.slice(0, stacks.indexOf(release.stack)));
  const found = new Map<string, R>();
  for (const [k, r] of available) if (earlierStacks.has(r.stack)) found.set(k, r);
  const visit = (addresses: readonly string[]) => {
    for (const address of addresses) {
      const k = `${release.stack} ${address}`;
      const dependency = available.get(k);
      if (dependency && !found.has(k)) {
        found.set(k, dependency);
        visit(dependency.dependsOn);
      }
    }
  };
  visit(release.dependsOn);
  return [...found.values()];
}

/** The custom resources the CRDs of these releases serve, as Helm's `--api-versions` takes them: `group/version` and `group/version/Kind`. */
export function customApiVersions(releases: readonly { readonly objects: readonly Manifest[] }[]): string[] {
  const versions = new Set<string>();
  for (const crd of releases.flatMap((r) => r.objects).filter((o) => o.kind === 'CustomResourceDefinition')) {
    const spec = crd.spec as { group: string; names: { kind: string }; versions?: { name: string; served?: boolean }[] };
    for (const version of spec.versions ?? []) {
      if (version.served === false) continue;
      versions.add(`${spec.group}/${version.name}`);
      versions.add(`${spec.group}/${version.name}/${spec.names.kind}`);
    }
  }
  return [...versions].sort();
}

async function renderOne(release: UpstreamRelease, archive: string, apiVersions: readonly string[], kubernetesVersion: string): Promise<RenderedRelease> {
  const helm = await helmBinary();
  const cacheKey = createHash('sha256')
    .update(JSON.stringify([helm, createHash('sha256').update(readFileSync(archive)).digest('hex'), release.releaseName, release.namespace, release.values, kubernetesVersion, apiVersions]))
    .digest('hex');
  const cached = kitCacheDir('rendered', `${cacheKey}.json`);
  if (existsSync(cached)) return { ...release, objects: JSON.parse(readFileSync(cached, 'utf8')) as Manifest[] };

  const work = mkdtempSync(path.join(tmpdir(), 'govstack-render-'));
  try {
    const valuesFile = path.join(work, 'values.yaml');
    writeFileSync(valuesFile, release.values);
    const args = ['template', release.releaseName, archive, '--namespace', release.namespace, '--values', valuesFile];
    args.push('--kube-version', kubernetesVersion, '--include-crds', '--skip-tests');
    for (const version of apiVersions) args.push('--api-versions', version);
    let stdout: string;
    try {
      ({ stdout } = await promisify(execFile)(helm, args, { maxBuffer: 256 * 1024 * 1024, timeout: 300_000 }));
    } catch (error) {
      const said = ((error as { stderr?: string }).stderr || (error as Error).message).trim();
      // Not cached: the next run tries again, with whatever was fixed.
      return { ...release, objects: [], error: said.replace(/\n+Use --debug flag to render out invalid YAML\s*$/, '') };
    }
    const objects = parseRendered(stdout, release);
    mkdirSync(path.dirname(cached), { recursive: true });
    const partial = `${cached}.${process.pid}.partial`;
    writeFileSync(partial, JSON.stringify(objects));
    renameSync(partial, cached);
    return { ...release, objects };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Helm's output as objects, each with its namespace as Helm would apply it (the release's, unless the template names one). */
export function parseRendered(stdout: string, release: Pick<UpstreamRelease, 'releaseName' | 'namespace'>): Manifest[] {
  const objects: Manifest[] = [];
  for (const document of parseAllDocuments(stdout, { version: '1.1' } as never)) {
    if (document.errors.length > 0) throw new RenderError(`release ${release.releaseName} rendered invalid YAML: ${document.errors[0].message}`);
    const value = document.toJS({ maxAliasCount: 1000 }) as Manifest | null;
    if (!value || typeof value !== 'object') continue;
    const items = value.kind === 'List' ? ((value as { items?: Manifest[] }).items ?? []) : [value];
    objects.push(...items);
  }
  return objects;
}

async function inParallel<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Every upstream release of one environment, rendered from the Terraform JSON in `cdktfOutdir`
 * (`stacks/<stack>/cdk.tf.json`); `stacks` in deployment order.
 */
export async function renderEnvironmentReleases(
  cdktfOutdir: string,
  stacks: readonly string[],
  kubernetesVersion: string,
  source: ChartSource,
): Promise<RenderedRelease[]> {
  return renderReleases(upstreamReleasesOf(readTerraformStacks(cdktfOutdir, stacks), stacks), { kubernetesVersion, source });
}
