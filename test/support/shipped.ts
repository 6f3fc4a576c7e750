import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadEnvironment } from '../../constructs/environment/load';
import type { Environment } from '../../constructs/environment/schema';
import type { Manifest } from '../../src/synth/manifest';
import { buildOutput, type EnvironmentOutput } from '../../src/pipeline/build-output';
import type { EnvironmentSynthesis } from '../../src/synth/synthesize';

/**
 * The environments the kit ships. Specifications name them rather than list `environments/`, so
 * whatever a user adds there (e.g. the README's `new-country` example, with its placeholders) never
 * changes what the tests check.
 */
export const SHIPPED_ENVIRONMENTS = ['marenland-staging', 'sandbox', 'veloria-production'] as const;

/** Every environment shipped in `environments/`, loaded and validated. */
export function shippedEnvironments(): Environment[] {
  return SHIPPED_ENVIRONMENTS.map((name) => loadEnvironment(name));
}

let cached: { root: string; results: EnvironmentOutput[] } | undefined;

/** All shipped environments synthesised once per test file into a temporary project root. */
export function synthesizedShipped(): { root: string; results: EnvironmentOutput[] } {
  if (!cached) {
    const root = mkdtempSync(path.join(tmpdir(), 'govstack-synth-'));
    cached = { root, results: buildOutput(shippedEnvironments(), { root }) };
  }
  return cached;
}

export function manifestsOf(result: EnvironmentSynthesis): Manifest[] {
  return result.components.flatMap((component) => component.manifests);
}

/** Every file under `dir`, relative path → content, for byte-for-byte comparisons. */
export function readTree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (current: string) => {
    for (const entry of readdirSync(current).sort()) {
      const full = path.join(current, entry);
      if (statSync(full).isDirectory()) walk(full);
      else files.set(path.relative(dir, full), readFileSync(full, 'utf8'));
    }
  };
  walk(dir);
  return files;
}
