import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { declaredExceptions } from '../../constructs/baseline/policy-exception';
import { chartRepositoryUrl, type Environment } from '../../constructs/environment/schema';
import { upstreamChartFacts } from '../policy/input';
import { objectId, type Manifest } from '../synth/manifest';
import { buildOutput } from '../pipeline/build-output';
import { type EnvironmentSynthesis } from '../synth/synthesize';
import { ControlPlane } from './control-plane';
import { forbiddenDestroys, refusedDestroys, type PlanJson } from './destroy-check';
import { ProofError } from './errors';
import { KubeApi, statusMessage } from './kube-api';
import { podSecurityViolations, undeclaredViolations } from './pod-security-warnings';
import { PROOF_STAGES, type DryRunResult, type ProofReport, type Rejection, type StageName, type StageResult } from './proof-report';
import { recoveryEnvironment } from '../cli/commands/restore';
import { UsageError } from '../cli/run-command';
import { CRD_SETTLE_SECONDS, failedOnCrdNotYetServed, OVERRIDE_REASONS, PROOF_OVERRIDE_FILE, proofOverride } from './terraform-override';
import { runTerraform, terraformErrors } from './terraform-runner';
import { requiredProviders, type RequiredProvider, type Toolchain } from './toolchain';
import { kubectlBinary } from '../upstream/tools';
import { renderEnvironmentReleases, type RenderedRelease } from '../upstream/render';
import { describeChartSource, type ChartSource } from '../upstream/chart-source';

type Log = (line: string) => void;
type TerraformJson = Record<string, unknown>;

export interface ProveOptions {
  /** Builds (or finds cached) the engines for the providers the synthesised stacks require. */
  readonly toolchainFor: (required: readonly RequiredProvider[]) => Promise<Toolchain>;
  /**
   * Set as the environment's `registry.charts`: the loopback URL of the served chart mirror folder,
   * or a mirror URL. Unset: the environment's own chart repositories (needs their network).
   */
  readonly chartRepository?: string;
  /** Where charts are rendered from (GOVSTACK_CHART_SOURCE). */
  readonly chartSource: ChartSource;
  /** Epoch ms after which no further stage starts (CI's time guard); a stage not started is recorded as skipped. */
  readonly deadline?: number;
  readonly log: Log;
}

/** The environment as the proof deploys it: unchanged except where its cluster pulls upstream charts from. */
export function withChartRepository(env: Environment, url: string | undefined): Environment {
  if (url === undefined) return env;
  const checked = chartRepositoryUrl.safeParse(url);
  if (!checked.success) throw new ProofError(`chart repository ${url}: ${checked.error.issues[0].message}`);
  return { ...env, registry: { ...env.registry, charts: url } };
}

/** The environment with one building block switched off, as a user would in its file. */
export function withBlockDisabled(env: Environment, block: string): Environment {
  const selection = env.buildingBlocks[block];
  if (!selection) throw new ProofError(`environment ${env.name} has no building block "${block}"`);
  return { ...env, buildingBlocks: { ...env.buildingBlocks, [block]: { ...selection, enabled: false } } };
}

/** The block the disabled-block plan switches off: the first enabled one. */
export function blockToDisable(env: Environment): string | undefined {
  return Object.entries(env.buildingBlocks)
    .filter(([, selection]) => selection.enabled)
    .map(([name]) => name)
    .sort()[0];
}

interface Synthesised {
  readonly root: string;
  readonly synthesis: EnvironmentSynthesis;
  readonly cdktfDir: string;
  readonly stackOrder: readonly string[];
  readonly terraform: Readonly<Record<string, TerraformJson>>;
}

function synthesiseInto(env: Environment, root: string): Synthesised {
  let synthesis: EnvironmentSynthesis;
  try {
    [synthesis] = buildOutput([env], { root });
  } catch (error) {
    // A synthesis the kit refuses (policy, configuration) leaves nothing to prove: every stage is recorded as not run.
    throw new ProofError(`synthesis of ${env.name} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  const cdktfDir = path.join(root, 'cdktf.out');
  const manifest = JSON.parse(readFileSync(path.join(cdktfDir, 'manifest.json'), 'utf8')) as { stacks: Record<string, { dependencies: string[] }> };
  const stackOrder = deploymentOrder(Object.fromEntries(synthesis.stacks.map((s) => [s, manifest.stacks[s]?.dependencies ?? []])));
  const terraform = Object.fromEntries(stackOrder.map((s) => [s, JSON.parse(readFileSync(path.join(cdktfDir, 'stacks', s, 'cdk.tf.json'), 'utf8')) as TerraformJson]));
  return { root, synthesis, cdktfDir, stackOrder, terraform };
}

/** Stacks so that each comes after those it depends on (cdktf's manifest.json `dependencies`). */
export function deploymentOrder(dependencies: Readonly<Record<string, readonly string[]>>): string[] {
  const order: string[] = [];
  const visit = (stack: string, path: readonly string[]) => {
    if (order.includes(stack)) return;
    if (path.includes(stack)) throw new ProofError(`stacks depend on each other in a circle: ${[...path, stack].join(' -> ')}`);
    for (const dependency of dependencies[stack] ?? []) if (dependency in dependencies) visit(dependency, [...path, stack]);
    order.push(stack);
  };
  for (const stack of Object.keys(dependencies).sort()) visit(stack, []);
  return order;
}

/** The proof of one environment: four stages, each recorded; the report says whether all passed. */
export async function proveEnvironment(env: Environment, options: ProveOptions): Promise<ProofReport> {
  const { log } = options;
  let toolchain: Toolchain | undefined;
  const work = mkdtempSync(path.join(tmpdir(), `govstack-prove-${env.name}-`));
  const stages: StageResult[] = [];
  const report: { -readonly [K in keyof ProofReport]?: ProofReport[K] } = {};
  try {
    log(`${env.name}: synthesising${options.chartRepository ? ` with registry.charts = ${options.chartRepository}` : ''}`);
    const deployed = synthesiseInto(withChartRepository(env, options.chartRepository), path.join(work, 'synth'));
    toolchain = await options.toolchainFor(requiredProviders(Object.values(deployed.terraform)));
    const tools = toolchain;
    log(`${env.name}: rendering ${countUpstream(deployed.terraform)} upstream releases (helm template, charts from ${describeChartSource(options.chartSource)})`);
    const rendered = await renderEnvironmentReleases(deployed.cdktfDir, deployed.stackOrder, env.cluster.kubernetesVersion, options.chartSource);

    const run = async (stage: StageName, body: () => Promise<{ ok: boolean; summary: string }>, precondition?: string) => {
      const started = Date.now();
      if (precondition) {
        stages.push({ stage, status: 'skipped', seconds: 0, summary: precondition });
        log(`${env.name}: ${stage} skipped: ${precondition}`);
        return false;
      }
      if (options.deadline && Date.now() > options.deadline) {
        stages.push({ stage, status: 'skipped', seconds: 0, summary: 'not started: the run is past its time limit' });
        log(`${env.name}: ${stage} skipped: past the time limit`);
        return false;
      }
      const result = await body();
      const seconds = Math.round((Date.now() - started) / 1000);
      stages.push({ stage, status: result.ok ? 'passed' : 'failed', seconds, summary: result.summary });
      log(`${env.name}: ${stage} ${result.ok ? 'passed' : 'FAILED'} in ${seconds} s: ${result.summary}`);
      return result.ok;
    };

    // (a) Server-side dry-run on a fresh control plane, of the environment and then of its recovery
    // (`npm run restore`), whose objects need the same CRDs and namespaces.
    const installedCrds = new Set<string>();
    const dryRunPlane = await ControlPlane.start({ kubeApiserver: tools.kubeApiserver, etcd: tools.etcd, kubeContext: env.cluster.kubeContext, log: (l) => log(`${env.name}: ${l}`) });
    try {
      await run('dry-run', async () => {
        report.dryRun = await dryRunEverything(dryRunPlane, deployed, rendered, (l) => log(`${env.name}: ${l}`), installedCrds);
        report.kubernetes = { server: tools.kubernetesVersion, admissionDisabled: dryRunPlane.admission.disabled };
        const d = report.dryRun;
        return { ok: d.rejected.length === 0, summary: `${d.accepted} objects accepted, ${d.rejected.length} rejected (${d.kitObjects} kit, ${d.upstreamObjects} upstream, ${d.crds} CRDs installed)` };
      });
      await run('restore', async () => {
        try {
          report.restore = await dryRunRecovery(env, dryRunPlane, path.join(work, 'restore'), options, (l) => log(`${env.name}: ${l}`), installedCrds);
        } catch (error) {
          // A recovery the kit refuses to synthesise fails this stage only; the environment's own stages go on.
          if (error instanceof ProofError) return { ok: false, summary: error.message.split('\n')[0] };
          throw error;
        }
        const { refused, dryRun: d } = report.restore;
        if (refused) return { ok: true, summary: `npm run restore refuses ${env.name}, as it should: ${refused}` };
        return {
          ok: d!.rejected.length === 0,
          summary: `recovery from ${PROOF_RECOVERY_POINT}: ${d!.accepted} objects accepted, ${d!.rejected.length} rejected (${d!.kitObjects} kit, ${d!.upstreamObjects} upstream)`,
        };
      });
    } finally {
      await dryRunPlane.stop();
    }

    // (b)-(d) Terraform on a second fresh control plane, which stays up for the plans.
    const state = path.join(work, 'state');
    mkdirSync(state);
    const webhooks = {
      MutatingAdmissionWebhook: 'apply and plans only: webhook servers are pods, and no node runs pods (the upstream charts register webhooks that would refuse every object they watch)',
      ValidatingAdmissionWebhook: 'as MutatingAdmissionWebhook (apply and plans only; the dry-run installs no webhook)',
    };
    const plane = await ControlPlane.start({
      kubeApiserver: tools.kubeApiserver,
      etcd: tools.etcd,
      kubeContext: env.cluster.kubeContext,
      disabledAdmission: Object.keys(webhooks),
      log: (l) => log(`${env.name}: ${l}`),
    });
    const admissionDisabled = { ...plane.admission.disabled, ...webhooks };
    report.kubernetes = { server: tools.kubernetesVersion, admissionDisabled };
    try {
      const tfEnv = terraformEnvironment(plane, tools, work);
      const applied = await run('apply', async () => {
        report.apply = await applyStacks(deployed, state, tools, tfEnv, log);
        const failed = report.apply.filter((a) => a.status !== 'applied');
        const resources = report.apply.reduce((n, a) => n + (a.resources ?? 0), 0);
        return { ok: failed.length === 0, summary: failed.length === 0 ? `${deployed.stackOrder.length} stacks applied (${resources} resources)` : `failed: ${failed.map((f) => `${f.stack}${f.error ? ` (${firstLine(f.error)})` : ''}`).join(', ')}` };
      });
      await run(
        'second-plan',
        async () => {
          report.secondPlan = await secondPlans(deployed, tools, tfEnv);
          const bad = report.secondPlan.filter((p) => p.status !== 'no changes');
          return { ok: bad.length === 0, summary: bad.length === 0 ? 'no changes' : bad.map((p) => `${p.stack}: ${p.status}`).join('; ') };
        },
        applied ? undefined : 'the apply did not succeed',
      );
      const block = blockToDisable(env);
      await run(
        'disabled-block',
        async () => {
          const variant = synthesiseInto(withBlockDisabled(withChartRepository(env, options.chartRepository), block as string), path.join(work, 'disabled'));
          report.disabledBlock = await disabledBlockPlans(block as string, deployed, variant, state, tools, tfEnv);
          const { destroys, errors } = report.disabledBlock;
          const ok = destroys.length === 0 && errors.length === 0;
          return {
            ok,
            summary: ok
              ? `buildingBlocks.${block}.enabled: false plans no destroy of a namespace or of data`
              : `buildingBlocks.${block}.enabled: false: ${destroys.length} forbidden destroys (${destroys.map((d) => d.address).join(', ')})${errors.length > 0 ? `, plan errors in ${errors.map((e) => e.stack).join(', ')}` : ''}`,
          };
        },
        !applied ? 'the apply did not succeed' : !block ? 'the environment enables no building block' : undefined,
      );
    } finally {
      await plane.stop();
    }
  } catch (error) {
    if (!(error instanceof ProofError)) throw error;
    log(`${env.name}: ${error.message}`);
    for (const stage of PROOF_STAGES) {
      if (!stages.some((s) => s.stage === stage)) stages.push({ stage, status: 'skipped', seconds: 0, summary: `not run: ${error.message.split('\n')[0]}` });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return {
    environment: env.name,
    provenAt: new Date().toISOString(),
    ok: stages.length === PROOF_STAGES.length && stages.every((s) => s.status === 'passed'),
    kubernetes: report.kubernetes ?? { server: toolchain?.kubernetesVersion ?? 'not started', admissionDisabled: {} },
    toolchain: {
      terraform: toolchain ? `${toolchain.terraform.kind} ${toolchain.terraform.version}` : 'not prepared',
      providers: (toolchain?.providers ?? []).map((p) => ({ name: p.name, version: p.version, builtFrom: `${p.module}@${p.moduleVersion}`, exact: p.exact, note: p.note })),
    },
    chartRepository: options.chartRepository ?? "the environment's own chart repositories",
    overrides: OVERRIDE_REASONS,
    stages,
    dryRun: report.dryRun,
    restore: report.restore,
    apply: report.apply,
    secondPlan: report.secondPlan,
    disabledBlock: report.disabledBlock,
  };
}

/** The `--from` the proof recovers every environment from: a daily backup's name, as Velero names them. */
export const PROOF_RECOVERY_POINT = 'cluster-daily-20260301020000';

/**
 * The recovery `npm run restore -- --env <env> --from PROOF_RECOVERY_POINT` writes (synthesised,
 * so refused on any policy failure or secret finding like every synthesis), with its upstream
 * releases rendered, through the same server-side dry-run as the environment. An environment
 * whose backups stay in the cluster is refused by the restore command; that refusal is recorded.
 */
async function dryRunRecovery(env: Environment, plane: ControlPlane, root: string, options: ProveOptions, log: Log, installedCrds: Set<string>): Promise<NonNullable<ProofReport['restore']>> {
  let recovering: Environment;
  try {
    recovering = recoveryEnvironment(withChartRepository(env, options.chartRepository), PROOF_RECOVERY_POINT, undefined, new Date());
  } catch (error) {
    if (error instanceof UsageError) return { from: PROOF_RECOVERY_POINT, refused: error.message.replace(/; nothing was written$/, '') };
    throw error;
  }
  log(`synthesising the recovery from ${PROOF_RECOVERY_POINT}`);
  const recovery = synthesiseInto(recovering, root);
  const rendered = await renderEnvironmentReleases(recovery.cdktfDir, recovery.stackOrder, env.cluster.kubernetesVersion, options.chartSource);
  return { from: PROOF_RECOVERY_POINT, dryRun: await dryRunEverything(plane, recovery, rendered, log, installedCrds) };
}

function countUpstream(terraform: Readonly<Record<string, TerraformJson>>): number {
  return Object.values(terraform).reduce((n, stack) => n + Object.values(((stack.resource as { helm_release?: Record<string, { repository?: string }> })?.helm_release ?? {})).filter((r) => r.repository).length, 0);
}

/** Every manifest under `dist/<env>/manifests/`, with the file it is in. */
function kitManifests(distDir: string): { object: Manifest; source: string }[] {
  const root = path.join(distDir, 'manifests');
  const found: { object: Manifest; source: string }[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (/\.ya?ml$/.test(entry.name)) {
        for (const document of parseAllDocuments(readFileSync(file, 'utf8'))) {
          const object = document.toJS() as Manifest | null;
          if (object?.kind) found.push({ object, source: path.relative(distDir, file) });
        }
      }
    }
  };
  walk(root);
  return found;
}

async function kubectl(plane: ControlPlane, args: readonly string[]): Promise<string> {
  const binary = await kubectlBinary();
  try {
    const { stdout } = await promisify(execFile)(binary, ['--kubeconfig', plane.kubeconfig, '--cache-dir', path.join(plane.dir, 'kube-cache'), ...args], { maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    throw new ProofError(`kubectl ${args.slice(0, 3).join(' ')} failed: ${((error as { stderr?: string }).stderr || String(error)).trim()}`);
  }
}

/**
 * (a) CRDs the rendered charts carry are installed for real (server-side apply, then Established),
 * the kit's namespaces are created for real (namespaced objects need them), and then every kit and
 * upstream object goes through a server-side dry-run: all admission (PodSecurity included) and
 * validation, nothing stored.
 */
async function dryRunEverything(plane: ControlPlane, deployed: Synthesised, rendered: readonly RenderedRelease[], log: Log, installedCrds: Set<string>): Promise<DryRunResult> {
  const rejected: Rejection[] = [];
  for (const release of rendered.filter((r) => r.error)) {
    rejected.push({ object: `HelmRelease/${release.namespace}/${release.releaseName}`, source: `chart ${release.chart} ${release.version}`, message: `the chart does not render: ${release.error}` });
  }
  const crds = uniqueBy(rendered.flatMap((r) => r.objects).filter((o) => o.kind === 'CustomResourceDefinition'), (o) => o.metadata.name);
  const crdFile = path.join(plane.dir, 'crds.json');
  // A recovery needs the CRDs its environment's dry-run installed on the same plane: only new ones are installed.
  const toInstall = crds.filter((crd) => !installedCrds.has(crd.metadata.name));
  writeFileSync(crdFile, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: toInstall }));
  if (toInstall.length > 0) {
    log(`installing ${toInstall.length} CRDs from the rendered charts`);
    await kubectl(plane, ['apply', '--server-side', '--force-conflicts', '--field-manager=govstack-proof', '-f', crdFile]);
    await kubectl(plane, ['wait', '--for=condition=Established', '--timeout=180s', 'crd', '--all']);
    for (const crd of toInstall) installedCrds.add(crd.metadata.name);
  }
  const kit = kitManifests(path.join(deployed.root, 'dist', deployed.synthesis.env.name));
  const namespaces = kit.filter(({ object }) => object.kind === 'Namespace').map(({ object }) => object);
  const nsFile = path.join(plane.dir, 'namespaces.json');
  writeFileSync(nsFile, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: namespaces }));
  await kubectl(plane, ['apply', '--server-side', '--field-manager=govstack-proof', '-f', nsFile]);

  const charts = new Map(deployed.synthesis.assembly.upstreamCharts.map((chart) => [chart.props.releaseName, upstreamChartFacts(chart)]));
  // As the policy suite reads them: the chart's exceptions, plus those it scopes to this very object.
  const upstreamExceptions = (releaseName: string, object: Manifest, namespace: string): Map<string, string> => {
    const chart = charts.get(releaseName);
    const exceptions = new Map(Object.entries(chart?.exceptions ?? {}));
    const id = objectId({ ...object, metadata: { ...object.metadata, namespace: object.metadata.namespace ?? namespace } } as Manifest);
    for (const scoped of chart?.scopedExceptions ?? []) if (scoped.objects.includes(id)) exceptions.set(scoped.check, scoped.reason);
    return exceptions;
  };
  const subjects = [
    ...kit.filter(({ object }) => object.kind !== 'Namespace').map(({ object, source }) => ({ object, source, defaultNamespace: undefined as string | undefined, exceptions: declaredExceptions(object) as ReadonlyMap<string, string> | Readonly<Record<string, string>> })),
    ...rendered.flatMap((release) =>
      release.objects
        .filter((o) => o.kind !== 'CustomResourceDefinition')
        .map((object) => ({ object, source: `chart ${release.releaseName} (${release.chart} ${release.version})`, defaultNamespace: release.namespace, exceptions: upstreamExceptions(release.releaseName, object, release.namespace) })),
    ),
  ];
  const api = new KubeApi(plane.server, plane.token);
  let accepted = crds.length + namespaces.length;
  let declaredPodSecurity = 0;
  const warnings: { object: string; warning: string }[] = [];
  try {
    await api.discover();
    log(`dry-running ${subjects.length} objects (${kit.length - namespaces.length} kit, ${subjects.length - kit.length + namespaces.length} upstream)`);
    await inParallel(subjects, 6, async ({ object, source, defaultNamespace, exceptions }) => {
      const id = objectId({ ...object, metadata: { ...object.metadata, namespace: object.metadata.namespace ?? defaultNamespace } } as Manifest);
      const target = api.objectPath(object, defaultNamespace);
      if (!target) {
        rejected.push({ object: id, source, message: `the API server serves no ${object.kind} in ${object.apiVersion} (no such built-in kind, and no installed CRD defines it)` });
        return;
      }
      const body = JSON.stringify({ ...object, metadata: { ...object.metadata, namespace: undefined } });
      const response = target.name
        ? await api.request('PATCH', `${target.collection}/${encodeURIComponent(target.name)}?dryRun=All&fieldManager=govstack-proof&force=true`, body, 'application/apply-patch+yaml')
        : await api.request('POST', `${target.collection}?dryRun=All&fieldManager=govstack-proof`, body);
      if (response.status >= 300) {
        rejected.push({ object: id, source, message: statusMessage(response) });
        return;
      }
      const undeclared = undeclaredViolations(response.warnings, exceptions);
      if (undeclared.length > 0) {
        rejected.push({
          object: id,
          source,
          message: `accepted, but its pods would be refused: PodSecurity "${undeclared[0].level}": ${undeclared.map((v) => `${v.reason}${v.detail ? ` (${v.detail})` : ''}${v.check ? ` [no ${v.check} exception declared]` : ''}`).join('; ')}`,
        });
        return;
      }
      declaredPodSecurity += response.warnings.flatMap(podSecurityViolations).length;
      for (const warning of response.warnings.filter((w) => podSecurityViolations(w).length === 0)) warnings.push({ object: id, warning });
      accepted++;
    });
  } finally {
    api.close();
  }
  rejected.sort((a, b) => a.object.localeCompare(b.object));
  warnings.sort((a, b) => a.object.localeCompare(b.object));
  return {
    objects: accepted + rejected.length,
    kitObjects: kit.length,
    upstreamObjects: rendered.reduce((n, r) => n + r.objects.length, 0),
    crds: crds.length,
    accepted,
    rejected,
    declaredPodSecurity,
    warnings,
  };
}

function terraformEnvironment(plane: ControlPlane, toolchain: Toolchain, work: string): Record<string, string> {
  const helm = path.join(work, 'helm');
  return {
    TF_CLI_CONFIG_FILE: toolchain.terraformConfig,
    KUBE_CONFIG_PATH: plane.kubeconfig,
    // Helm's repository cache and config in the proof's folder, not the user's.
    HELM_CACHE_HOME: path.join(helm, 'cache'),
    HELM_CONFIG_HOME: path.join(helm, 'config'),
    HELM_DATA_HOME: path.join(helm, 'data'),
  };
}

function prepareStack(synthesised: Synthesised, stack: string, state: string): string {
  const dir = path.join(synthesised.cdktfDir, 'stacks', stack);
  writeFileSync(path.join(dir, PROOF_OVERRIDE_FILE), `${JSON.stringify(proofOverride(synthesised.terraform[stack], path.join(state, `${stack}.tfstate`)), null, 2)}\n`);
  return dir;
}

async function init(toolchain: Toolchain, dir: string, env: Record<string, string>): Promise<string | undefined> {
  const result = await runTerraform(toolchain.terraform, ['init', '-input=false', '-no-color'], dir, env);
  return result.code === 0 ? undefined : `init failed: ${terraformErrors(result.output)}`;
}

function countCreated(output: string): number {
  return (output.match(/: Creation complete after/g) ?? []).length;
}

/** (b) init and apply of every stack in dependency order; a failed stack stops the ones after it. */
async function applyStacks(deployed: Synthesised, state: string, toolchain: Toolchain, env: Record<string, string>, log: Log): Promise<NonNullable<ProofReport['apply']>> {
  const results: { stack: string; status: 'applied' | 'failed' | 'skipped'; seconds: number; resources?: number; error?: string }[] = [];
  for (const stack of deployed.stackOrder) {
    if (results.some((r) => r.status !== 'applied')) {
      results.push({ stack, status: 'skipped', seconds: 0, error: 'an earlier stack failed' });
      continue;
    }
    const started = Date.now();
    const dir = prepareStack(deployed, stack, state);
    log(`${deployed.synthesis.env.name}: terraform init + apply ${stack}`);
    const initError = await init(toolchain, dir, env);
    if (initError) {
      results.push({ stack, status: 'failed', seconds: Math.round((Date.now() - started) / 1000), error: initError });
      continue;
    }
    const applyOnce = () => runTerraform(toolchain.terraform, ['apply', '-input=false', '-auto-approve', '-no-color'], dir, env);
    let apply = await applyOnce();
    let createdBefore = 0;
    if (apply.code !== 0 && failedOnCrdNotYetServed(apply.output)) {
      log(`${deployed.synthesis.env.name}: ${stack}: a kind was not served yet (its CRD was created moments before); applying again in ${CRD_SETTLE_SECONDS} s`);
      await new Promise((resolve) => setTimeout(resolve, CRD_SETTLE_SECONDS * 1000));
      createdBefore = countCreated(apply.output);
      apply = await applyOnce();
    }
    // Resources created, also when the apply stopped halfway.
    const created = createdBefore + countCreated(apply.output);
    results.push({
      stack,
      status: apply.code === 0 ? 'applied' : 'failed',
      seconds: Math.round((Date.now() - started) / 1000),
      resources: created,
      error: apply.code === 0 ? undefined : terraformErrors(apply.output),
    });
  }
  return results;
}

async function planJson(toolchain: Toolchain, dir: string, env: Record<string, string>): Promise<{ code: number; output: string; plan?: PlanJson }> {
  const plan = await runTerraform(toolchain.terraform, ['plan', '-input=false', '-no-color', '-lock=false', '-detailed-exitcode', '-out=proof.tfplan'], dir, env);
  if (plan.code === 1) return { code: 1, output: plan.output };
  const show = await runTerraform(toolchain.terraform, ['show', '-json', '-no-color', 'proof.tfplan'], dir, env);
  if (show.code !== 0) return { code: 1, output: show.output };
  return { code: plan.code, output: plan.output, plan: JSON.parse(show.output) as PlanJson };
}

/** (c) A second plan of every stack: anything but "no changes" means the first apply did not converge. */
async function secondPlans(deployed: Synthesised, toolchain: Toolchain, env: Record<string, string>): Promise<NonNullable<ProofReport['secondPlan']>> {
  const results: NonNullable<ProofReport['secondPlan']>[number][] = [];
  for (const stack of deployed.stackOrder) {
    const { code, output, plan } = await planJson(toolchain, path.join(deployed.cdktfDir, 'stacks', stack), env);
    if (code === 0) results.push({ stack, status: 'no changes' });
    else if (code === 2) {
      const changes = (plan?.resource_changes ?? []).filter((c) => !c.change.actions.every((a) => a === 'no-op' || a === 'read')).map((c) => `${c.change.actions.join('/')} ${c.address}`);
      results.push({ stack, status: 'changes', changes });
    } else results.push({ stack, status: 'error', error: terraformErrors(output) });
  }
  return results;
}

/** (d) The variant's stacks planned against the applied state: no namespace and no data-keeping release may be destroyed. */
async function disabledBlockPlans(
  block: string,
  deployed: Synthesised,
  variant: Synthesised,
  state: string,
  toolchain: Toolchain,
  env: Record<string, string>,
): Promise<NonNullable<ProofReport['disabledBlock']>> {
  const destroys: { stack: string; address: string; why: string }[] = [];
  const errors: { stack: string; error: string }[] = [];
  for (const stack of deployed.stackOrder) {
    if (!variant.terraform[stack]) {
      destroys.push({ stack, address: '(whole stack)', why: 'the stack is gone from the synthesised output, so everything its state holds would be destroyed' });
      continue;
    }
    const dir = prepareStack(variant, stack, state);
    const initError = await init(toolchain, dir, env);
    if (initError) {
      errors.push({ stack, error: initError });
      continue;
    }
    const { code, output, plan } = await planJson(toolchain, dir, env);
    if (code === 1) {
      const refused = refusedDestroys(stack, output);
      if (refused.length > 0) destroys.push(...refused);
      else errors.push({ stack, error: terraformErrors(output) });
      continue;
    }
    destroys.push(...forbiddenDestroys(stack, plan ?? {}, deployed.terraform[stack]));
  }
  void block;
  return { block, destroys, errors };
}

function uniqueBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const item of items) seen.set(key(item), item);
  return [...seen.values()];
}

async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** The line of a Terraform error that says what is wrong (the rest is in proof.json). */
function firstLine(error: string): string {
  return error.split('\n').map((line) => line.trim()).find((line) => line.length > 0 && line !== 'Error:') ?? error;
}
