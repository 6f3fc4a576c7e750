import { POLICY_CHECKS } from './catalogue';
import type { PolicyReport, PolicyResult } from './types';

export interface TableOptions {
  /**
   * List passing results one by one instead of counting them per check.
   * @default false
   */
  readonly verbose?: boolean;
}

/**
 * The report as a plain-text table a change board can read: failures and exceptions (with their
 * reasons) one per line, passes counted per check, declared exceptions nothing needed at the end.
 */
export function formatPolicyReport(report: PolicyReport, options: TableOptions = {}): string {
  const rows: string[][] = [];
  for (const check of POLICY_CHECKS) {
    const results = report.results.filter((result) => result.check === check.id);
    const passed = results.filter((result) => result.status === 'pass');
    const listed = results.filter((result) => result.status !== 'pass' || options.verbose);
    for (const result of listed) rows.push(row(result));
    if (!options.verbose) rows.push([check.id, `${passed.length} object(s)`, 'pass', check.title]);
  }
  for (const result of report.results.filter((r) => !POLICY_CHECKS.some((check) => check.id === r.check))) rows.push(row(result));

  const header = ['check', 'object', 'status', 'reason / detail'];
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((r) => Math.min(r[i].length, i === 1 ? 60 : 12))));
  const line = (cells: string[]) => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ');
  const failures = report.results.filter((r) => r.status === 'fail').length;
  const exceptions = report.results.filter((r) => r.status === 'exception').length;
  const out = [`policy checks for environment "${report.environment}"`, '', line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line), ''];
  if (report.unusedExceptions.length > 0) {
    out.push('declared exceptions no check needed (kept for controller-generated objects or no longer needed):');
    for (const e of report.unusedExceptions) out.push(`  ${e.check}  ${e.object}: ${e.reason}`);
    out.push('');
  }
  out.push(
    `${report.results.filter((r) => r.status === 'pass').length} passed, ${exceptions} declared exception(s), ${failures} failed: ${report.ok ? 'OK' : 'FAILED'}`,
  );
  return `${out.join('\n')}\n`;
}

function row(result: PolicyResult): string[] {
  const text =
    result.status === 'exception' ? `${result.reason} [excepts: ${result.detail}]` : result.status === 'fail' ? (result.detail ?? '') : '';
  return [result.check, result.object, result.status === 'fail' ? 'FAIL' : result.status, text];
}
