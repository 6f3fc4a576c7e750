import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, statfsSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { kitCacheDir } from '../upstream/cache-dir';
import { ProofError } from './errors';
import { onExit } from './processes';

/** The Kubernetes API server the proof applies to: the newest minor the kit supports, a version the Go module proxy serves. */
export const KUBERNETES_VERSION = 'v1.35.4';

/** Built only where no `terraform` is on PATH (or GOVSTACK_PROVE_OPENTOFU=1): its go.mod's one replace, repeated in our wrapper. */
export const OPENTOFU = {
  version: 'v1.12.6',
  hclReplace: 'github.com/hashicorp/hcl/v2 v2.20.1 => github.com/opentofu/hcl/v2 v2.20.2-0.20251021132045-587d123c2828',
} as const;

/** One way to build a provider: a module version the proxy may serve. */
export interface ProviderBuild {
  readonly moduleVersion: string;
  /** True when this is the commit of the release tag itself. */
  readonly exact: boolean;
  /** What it is, for the proof's record. */
  readonly note: string;
}

export interface ProviderRecipe {
  /** Terraform's short name, as `required_providers` uses it. */
  readonly name: 'kubernetes' | 'helm';
  /** The release `cdk.tf.json` requires. */
  readonly version: string;
  readonly module: string;
  readonly ldflags: string;
  /** Tried in order; the first the proxy serves is built. */
  readonly builds: readonly ProviderBuild[];
}

/**
 * How to build each provider release the kit's cdktf providers pin. Their modules have no `/v2`,
 * `/v3` suffix, so release tags v2+ are not valid Go versions: only pseudo-versions of a commit
 * resolve. The tag's own commit comes first; the Go module proxy serves a curated subset, and when
 * it lacks that commit the newest served commit of the same provider is built instead and installed
 * under the required version's name (Terraform does not ask a binary its version) — recorded as
 * "not exact" in proof.json and the review, never silently.
 */
export const PROVIDER_RECIPES: readonly ProviderRecipe[] = [
  {
    name: 'kubernetes',
    version: '2.38.0',
    module: 'github.com/hashicorp/terraform-provider-kubernetes',
    ldflags: '',
    builds: [
      { moduleVersion: 'v1.13.4-0.20250721172020-be88f4427105', exact: true, note: 'commit be88f442 of tag v2.38.0' },
      { moduleVersion: 'v1.13.4-0.20260821094251-3a33fb6cc605', exact: false, note: 'commit 3a33fb6c of 2026-08-21, after v2.38.0 and the v3 renames (the kit uses only kubernetes_namespace_v1 and the provider block), the build the Go module proxy serves' },
    ],
  },
  {
    name: 'helm',
    version: '3.1.1',
    module: 'github.com/hashicorp/terraform-provider-helm',
    ldflags: '-X main.Version=3.1.1',
    builds: [
      { moduleVersion: 'v1.3.3-0.20251117192655-1cbf08f6a306', exact: true, note: 'commit 1cbf08f6 of tag v3.1.1' },
      { moduleVersion: 'v1.3.3-0.20260629194918-a4f1c1d8b008', exact: false, note: 'commit a4f1c1d8 of 2026-06-29, after v3.1.1 (Helm v3.20.2 inside), the build the Go module proxy serves' },
    ],
  },
];

/** A provider as `cdk.tf.json` requires it. */
export interface RequiredProvider {
  readonly name: string;
  readonly version: string;
}

export interface BuiltProvider extends RequiredProvider {
  readonly module: string;
  readonly moduleVersion: string;
  readonly exact: boolean;
  readonly note: string;
}

export interface Terraform {
  readonly binary: string;
  readonly kind: 'terraform' | 'opentofu';
  readonly version: string;
}

export interface Toolchain {
  readonly kubernetesVersion: string;
  readonly kubeApiserver: string;
  readonly etcd: string;
  readonly terraform: Terraform;
  /** TF_CLI_CONFIG_FILE: only a filesystem mirror, so `terraform init` never reaches a network. */
  readonly terraformConfig: string;
  readonly providers: readonly BuiltProvider[];
}

/** The proof's folder in the kit's cache (outside the repository; GOVSTACK_KIT_CACHE moves it). */
export function proofCacheDir(...parts: string[]): string {
  return kitCacheDir('proof', ...parts);
}

const BUILD_SCRIPT = path.join(__dirname, 'build-toolchain.sh');

/** `go version`, or a clear error saying what the proof needs when there is no Go. */
export function requireGo(env: NodeJS.ProcessEnv = process.env): string {
  const result = spawnSync('go', ['version'], { env, encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    throw new ProofError(
      'npm run prove needs Go (1.25 or newer, `go` on PATH) and access to a Go module proxy: it builds kube-apiserver, etcd ' +
        'and the Terraform providers from Go modules (once; they are cached outside the repository). ' +
        'Install Go from your package manager or https://go.dev/dl/, then run it again. `npm test` does not need Go.',
    );
  }
  return result.stdout.trim();
}

/** The providers and versions the stacks' `terraform.required_providers` name, each once. */
export function requiredProviders(stacks: readonly Record<string, unknown>[]): RequiredProvider[] {
  const found = new Map<string, RequiredProvider>();
  for (const stack of stacks) {
    const required = ((stack.terraform as { required_providers?: Record<string, { version?: string }> } | undefined)?.required_providers ?? {});
    for (const [name, { version }] of Object.entries(required)) {
      if (!version) throw new ProofError(`the stacks require provider ${name} without a version; the proof builds exact versions only`);
      found.set(`${name}@${version}`, { name, version });
    }
  }
  return [...found.values()].sort((a, b) => a.name.localeCompare(b.name));
}

export function recipeFor(required: RequiredProvider): ProviderRecipe {
  const recipe = PROVIDER_RECIPES.find((r) => r.name === required.name && r.version === required.version);
  if (!recipe) {
    const known = PROVIDER_RECIPES.map((r) => `${r.name} ${r.version}`).join(', ');
    throw new ProofError(
      `the stacks require provider ${required.name} ${required.version}, which the proof has no build recipe for (it knows ${known}): ` +
        `add the release's commit to PROVIDER_RECIPES in src/prove/toolchain.ts`,
    );
  }
  return recipe;
}

type Log = (line: string) => void;

/** `terraform` on PATH, unless GOVSTACK_PROVE_OPENTOFU=1 asks for OpenTofu. */
function terraformOnPath(): Terraform | undefined {
  if (process.env.GOVSTACK_PROVE_OPENTOFU === '1') return undefined;
  const result = spawnSync('terraform', ['version', '-json'], { encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1' } });
  if (result.error || result.status !== 0) return undefined;
  const which = spawnSync('sh', ['-c', 'command -v terraform'], { encoding: 'utf8' }).stdout.trim();
  return { binary: which, kind: 'terraform', version: (JSON.parse(result.stdout) as { terraform_version: string }).terraform_version };
}

/**
 * Builds what is missing (one piece after another, niced, each logged under the cache) and returns
 * the binaries. A preflight asks the Go module proxy for every root module first, so a version it
 * does not serve fails in seconds, not after a half-hour build.
 */
export async function prepareToolchain(required: readonly RequiredProvider[], log: Log): Promise<Toolchain> {
  const goVersion = requireGo();
  checkDisk();
  const controlPlaneDir = proofCacheDir(`kubernetes-${KUBERNETES_VERSION}`);
  const kubeApiserver = path.join(controlPlaneDir, 'kube-apiserver');
  const etcd = path.join(controlPlaneDir, 'etcd');
  const existingTerraform = terraformOnPath();
  const tofuDir = proofCacheDir(`opentofu-${OPENTOFU.version}`);
  const tofu = path.join(tofuDir, 'tofu');

  // Preflight: every root module, each provider's first served build.
  const recipes = required.map(recipeFor);
  const chosen: BuiltProvider[] = [];
  for (const recipe of recipes) {
    const dir = (build: ProviderBuild) => proofCacheDir(`provider-${recipe.name}-${build.moduleVersion}`);
    let build = recipe.builds.find((b) => existsSync(path.join(dir(b), path.basename(recipe.module))));
    if (!build) {
      for (const candidate of recipe.builds) {
        if ((await runScript(['preflight', `${recipe.module}@${candidate.moduleVersion}`], {}, undefined)).ok) {
          build = candidate;
          break;
        }
      }
    }
    if (!build) {
      throw new ProofError(
        `preflight: the Go module proxy serves none of the builds of provider ${recipe.name} ${recipe.version} ` +
          `(${recipe.builds.map((b) => `${recipe.module}@${b.moduleVersion}`).join(', ')}); ${goVersion}, GOPROXY=${goEnv('GOPROXY')}`,
      );
    }
    if (!build.exact) log(`provider ${recipe.name} ${recipe.version}: not its release commit (the Go module proxy does not serve it) but ${build.note}`);
    chosen.push({ name: recipe.name, version: recipe.version, module: recipe.module, moduleVersion: build.moduleVersion, exact: build.exact, note: build.note });
  }
  const roots: string[] = [];
  if (!existsSync(kubeApiserver) || !existsSync(etcd)) {
    const staging = `v0.${KUBERNETES_VERSION.slice('v1.'.length)}`;
    roots.push(`k8s.io/kubernetes@${KUBERNETES_VERSION}`, ...['api', 'apimachinery', 'apiserver', 'apiextensions-apiserver', 'kube-aggregator', 'client-go', 'pod-security-admission'].map((m) => `k8s.io/${m}@${staging}`));
  }
  if (!existingTerraform && !existsSync(tofu)) roots.push(`github.com/opentofu/opentofu@${OPENTOFU.version}`);
  if (roots.length > 0) {
    log(`preflight: asking the Go module proxy for ${roots.length} modules`);
    const preflight = await runScript(['preflight', ...roots], {}, undefined);
    if (!preflight.ok) throw new ProofError(`preflight: the Go module proxy (GOPROXY=${goEnv('GOPROXY')}) cannot provide what the proof builds:\n${preflight.output.trim()}`);
  }

  // Builds, one after another (each uses both cores).
  if (!existsSync(kubeApiserver) || !existsSync(etcd)) {
    await build('controlplane', `kube-apiserver and etcd ${KUBERNETES_VERSION}`, { K8S_VERSION: KUBERNETES_VERSION, OUT: controlPlaneDir }, log);
  }
  for (const provider of chosen) {
    const out = proofCacheDir(`provider-${provider.name}-${provider.moduleVersion}`);
    if (existsSync(path.join(out, path.basename(provider.module)))) continue;
    const recipe = recipeFor(provider);
    await build('provider', `provider ${provider.name} ${provider.version} (${provider.moduleVersion})`, { MODULE: provider.module, MODULE_VERSION: provider.moduleVersion, LDFLAGS: recipe.ldflags, OUT: out }, log);
  }
  let terraform = existingTerraform;
  if (!terraform) {
    if (!existsSync(tofu)) await build('opentofu', `OpenTofu ${OPENTOFU.version}`, { TOFU_VERSION: OPENTOFU.version, TOFU_HCL_REPLACE: OPENTOFU.hclReplace, OUT: tofuDir }, log);
    terraform = { binary: tofu, kind: 'opentofu', version: OPENTOFU.version.slice(1) };
  }

  return {
    kubernetesVersion: KUBERNETES_VERSION,
    kubeApiserver,
    etcd,
    terraform,
    terraformConfig: writeProviderMirror(chosen),
    providers: chosen,
  };
}

/**
 * Lays the providers out as a Terraform filesystem mirror (unpacked layout) for both registry
 * hostnames — `"source": "kubernetes"` means registry.terraform.io/hashicorp/kubernetes to
 * Terraform and registry.opentofu.org/hashicorp/kubernetes to OpenTofu — and writes a CLI config
 * whose only installation method is that mirror: `terraform init` never touches a network.
 */
export function writeProviderMirror(providers: readonly BuiltProvider[], mirror = proofCacheDir('terraform-mirror')): string {
  for (const provider of providers) {
    const binary = path.join(proofCacheDir(`provider-${provider.name}-${provider.moduleVersion}`), path.basename(provider.module));
    for (const host of ['registry.terraform.io', 'registry.opentofu.org']) {
      const target = path.join(mirror, providerMirrorPath(host, provider));
      // The build behind a version name may change (exact commit served later): always refresh.
      mkdirSync(path.dirname(target), { recursive: true });
      copyFileSync(binary, `${target}.partial`);
      renameSync(`${target}.partial`, target);
    }
  }
  const config = path.join(mirror, 'terraform.tfrc');
  writeFileSync(config, terraformCliConfig(mirror));
  return config;
}

export function providerMirrorPath(host: string, provider: RequiredProvider): string {
  return path.join(host, 'hashicorp', provider.name, provider.version, 'linux_amd64', `terraform-provider-${provider.name}_v${provider.version}`);
}

export function terraformCliConfig(mirror: string): string {
  return [
    '# Written by npm run prove: providers only from the local mirror built from Go modules; no network at init.',
    'provider_installation {',
    '  filesystem_mirror {',
    `    path    = ${JSON.stringify(mirror)}`,
    '    include = ["registry.terraform.io/hashicorp/*", "registry.opentofu.org/hashicorp/*"]',
    '  }',
    '}',
    '',
  ].join('\n');
}

function checkDisk(): void {
  const dir = proofCacheDir();
  mkdirSync(dir, { recursive: true });
  const stats = statfsSync(dir);
  const freeGiB = (stats.bavail * stats.bsize) / 2 ** 30;
  if (freeGiB < 8) throw new ProofError(`the proof's Go builds need about 8 GiB of disk; ${dir} has ${freeGiB.toFixed(1)} GiB free`);
}

function goEnv(name: string): string {
  return spawnSync('go', ['env', name], { encoding: 'utf8' }).stdout?.trim() ?? '';
}

async function build(piece: string, what: string, env: Record<string, string>, log: Log): Promise<void> {
  const logDir = proofCacheDir('logs');
  mkdirSync(logDir, { recursive: true });
  const logFile = path.join(logDir, `${piece}-${Date.now()}.log`);
  const started = Date.now();
  log(`building ${what} from Go modules (log: ${logFile})`);
  const result = await runScript([piece], env, logFile);
  if (!result.ok) {
    const tail = readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-25).join('\n');
    throw new ProofError(`building ${what} failed; the last lines of ${logFile}:\n${tail}`);
  }
  log(`built ${what} in ${Math.round((Date.now() - started) / 1000)} s`);
}

function runScript(args: readonly string[], env: Record<string, string>, logFile: string | undefined): Promise<{ ok: boolean; output: string }> {
  return new Promise((resolve) => {
    // Its own process group, so that stopping the proof stops the whole build (go, compile, link) too.
    const child = spawn('nice', ['-n', '10', 'bash', BUILD_SCRIPT, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const exitHook = onExit(() => {
      if (child.pid && child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
    });
    let output = '';
    const sink = (chunk: Buffer) => {
      output += chunk.toString();
      if (logFile) writeFileSync(logFile, chunk, { flag: 'a' });
    };
    child.stdout.on('data', sink);
    child.stderr.on('data', sink);
    child.on('error', (error) => {
      exitHook.release();
      resolve({ ok: false, output: error.message });
    });
    child.on('exit', (code) => {
      exitHook.release();
      resolve({ ok: code === 0, output });
    });
  });
}
