import { POLICY_CHECKS } from './catalogue';
import { objectId } from '../synth/manifest';
import { renderedReleaseOf } from '../upstream/render';
import { chartId, policyContext } from './context';
import type { DeclaredException, Evaluation, PolicyCheck, PolicyInput, PolicyReport, PolicyResult } from './types';

/**
 * Evaluates every check over everything an environment synthesises: a pure function of its input,
 * so the command line, the tests and the review bundle all show the same results. A violation
 * passes only where an exception for that check is declared on that object; declared exceptions
 * nothing needed are listed, and exceptions naming a check that does not exist fail.
 */
export function evaluatePolicies(input: PolicyInput, checks: readonly PolicyCheck[] = POLICY_CHECKS): PolicyReport {
  const context = policyContext(input);
  const results: PolicyResult[] = [];
  const used = new Set<string>();
  const declared = new Map<string, DeclaredException>();

  for (const check of checks) {
    for (const { subject, violations } of merged(check.evaluate(context))) {
      const owner = subject.declaredOn ?? subject.id;
      for (const [id, reason] of subject.exceptions) declared.set(`${id} ${owner}`, { check: id, object: owner, reason });
      const detail = violations.join('; ');
      if (violations.length === 0) {
        results.push({ check: check.id, object: subject.id, status: 'pass' });
      } else if (subject.exceptions.has(check.id)) {
        used.add(`${check.id} ${owner}`);
        results.push({ check: check.id, object: subject.id, status: 'exception', detail, reason: subject.exceptions.get(check.id) });
      } else {
        results.push({ check: check.id, object: subject.id, status: 'fail', detail });
      }
    }
  }
  // Exceptions on objects no check looked at (e.g. a custom resource whose pods an operator creates).
  for (const manifest of input.manifests) {
    const subject = context.subjectOf(manifest);
    for (const [id, reason] of subject.exceptions) declared.set(`${id} ${subject.id}`, { check: id, object: subject.id, reason });
  }

  // A scoped exception must name objects its chart renders: a typo would otherwise excuse nothing, silently.
  for (const chart of input.upstreamCharts) {
    const release = renderedReleaseOf(input.rendered, chart);
    if (!release || release.error) continue;
    const rendered = new Set(release.objects.map(objectId));
    for (const scoped of chart.scopedExceptions ?? []) {
      const missing = scoped.objects.filter((id) => !rendered.has(id));
      if (missing.length > 0) {
        results.push({ check: scoped.check, object: chartId(chart), status: 'fail', detail: `an exception names ${missing.join(', ')}, which the chart does not render` });
      }
    }
  }

  const known = new Set(checks.map((check) => check.id));
  const unusedExceptions: DeclaredException[] = [];
  for (const [key, exception] of [...declared].sort(([a], [b]) => a.localeCompare(b))) {
    if (!known.has(exception.check)) {
      results.push({ check: exception.check, object: exception.object, status: 'fail', detail: `an exception is declared for ${exception.check}, which is not a check of the suite` });
    } else if (!used.has(key)) {
      unusedExceptions.push(exception);
    }
  }
  return { environment: input.env.name, results, unusedExceptions, ok: results.every((result) => result.status !== 'fail') };
}

/** One evaluation per subject: a check may look at one object from several angles. */
function merged(evaluations: readonly Evaluation[]): Evaluation[] {
  const bySubject = new Map<string, Evaluation>();
  for (const evaluation of evaluations) {
    const previous = bySubject.get(evaluation.subject.id);
    bySubject.set(
      evaluation.subject.id,
      previous ? { subject: previous.subject, violations: [...new Set([...previous.violations, ...evaluation.violations])] } : evaluation,
    );
  }
  return [...bySubject.values()];
}
