// TEMPORARY adapter until src/upstream (renderEnvironmentReleases) is merged from main: renders each
// upstream helm_release of the stacks with `helm template --include-crds` from a chart mirror folder.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { parse, parseAllDocuments } from 'yaml';
import type { Manifest } from '../synth/manifest';
import { ProofError } from './errors';
import { helmBinary } from './upstream-tools';

export interface RenderedUpstreamRelease {
  readonly stack: string;
  readonly releaseName: string;
  readonly namespace: string;
  readonly chart: string;
  readonly version: string;
  readonly objects: readonly Manifest[];
  /** Helm's words when the chart does not render. */
  readonly error?: string;
}

interface HelmReleaseBlock {
  readonly name: string;
  readonly namespace: string;
  readonly repository?: string;
  readonly chart: string;
  readonly version?: string;
  readonly values?: readonly string[];
}

export async function renderUpstreamReleases(
  terraform: Readonly<Record<string, Record<string, unknown>>>,
  stackOrder: readonly string[],
  kubernetesVersion: string,
  chartFolder: string,
): Promise<RenderedUpstreamRelease[]> {
  const index = parse(readFileSync(path.join(chartFolder, 'index.yaml'), 'utf8')) as { entries: Record<string, { version: string; urls: string[] }[]> };
  const helm = await helmBinary();
  const out: RenderedUpstreamRelease[] = [];
  for (const stack of stackOrder) {
    const blocks = ((terraform[stack].resource as { helm_release?: Record<string, HelmReleaseBlock> })?.helm_release ?? {}) as Record<string, HelmReleaseBlock>;
    for (const block of Object.values(blocks).filter((b) => b.repository)) {
      const entry = index.entries[block.chart]?.find((e) => e.version === block.version);
      if (!entry) throw new ProofError(`chart ${block.chart} ${block.version} is not in the chart mirror ${chartFolder}`);
      const archive = path.join(chartFolder, entry.urls[0]);
      const work = mkdtempSync(path.join(tmpdir(), 'govstack-proof-render-'));
      try {
        const values = path.join(work, 'values.yaml');
        writeFileSync(values, block.values?.[0] ?? '');
        const args = ['template', block.name, archive, '--namespace', block.namespace, '--values', values, '--kube-version', kubernetesVersion, '--include-crds', '--skip-tests'];
        try {
          const { stdout } = await promisify(execFile)(helm, args, { maxBuffer: 256 * 1024 * 1024 });
          const objects: Manifest[] = [];
          for (const document of parseAllDocuments(stdout, { version: '1.1' } as never)) {
            const value = document.toJS({ maxAliasCount: 1000 }) as Manifest | null;
            if (value && typeof value === 'object') objects.push(...(value.kind === 'List' ? ((value as { items?: Manifest[] }).items ?? []) : [value]));
          }
          out.push({ stack, releaseName: block.name, namespace: block.namespace, chart: block.chart, version: block.version ?? '', objects });
        } catch (error) {
          out.push({ stack, releaseName: block.name, namespace: block.namespace, chart: block.chart, version: block.version ?? '', objects: [], error: ((error as { stderr?: string }).stderr || String(error)).trim() });
        }
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    }
  }
  return out;
}

export function chartFolderFromSetting(setting = process.env.GOVSTACK_CHART_SOURCE, cwd = process.cwd()): string | undefined {
  if (!setting || setting === 'upstream' || /^[a-z]+:\/\//.test(setting)) return undefined;
  const folder = path.resolve(cwd, setting);
  if (!existsSync(path.join(folder, 'index.yaml'))) throw new ProofError(`GOVSTACK_CHART_SOURCE=${setting}: ${folder} has no index.yaml`);
  return folder;
}
