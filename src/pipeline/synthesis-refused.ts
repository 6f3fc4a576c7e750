import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { PolicyReport } from '../policy';
import { readCachedJson, kitCacheDir, writeCacheFile } from '../upstream/cache-dir';
import { SECRET_SCAN_FINGERPRINT, scanForSecrets, type SecretFinding } from '../validation/secret-scan';

/** One reason a synthesis is not moved into place, phrased for whoever must fix it. */
export interface Refusal {
  readonly environment: string;
  readonly message: string;
}

/**
 * Thrown when the output is complete but must not be used: a policy check fails without a declared
 * exception, or the secret scan finds something. Nothing is moved into place; the CLI prints every
 * finding and exits 1, without a stack trace.
 */
export class SynthesisRefused extends Error {
  constructor(readonly refusals: readonly Refusal[]) {
    super(refusals.map((refusal) => `${refusal.environment}: ${refusal.message}`).join('\n'));
    this.name = 'SynthesisRefused';
  }
}

/** Every failing result of the policy suite (the same results the review bundle shows). */
export function policyRefusals(report: PolicyReport): Refusal[] {
  return report.results
    .filter((result) => result.status === 'fail')
    .map((result) => {
      const why = result.reason ?? result.detail;
      return {
        environment: report.environment,
        message: `policy check ${result.check} fails on ${result.object}${why ? `: ${why}` : ''} (fix it, or declare an exception with its reason)`,
      };
    });
}

/**
 * The secret scan over every file about to be moved into place. `folders` maps a staged folder to
 * the path it will have (e.g. `dist/sandbox`), so findings name the file as the user will see it.
 *
 * A text the same scan found clean before is not scanned again: the kit's cache keeps the hashes of
 * the clean texts of the last scan of the same folders, under the scan's fingerprint (its patterns
 * and exemptions), so most of a synthesis that changed little is not read by the patterns again.
 * A text with a finding is never kept, and is scanned (and refused) every time.
 */
export function secretFindings(folders: ReadonlyMap<string, string>, scan: typeof scanForSecrets = scanForSecrets): SecretFinding[] {
  const files = new Map<string, string>();
  for (const [staged, shown] of folders) {
    for (const file of filesUnder(staged)) files.set(path.join(shown, path.relative(staged, file)), readFileSync(file, 'utf8'));
  }
  const memo = kitCacheDir('secret-scan', SECRET_SCAN_FINGERPRINT, `${createHash('sha256').update([...folders.values()].join('\0')).digest('hex')}.json`);
  const knownClean = new Set(readCachedJson<string[]>(memo) ?? []);
  const hashOf = new Map([...files].map(([file, text]) => [file, createHash('sha256').update(text).digest('hex')]));
  const findings = scan(new Map([...files].filter(([file]) => !knownClean.has(hashOf.get(file)!))));
  const withFindings = new Set(findings.map((finding) => finding.file));
  const clean = [...hashOf].filter(([file]) => !withFindings.has(file)).map(([, hash]) => hash);
  writeCacheFile(memo, JSON.stringify([...new Set(clean)].sort()));
  return findings;
}

export function secretRefusals(environment: string, findings: readonly SecretFinding[]): Refusal[] {
  return findings.map((finding) => ({
    environment,
    message: `secret scan: ${finding.file}:${finding.line}: ${finding.kind}; no secret value may be in the output (keep it in the secret store and reference it by name)`,
  }));
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}
