import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { kitCacheDir, readCachedJson, writeCacheFile } from './cache-dir';
import { helmBinary } from './tools';

/**
 * Where the kit takes upstream charts from when it renders them. One setting, `GOVSTACK_CHART_SOURCE`:
 * - unset (or `upstream`): each chart's own repository, pulled once into the kit's cache (needs internet);
 * - a folder holding a Helm repository (`index.yaml` + packaged charts), e.g. an air-gapped data
 *   centre's chart mirror copied to disk, or `../shared/chart-mirror` in CI;
 * - an `https://` Helm repository or an `oci://` registry path: a chart mirror on the network.
 */
export type ChartSource =
  | { readonly kind: 'upstream' }
  | { readonly kind: 'folder'; readonly folder: string }
  | { readonly kind: 'repository'; readonly url: string };

export const CHART_SOURCE_SETTING = 'GOVSTACK_CHART_SOURCE';

/** The chart a helm_release names. */
export interface ChartRef {
  readonly repository: string;
  readonly chart: string;
  readonly version: string;
}

/** A chart that cannot be had: names chart, version and where the kit looked. */
export class ChartSourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChartSourceError';
  }
}

export function chartSourceFromSetting(setting = process.env[CHART_SOURCE_SETTING], cwd = process.cwd()): ChartSource {
  const value = setting?.trim();
  if (!value || value === 'upstream') return { kind: 'upstream' };
  if (/^(https?|oci):\/\//.test(value)) return { kind: 'repository', url: value.replace(/\/+$/, '') };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    throw new ChartSourceError(`${CHART_SOURCE_SETTING}=${value}: a chart source is a folder, an https:// or oci:// URL, or "upstream"`);
  }
  const folder = path.resolve(cwd, value);
  if (!existsSync(path.join(folder, 'index.yaml'))) {
    throw new ChartSourceError(`${CHART_SOURCE_SETTING}=${value}: ${folder} is not a Helm repository folder (it has no index.yaml)`);
  }
  return { kind: 'folder', folder };
}

export function describeChartSource(source: ChartSource): string {
  switch (source.kind) {
    case 'upstream':
      return "each chart's own repository";
    case 'folder':
      return `the chart mirror folder ${source.folder}`;
    case 'repository':
      return `the chart mirror ${source.url}`;
  }
}

/** The packaged chart (`.tgz`) on local disk, taken from the source; a pulled chart is cached. */
export function chartArchive(source: ChartSource, ref: ChartRef): string {
  if (source.kind === 'folder') return archiveInFolder(source.folder, ref);
  const repository = source.kind === 'upstream' ? ref.repository : source.url;
  return pulled(repository, ref, source);
}

interface IndexEntry {
  readonly version: string;
  readonly urls?: readonly string[];
  readonly digest?: string;
}

const indexes = new Map<string, Record<string, readonly IndexEntry[]>>();

/**
 * A mirror's `index.yaml`, parsed once per content: the parsed entries are kept as JSON in the kit's
 * cache by a hash of the text, because parsing YAML costs more than a whole synthesis spends on the
 * charts it finds already rendered.
 */
function indexEntries(text: string): Record<string, readonly IndexEntry[]> {
  const kept = kitCacheDir('chart-index', `${createHash('sha256').update(text).digest('hex')}.json`);
  const cached = readCachedJson<Record<string, readonly IndexEntry[]>>(kept);
  if (cached !== undefined) return cached;
  const entries = (parse(text) as { entries?: Record<string, IndexEntry[]> } | null)?.entries ?? {};
  try {
    writeCacheFile(kept, JSON.stringify(entries));
  } catch {
    // A cache that cannot be written costs time, never the answer.
  }
  return entries;
}

function archiveInFolder(folder: string, ref: ChartRef): string {
  let entries = indexes.get(folder);
  if (!entries) {
    entries = indexEntries(readFileSync(path.join(folder, 'index.yaml'), 'utf8'));
    indexes.set(folder, entries);
  }
  const versions = entries[ref.chart] ?? [];
  const entry = versions.find((candidate) => candidate.version === ref.version);
  if (!entry) {
    const has = versions.length > 0 ? `it has ${ref.chart} ${versions.map((v) => v.version).join(', ')}` : `it has no chart named ${ref.chart}`;
    throw new ChartSourceError(
      `chart ${ref.chart} ${ref.version} is not in the chart mirror folder ${folder} (${has}). Add it to the mirror ` +
        `(helm pull ${pullTarget(ref.repository, ref.chart).join(' ')} --version ${ref.version}, then helm repo index), ` +
        `or, with internet access, unset ${CHART_SOURCE_SETTING} to pull it from ${ref.repository}`,
    );
  }
  const url = entry.urls?.[0];
  if (!url || /^[a-z]+:\/\//.test(url)) {
    throw new ChartSourceError(`chart ${ref.chart} ${ref.version} in ${folder}/index.yaml has no relative URL to a file in the folder`);
  }
  const archive = path.join(folder, url);
  if (!existsSync(archive)) throw new ChartSourceError(`chart ${ref.chart} ${ref.version}: ${folder}/index.yaml names ${url}, which is missing`);
  if (entry.digest) {
    const digest = archiveDigest(archive);
    if (digest !== entry.digest) {
      throw new ChartSourceError(`chart ${ref.chart} ${ref.version}: ${archive} has sha256 ${digest}, but the mirror's index.yaml says ${entry.digest}`);
    }
  }
  return archive;
}

const digests = new Map<string, string>();

/**
 * A chart archive's sha256, read once per process: the mirror's check and the render cache's key
 * both need it, for every release of every environment synthesised.
 */
export function archiveDigest(archive: string): string {
  let digest = digests.get(archive);
  if (digest === undefined) {
    digest = createHash('sha256').update(readFileSync(archive)).digest('hex');
    digests.set(archive, digest);
  }
  return digest;
}

/** `helm pull` arguments naming a chart in a repository: OCI paths carry the chart name, HTTP repositories take `--repo`. */
function pullTarget(repository: string, chart: string): string[] {
  return repository.startsWith('oci://') ? [`${repository.replace(/\/+$/, '')}/${chart}`] : [chart, '--repo', repository];
}

function pulled(repository: string, ref: ChartRef, source: ChartSource): string {
  const folder = kitCacheDir('charts', createHash('sha256').update(repository).digest('hex').slice(0, 16));
  const archive = path.join(folder, `${ref.chart}-${ref.version}.tgz`);
  if (existsSync(archive) && statSync(archive).size > 0) return archive;
  mkdirSync(folder, { recursive: true });
  const staging = mkdtempSync(path.join(folder, '.pull-'));
  try {
    execFileSync(helmBinary(), ['pull', ...pullTarget(repository, ref.chart), '--version', ref.version, '--destination', staging], {
      timeout: 120_000,
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8', // so a failure's stderr is text for the message below
    });
    const [file] = readdirSync(staging).filter((name) => name.endsWith('.tgz'));
    if (!file) throw new Error('helm pull wrote no chart archive');
    renameSync(path.join(staging, file), archive);
    return archive;
  } catch (error) {
    const reason = ((error as { stderr?: string }).stderr || (error as Error).message).trim().split('\n').slice(-3).join(' ');
    throw new ChartSourceError(
      `chart ${ref.chart} ${ref.version} could not be pulled from ${repository} (${describeChartSource(source)}): ${reason}. ` +
        `Without internet access, set ${CHART_SOURCE_SETTING} to a chart mirror folder or URL`,
    );
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
