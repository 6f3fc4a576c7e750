import type { PinResult } from './check';

export interface PinsReport {
  readonly lines: readonly string[];
  /** 1 when a pin is missing, declares no confirmation, or a registry gave no usable answer. */
  readonly exitCode: 0 | 1;
}

/**
 * One line per pin (what it is, the verdict, the source or reason, and, for a failure, where it is
 * pinned), then one summary line that `.ci/run` counts: `pins: N checked, … N missing, N registry error(s), …`.
 */
export function reportPins(results: readonly PinResult[]): PinsReport {
  const lines: string[] = [];
  const counts = { confirmed: 0, 'newer-patch': 0, 'cannot-check': 0, missing: 0, 'registry-error': 0, undeclared: 0 };
  // Charts first, then images, each alphabetically: the report reads the same every run.
  const sorted = [...results].sort((a, b) => a.pin.kind.localeCompare(b.pin.kind) || a.pin.reference.localeCompare(b.pin.reference));
  for (const { pin, verdict } of sorted) {
    counts[verdict.status]++;
    const what = `${pin.kind} ${pin.reference}`;
    const where = `pinned in ${pin.where.join('; ')}`;
    switch (verdict.status) {
      case 'confirmed':
        lines.push(`${what}: confirmed (${verdict.source})`);
        break;
      case 'newer-patch':
        lines.push(`${what}: newer patch available: ${verdict.newer} (${verdict.source})`);
        break;
      case 'cannot-check':
        lines.push(`${what}: cannot check: ${verdict.reason}`);
        break;
      case 'missing':
        lines.push(`${what}: MISSING: ${verdict.source} does not exist (${verdict.registry}: ${verdict.detail}); ${where}`);
        break;
      case 'registry-error':
        lines.push(`${what}: REGISTRY ERROR: ${verdict.registry} gave no usable answer for ${verdict.source}: ${verdict.detail}; ${where}`);
        break;
      case 'undeclared':
        lines.push(`${what}: NO CONFIRMATION: declare where its release can be confirmed (confirm: maven, npm, goModule, pypi or unavailable with a reason); ${where}`);
        break;
    }
  }
  lines.push(
    `pins: ${results.length} checked, ${counts.confirmed} confirmed, ${counts['newer-patch']} with a newer patch, ${counts['cannot-check']} cannot be checked here, ` +
      `${counts.missing} missing, ${counts['registry-error']} registry error(s), ${counts.undeclared} without a confirmation`,
  );
  const failed = counts.missing + counts['registry-error'] + counts.undeclared > 0;
  return { lines, exitCode: failed ? 1 : 0 };
}
