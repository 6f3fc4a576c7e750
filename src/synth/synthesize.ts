import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { App as CdktfApp } from 'cdktf';
import { stringify } from 'yaml';
import { LAYERS } from '../../charts/kit-chart';
import { ReviewDocument } from '../../charts/review-document';
import type { Environment } from '../../constructs/environment/schema';
import { addCountryStacks, assembleCountry, type CountryAssembly } from '../../stacks/country';
import type { NamespaceManifest } from '../../stacks/layer-stack';
import { writeReviewBundles } from '../review/write-bundle';
import { chartSourceFromSetting, type ChartSource } from '../upstream/chart-source';
import { renderEnvironmentReleases, type RenderedRelease } from '../upstream/render';
import { packageHelmChart } from './helm-chart';
import { renderComponents, type RenderedComponent } from './render';
import type { SecretFinding } from '../validation/secret-scan';
import { StagedOutput } from './staged-output';
import { acquireSynthesisLock, type LockOptions } from './synthesis-lock';
import { policyRefusals, secretFindings, secretRefusals, SynthesisRefused } from './synthesis-refused';
import { writeManifests } from './write-manifests';

/** What one environment's synthesis produced, for the summary and for later passes (checks, review). */
export interface EnvironmentSynthesis {
  readonly env: Environment;
  readonly assembly: CountryAssembly;
  readonly components: readonly RenderedComponent[];
  /** Stack names in deployment order. */
  readonly stacks: readonly string[];
  readonly manifestFiles: readonly string[];
  /** Every upstream release as Helm renders it from the Terraform JSON: checked and reviewed like the kit's objects. */
  readonly rendered: readonly RenderedRelease[];
  /** What the secret scan found in this environment's output (always empty when synthesis refuses findings). */
  readonly secretFindings?: readonly SecretFinding[];
}

export interface SynthesisOptions {
  /** Project root; `dist/` and `cdktf.out/` are written under it. */
  readonly root: string;
  /** Progress lines (the CLI prints them; tests pass a no-op). */
  readonly log?: (line: string) => void;
  /**
   * Where cdktf output goes.
   * @default `<root>/cdktf.out`
   */
  readonly cdktfOutdir?: string;
  /**
   * Where upstream charts are taken from to render them.
   * @default the `GOVSTACK_CHART_SOURCE` setting (each chart's own repository when unset)
   */
  readonly chartSource?: ChartSource;
  /**
   * Refuse the output (throw SynthesisRefused; nothing is moved into place) when a policy check fails
   * without a declared exception or the secret scan finds anything. Only `check`, which reports both
   * itself from a scratch folder, turns this off.
   * @default true
   */
  readonly refuseFindings?: boolean;
  /** How long to wait for another synthesis in the same folder (see synthesis-lock.ts). */
  readonly lock?: LockOptions;
}

/**
 * Synthesises environments into `dist/<env>/` and `cdktf.out/`, all or nothing: output is built in
 * a staging folder and moved into place only when every environment has succeeded.
 */
export function synthesize(envs: readonly Environment[], options: SynthesisOptions): EnvironmentSynthesis[] {
  const log = options.log ?? (() => undefined);
  const release = acquireSynthesisLock(options.root, {
    onWait: (holder) => process.stderr.write(`waiting for another synthesis in this folder (pid ${holder}) to finish…\n`),
    ...options.lock,
  });
  let staged: StagedOutput | undefined;
  try {
    staged = new StagedOutput(options.root, options.cdktfOutdir ?? path.join(options.root, 'cdktf.out'));
    return synthesizeStaged(envs, options, log, staged);
  } finally {
    staged?.discard();
    release();
  }
}

function synthesizeStaged(envs: readonly Environment[], options: SynthesisOptions, log: (line: string) => void, staged: StagedOutput): EnvironmentSynthesis[] {
  const cdktfApp = new CdktfApp({ outdir: staged.cdktfDir, stackTraces: false });
  const chartSource = options.chartSource ?? chartSourceFromSetting();
  const built = envs.map((env) => {
    log(`${env.name}: building constructs (${env.profile} profile, ${env.stage} stage)`);
    const assembly = assembleCountry(env);
    const components = renderComponents(assembly);
    const envDir = staged.distDir(env.name);

    const manifestFiles = writeManifests(env.name, components, path.join(envDir, 'manifests'));
    writeFileSync(path.join(envDir, 'environment.resolved.yaml'), resolvedEnvironmentYaml(env));
    for (const document of assembly.charts.flatMap((chart) => chart.node.findAll().filter(ReviewDocument.isReviewDocument))) {
      mkdirSync(path.dirname(path.join(envDir, document.file)), { recursive: true });
      writeFileSync(path.join(envDir, document.file), document.content);
    }
    const packaged = components.flatMap((component) => {
      const chart = packageHelmChart(component, path.join(envDir, 'helm'));
      return chart ? [{ ...chart, layer: component.layer }] : [];
    });
    const namespaces = components.flatMap((c) => c.manifests).filter((m) => m.kind === 'Namespace') as NamespaceManifest[];
    const stacks = addCountryStacks(cdktfApp, assembly, namespaces, packaged).map((stack) => stack.node.id);
    log(`${env.name}: ${components.length} components, ${manifestFiles.length} manifest files, stacks ${stacks.join(', ')}`);
    return { env, assembly, components, stacks, manifestFiles };
  });
  log('writing Terraform JSON');
  cdktfApp.synth();
  const results: EnvironmentSynthesis[] = built.map((result) => {
    log(`${result.env.name}: rendering upstream charts with Helm`);
    return { ...result, rendered: renderEnvironmentReleases(staged.cdktfDir, result.stacks, result.env.cluster.kubernetesVersion, chartSource) };
  });
  log('writing review bundles');
  // Staged with everything else, and compared with dist/<env>/ before that is replaced.
  const models = writeReviewBundles(results.map((r) => ({ synthesis: r, outDir: staged.distDir(r.env.name), previousDir: path.join(options.root, 'dist', r.env.name), cdktfDir: staged.cdktfDir })));
  log('scanning the output for secret values');
  const cdktfShown = path.relative(options.root, options.cdktfOutdir ?? path.join(options.root, 'cdktf.out')) || '.';
  const scanned = results.map((r) => ({
    ...r,
    secretFindings: secretFindings(
      new Map([
        [staged.distDir(r.env.name), path.join('dist', r.env.name)],
        ...r.stacks.map((stack): [string, string] => [path.join(staged.cdktfDir, 'stacks', stack), path.join(cdktfShown, 'stacks', stack)]),
      ]),
    ),
  }));
  if (options.refuseFindings ?? true) {
    const refusals = [...policyRefusals(models), ...scanned.flatMap((r) => secretRefusals(r.env.name, r.secretFindings))];
    if (refusals.length > 0) throw new SynthesisRefused(refusals);
  }
  staged.commit(
    results.map((r) => r.env.name),
    results.flatMap((r) => r.stacks),
    envs.flatMap((env) => LAYERS.map((layer) => `${env.name}-${layer}`)),
  );
  return scanned;
}

function resolvedEnvironmentYaml(env: Environment): string {
  const { name, $schema, ...resolved } = env;
  void $schema;
  return [
    `# Environment "${name}" after layering (built-in defaults <- profile "${env.profile}" <- environments/${name}/environment.yaml).`,
    '# This is what the kit synthesised from; it is generated, edit the environment file instead.',
    stringify(resolved, { lineWidth: 0 }),
  ].join('\n');
}

