import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { version as yamlVersion } from 'yaml/package.json';
import { CLUSTER_SCOPED_KINDS, type Manifest } from '../synth/manifest';
import { readTerraformStacks, type TerraformJson } from '../synth/terraform-json';
import { kitCacheDir, writeCacheFile } from './cache-dir';
import { archiveDigest, chartArchive, type ChartSource } from './chart-source';
import { readDocuments, serializeDocuments } from './parsed-documents';
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
export function renderReleases(releases: readonly UpstreamRelease[], options: RenderOptions): RenderedRelease[] {
  const archives = new Map(releases.map((release) => [release, chartArchive(options.source, release)]));
  const rendered = new Map<string, RenderedRelease>();
  const key = (release: UpstreamRelease) => `${release.stack} ${release.address}`;
  // A release is rendered after those it depends on in its stack, whose CRDs it may ask for.
  let pending = [...releases];
  while (pending.length > 0) {
    const waiting = new Set(pending.map(key));
    const ready = pending.filter((release) => release.dependsOn.every((address) => !waiting.has(`${release.stack} ${address}`)));
    if (ready.length === 0) throw new RenderError(`releases ${[...waiting].join(', ')} depend on each other in a circle`);
    for (const release of ready) {
      const apiVersions = customApiVersions(installedBefore(release, releases, rendered));
      rendered.set(key(release), renderOne(release, archives.get(release) as string, apiVersions, options.kubernetesVersion));
    }
    pending = pending.filter((release) => !rendered.has(key(release)));
  }
  return releases.map((release) => rendered.get(key(release)) as RenderedRelease);
}

/** The rendering of one release, found by what names a release in a cluster: its name and namespace. */
export function renderedReleaseOf<R extends Pick<RenderedRelease, 'releaseName' | 'namespace'>>(
  rendered: readonly R[],
  release: { readonly releaseName: string; readonly namespace: string },
): R | undefined {
  return rendered.find((r) => r.releaseName === release.releaseName && r.namespace === release.namespace);
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

function renderOne(release: UpstreamRelease, archive: string, apiVersions: readonly string[], kubernetesVersion: string): RenderedRelease {
  const helm = helmBinary();
  const cacheKey = createHash('sha256')
    .update(JSON.stringify([helm, archiveDigest(archive), release.releaseName, release.namespace, release.values, kubernetesVersion, apiVersions]))
    .digest('hex');
  // Helm's own output is cached, so a change in how the kit reads it needs no new key; its parsed
  // documents sit beside it, because parsing megabytes of YAML costs seconds on every synthesis.
  const cached = kitCacheDir('rendered', `${cacheKey}.yaml`);
  if (existsSync(cached)) return { ...release, objects: placeRendered(parsedCachedOutput(cached, release), release) };

  const work = mkdtempSync(path.join(tmpdir(), 'govstack-render-'));
  try {
    const valuesFile = path.join(work, 'values.yaml');
    writeFileSync(valuesFile, release.values);
    const args = helmTemplateArgs(release, archive, valuesFile, kubernetesVersion, apiVersions);
    let stdout: string;
    try {
      stdout = execFileSync(helm, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: 300_000, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      const said = ((error as { stderr?: string }).stderr || (error as Error).message).trim();
      // Not cached: the next run tries again, with whatever was fixed.
      return { ...release, objects: [], error: said.replace(/\n+Use --debug flag to render out invalid YAML\s*$/, '') };
    }
    const documents = parseHelmOutput(stdout, release);
    writeCacheFile(cached, stdout);
    writeCacheFile(parsedCacheFile(cached), serializeDocuments(documents));
    return { ...release, objects: placeRendered(documents, release) };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * `helm template` as Helm would install the release: its name and namespace, the values file, the
 * cluster's Kubernetes version and API versions, CRDs included and test pods (only `helm test` runs them) left out.
 */
export function helmTemplateArgs(
  release: Pick<UpstreamRelease, 'releaseName' | 'namespace'>,
  archive: string,
  valuesFile: string,
  kubernetesVersion: string,
  apiVersions: readonly string[],
): string[] {
  const args = ['template', release.releaseName, archive, '--namespace', release.namespace, '--values', valuesFile];
  args.push('--kube-version', kubernetesVersion, '--include-crds', '--skip-tests');
  for (const version of apiVersions) args.push('--api-versions', version);
  return args;
}

/**
 * Helm's output as objects, each with the namespace Helm installs it into: a namespaced object
 * whose template names none lands in the release's namespace (`helm template` leaves it out).
 */
export function parseRendered(stdout: string, release: Pick<UpstreamRelease, 'releaseName' | 'namespace'>): Manifest[] {
  return placeRendered(parseHelmOutput(stdout, release), release);
}

/** Helm's output as the YAML documents it holds, each as plain data (an empty document as null). */
function parseHelmOutput(stdout: string, release: Pick<UpstreamRelease, 'releaseName'>): unknown[] {
  // Helm, like kubectl, reads YAML 1.1: an unquoted `yes` is a boolean there.
  return parseAllDocuments(stdout, { version: '1.1' }).map((document) => {
    if (document.errors.length > 0) throw new RenderError(`release ${release.releaseName} rendered invalid YAML: ${document.errors[0].message}`);
    return document.toJS({ maxAliasCount: 1000 }) as unknown;
  });
}

/**
 * The parsed documents of a cached Helm output. They are kept in V8's structured serialisation,
 * which, unlike JSON, keeps every value YAML 1.1 can give (dates, sets, binary, shared aliases) as
 * it is, with CRD schemas read only when used (parsed-documents.ts); the file name carries the YAML
 * library's version and the layout's, so another parser or layout never reads them.
 */
function parsedCachedOutput(cached: string, release: Pick<UpstreamRelease, 'releaseName'>): unknown[] {
  const parsed = parsedCacheFile(cached);
  if (existsSync(parsed)) {
    try {
      return readDocuments(parsed, () => parseHelmOutput(readFileSync(cached, 'utf8'), release));
    } catch {
      // Written by a newer Node than this one: parse again, and keep what this Node can read.
    }
  }
  const documents = parseHelmOutput(readFileSync(cached, 'utf8'), release);
  writeCacheFile(parsed, serializeDocuments(documents));
  return documents;
}

/** Changes when parsed-documents.ts lays the file out differently. */
const PARSED_LAYOUT = 'schemas-last';

function parsedCacheFile(cached: string): string {
  return cached.replace(/\.yaml$/, `.yaml-${yamlVersion}.${PARSED_LAYOUT}.v8`);
}

/** The objects of Helm's documents, each with the namespace Helm installs it into. */
function placeRendered(documents: readonly unknown[], release: Pick<UpstreamRelease, 'namespace'>): Manifest[] {
  const objects: Manifest[] = [];
  for (const value of documents as (Manifest | null)[]) {
    if (!value || typeof value !== 'object') continue;
    objects.push(...(value.kind === 'List' ? ((value as { items?: Manifest[] }).items ?? []) : [value]));
  }
  const clusterScopedCustomKinds = new Set(
    objects
      .filter((o) => o.kind === 'CustomResourceDefinition' && (o.spec as { scope?: string }).scope === 'Cluster')
      .map((o) => (o.spec as { names: { kind: string } }).names.kind),
  );
  return objects.map((object) =>
    object.metadata?.namespace || CLUSTER_SCOPED_KINDS.has(object.kind) || clusterScopedCustomKinds.has(object.kind)
      ? object
      : { ...object, metadata: { ...object.metadata, namespace: release.namespace } },
  );
}

/**
 * Every upstream release of one environment, rendered from the Terraform JSON in `cdktfOutdir`
 * (`stacks/<stack>/cdk.tf.json`); `stacks` in deployment order.
 */
export function renderEnvironmentReleases(cdktfOutdir: string, stacks: readonly string[], kubernetesVersion: string, source: ChartSource): RenderedRelease[] {
  return renderTerraformReleases(readTerraformStacks(cdktfOutdir, stacks), stacks, kubernetesVersion, source);
}

/** Every upstream release in the Terraform JSON of one environment's stacks (by name; `stacks` in deployment order), rendered. */
export function renderTerraformReleases(terraform: Readonly<Record<string, TerraformJson>>, stacks: readonly string[], kubernetesVersion: string, source: ChartSource): RenderedRelease[] {
  return renderReleases(upstreamReleasesOf(terraform, stacks), { kubernetesVersion, source });
}
