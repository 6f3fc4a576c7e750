import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { App as CdktfApp } from 'cdktf';
import { stringify } from 'yaml';
import { ReviewFile } from '../../charts/review-file';
import type { Environment } from '../../constructs/environment/schema';
import { addCountryStacks, assembleCountry, type CountryAssembly } from '../../stacks/country';
import { KitChartAsset } from '../../stacks/kit-chart-asset';
import type { NamespaceManifest } from '../../stacks/layer-stack';
import type { ChartSource } from '../upstream/chart-source';
import { renderTerraformReleases, type RenderedRelease } from '../upstream/render';
import { packageHelmChart } from './helm-chart';
import { renderComponents, type RenderedComponent } from './render';
import type { StagedOutput } from './staged-output';
import { readTerraformStacks, type TerraformJson } from './terraform-json';
import { writeManifests } from './write-manifests';

/** What one environment's synthesis produced: the objects and files that the policy suite and the review read. */
export interface EnvironmentSynthesis {
  readonly env: Environment;
  readonly assembly: CountryAssembly;
  readonly components: readonly RenderedComponent[];
  /** Stack names in deployment order. */
  readonly stacks: readonly string[];
  /** Terraform JSON (`cdk.tf.json`) of each of the environment's stacks, by stack name, as written. */
  readonly terraform: Readonly<Record<string, TerraformJson>>;
  readonly manifestFiles: readonly string[];
  /** Every upstream release as Helm renders it from the Terraform JSON: checked and reviewed like the kit's objects. */
  readonly rendered: readonly RenderedRelease[];
}

export interface SynthesisOptions {
  /** Progress lines, one per step. */
  readonly log: (line: string) => void;
  /** Where upstream charts are taken from to render them. */
  readonly chartSource: ChartSource;
}

/**
 * The first step of a build (see `src/pipeline/`): builds each environment's construct tree and
 * writes its manifests, local Helm charts and Terraform JSON into the staged output, then renders
 * the upstream releases that Terraform JSON installs. Nothing here judges the output.
 */
export function synthesizeEnvironments(envs: readonly Environment[], staged: StagedOutput, options: SynthesisOptions): EnvironmentSynthesis[] {
  const { log } = options;
  const cdktfApp = new CdktfApp({ outdir: staged.cdktfDir, stackTraces: false });
  const built = envs.map((env) => {
    log(`${env.name}: building constructs (${env.profile} profile, ${env.stage} stage)`);
    const assembly = assembleCountry(env);
    const components = renderComponents(assembly);
    const envDir = staged.distDir(env.name);

    const manifestFiles = writeManifests(env.name, components, path.join(envDir, 'manifests'));
    writeFileSync(path.join(envDir, 'environment.resolved.yaml'), resolvedEnvironmentYaml(env));
    for (const document of assembly.charts.flatMap((chart) => chart.node.findAll().filter(ReviewFile.isReviewFile))) {
      mkdirSync(path.dirname(path.join(envDir, document.file)), { recursive: true });
      writeFileSync(path.join(envDir, document.file), document.content);
    }
    const packaged = components.flatMap((component) => {
      const chart = packageHelmChart(component);
      return chart ? [{ ...chart, layer: component.layer }] : [];
    });
    const namespaces = components.flatMap((c) => c.manifests).filter((m) => m.kind === 'Namespace') as NamespaceManifest[];
    const stacks = addCountryStacks(cdktfApp, assembly, namespaces, packaged).map((stack) => stack.node.id);
    log(`${env.name}: ${components.length} components, ${manifestFiles.length} manifest files, stacks ${stacks.join(', ')}`);
    return { env, assembly, components, stacks, manifestFiles };
  });
  log('writing Terraform JSON');
  cdktfApp.synth();
  for (const asset of cdktfApp.node.findAll().filter(KitChartAsset.isKitChartAsset)) asset.writeInto(staged.cdktfDir);
  return built.map((result) => {
    log(`${result.env.name}: rendering upstream charts with Helm`);
    const terraform = readTerraformStacks(staged.cdktfDir, result.stacks);
    return { ...result, terraform, rendered: renderTerraformReleases(terraform, result.stacks, result.env.cluster.kubernetesVersion, options.chartSource) };
  });
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

