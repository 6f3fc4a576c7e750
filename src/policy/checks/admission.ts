import type { Manifest } from '../../synth/manifest';
import { limitRangeDefaults, withLimitRangeDefaults, type ContainerDefaults } from '../limit-range';
import type { Container } from '../workloads';
import type { PolicyCheck } from '../types';

/**
 * The kit's own admission policies must admit the kit's own pods: a Kyverno ClusterPolicy the
 * platform installs that rejects a pod of a building block, or of an upstream chart, turns a
 * successful deployment into pods that never start. Each `validate.pattern` rule of the synthesised
 * ClusterPolicies is applied to every pod template it matches, the way Kyverno matches patterns.
 * (`podSecurity` rules are Pod Security Admission's own levels: the API server's dry-run in
 * `npm run prove` judges those.)
 */
export const ADMISSION_CHECKS: readonly PolicyCheck[] = [
  {
    id: 'ADM-01',
    title: "the kit's admission policies admit every pod the kit and its charts run",
    severity: 'H',
    sources: 'Kyverno validate patterns (kyverno.io/v1 ClusterPolicy); GS 6.2',
    evaluate: (context) => {
      const rules = context.ofKind('ClusterPolicy').filter((p) => p.apiVersion.startsWith('kyverno.io/')).flatMap(patternRules);
      if (rules.length === 0) return [];
      const defaults = limitRangeDefaults(context.manifests);
      return context.pods.map((pod) => {
        // Kyverno's webhook sees the pod after the API server's own admission: LimitRange defaults applied.
        const admitted = { ...pod.spec, containers: asAdmitted(pod.spec.containers, defaults.get(pod.namespace)), initContainers: asAdmitted(pod.spec.initContainers, defaults.get(pod.namespace)) };
        const violations = rules
          .filter((rule) => rule.appliesTo(pod.namespace))
          .flatMap((rule) => {
            const mismatch = matchPattern(rule.pattern, { spec: admitted }, '');
            return mismatch ? [`${rule.name} would reject its pods (${rule.message ?? 'pattern'}): ${mismatch}`] : [];
          });
        return { subject: context.subjectOf(pod.owner), violations };
      });
    },
  },
];

function asAdmitted(containers: readonly Container[] | undefined, defaults: ContainerDefaults | undefined): Container[] | undefined {
  return containers?.map((container) => ({ ...container, resources: withLimitRangeDefaults(container.resources, defaults) }));
}

interface PatternRule {
  readonly name: string;
  readonly message?: string;
  readonly pattern: unknown;
  appliesTo(namespace: string): boolean;
}

interface KyvernoRule {
  readonly name: string;
  readonly match?: { readonly any?: readonly { readonly resources?: { readonly kinds?: readonly string[]; readonly namespaces?: readonly string[] } }[] };
  readonly exclude?: { readonly any?: readonly { readonly resources?: { readonly namespaces?: readonly string[] } }[] };
  readonly validate?: { readonly pattern?: unknown; readonly message?: string; readonly failureAction?: string };
}

/** The enforced pattern rules of a ClusterPolicy that match Pods. */
function patternRules(policy: Manifest): PatternRule[] {
  const rules = ((policy.spec as { rules?: KyvernoRule[] } | undefined)?.rules ?? []).filter(
    (rule) => rule.validate?.pattern && rule.validate.failureAction !== 'Audit' && (rule.match?.any ?? []).some((m) => m.resources?.kinds?.includes('Pod')),
  );
  return rules.map((rule) => {
    const excluded = new Set((rule.exclude?.any ?? []).flatMap((e) => e.resources?.namespaces ?? []));
    const only = (rule.match?.any ?? []).flatMap((m) => m.resources?.namespaces ?? []);
    return {
      name: `ClusterPolicy/${policy.metadata.name} rule ${rule.name}`,
      message: rule.validate?.message,
      pattern: rule.validate?.pattern,
      appliesTo: (namespace) => !excluded.has(namespace) && (only.length === 0 || only.includes(namespace)),
    };
  });
}

/**
 * Where `value` does not match Kyverno `pattern`, or undefined when it does: every key of a pattern
 * object must match, `=(key)` only when the key is present; a one-element pattern list applies to
 * every element; strings are Kyverno's wildcard expressions with `|` (or), `&` (and) and `!` (not).
 */
export function matchPattern(pattern: unknown, value: unknown, at: string): string | undefined {
  if (Array.isArray(pattern)) {
    if (!Array.isArray(value)) return `${at} is not a list`;
    for (const [i, element] of value.entries()) {
      const mismatch = matchPattern(pattern[0], element, `${at}[${i}]`);
      if (mismatch) return mismatch;
    }
    return undefined;
  }
  if (pattern !== null && typeof pattern === 'object') {
    for (const [rawKey, child] of Object.entries(pattern)) {
      const conditional = /^=\((.*)\)$/.exec(rawKey);
      const key = conditional ? conditional[1] : rawKey;
      // A null field is absent once the API server has decoded the object (as Kyverno sees a pod).
      const present = value !== null && typeof value === 'object' && (value as Record<string, unknown>)[key] != null;
      if (!present) {
        if (conditional) continue;
        return `${at}.${key} is missing`;
      }
      const mismatch = matchPattern(child, (value as Record<string, unknown>)[key], `${at}.${key}`);
      if (mismatch) return mismatch;
    }
    return undefined;
  }
  return matchesExpression(String(pattern), value) ? undefined : `${at} is ${JSON.stringify(value)}, not ${pattern}`;
}

function matchesExpression(expression: string, value: unknown): boolean {
  if (value === undefined || value === null) return false;
  const text = String(value);
  return expression.split('|').some((alternative) =>
    alternative.split('&').every((part) => {
      const trimmed = part.trim();
      return trimmed.startsWith('!') ? !wildcard(trimmed.slice(1), text) : wildcard(trimmed, text);
    }),
  );
}

/** Kyverno's wildcards: `*` any run of characters, `?` any one. */
function wildcard(pattern: string, text: string): boolean {
  const regex = new RegExp(`^${pattern.replace(/[.+^${}()[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 's');
  return regex.test(text);
}
