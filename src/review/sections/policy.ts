import { notice, paragraph, table, type Block, type Section } from '../document';
import type { DeclaredException, PolicyResult } from '../../policy/types';
import type { ReviewModel } from '../review-model';
import { NOT_AVAILABLE } from './information-mediator';

function resultBlocks(results: readonly PolicyResult[]): Block[] {
  const by = (status: PolicyResult['status']) => results.filter((r) => r.status === status);
  const failures = by('fail');
  const passes = new Map<string, number>();
  for (const result of by('pass')) passes.set(result.check, (passes.get(result.check) ?? 0) + 1);
  return [
    failures.length > 0
      ? notice('warning', `${failures.length} check result(s) failed: this environment does not meet the baseline.`)
      : notice('info', 'Every check passed, with only the declared exceptions below.'),
    paragraph(`${results.length} results: ${by('pass').length} passed, ${failures.length} failed, ${by('exception').length} accepted as declared exceptions.`),
    table('policy-failures', ['Check', 'Object', 'Why it fails'], failures.map((r) => [r.check, r.object, r.detail ?? '']), { empty: 'No failure.' }),
    table('policy-passes', ['Check', 'Objects passed'], [...passes].sort(([a], [b]) => a.localeCompare(b)).map(([check, n]) => [check, `${n}`]), {
      numeric: [1],
      empty: 'No check passed.',
    }),
  ];
}

/** Exceptions from the policy results and from the objects' annotations, once each. */
function exceptions(model: ReviewModel): DeclaredException[] {
  const all = new Map<string, DeclaredException>();
  for (const declared of model.declaredExceptions) all.set(`${declared.check}\0${declared.object}`, declared);
  for (const result of model.inputs.policyResults ?? []) {
    if (result.status !== 'exception') continue;
    const key = `${result.check}\0${result.object}`;
    if (!all.has(key)) all.set(key, { check: result.check, object: result.object, reason: result.reason ?? result.detail ?? '' });
  }
  return [...all.values()].sort((a, b) => `${a.check}\0${a.object}`.localeCompare(`${b.check}\0${b.object}`));
}

export function policySection(model: ReviewModel): Section {
  const results = model.inputs.policyResults;
  return {
    id: 'policy',
    title: 'Policy checks and declared exceptions',
    blocks: [
      ...(results ? resultBlocks(results) : [notice('info', `Policy check results are ${NOT_AVAILABLE}; the declared exceptions below are read from the objects themselves.`)]),
      paragraph('Every exception to the security baseline, declared in code next to the object it excuses (annotation `policy.govstack.dev/exception.<CHECK>`):'),
      table('policy-exceptions', ['Check', 'Object', 'Reason'], exceptions(model).map((e) => [e.check, e.object, e.reason]), { empty: 'No exception is declared.' }),
    ],
  };
}
