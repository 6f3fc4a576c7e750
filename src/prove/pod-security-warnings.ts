/**
 * Pod Security admission judges workloads (Deployments, DaemonSets, …) only with warnings:
 * `would violate PodSecurity "restricted:v1.35": host namespaces (hostNetwork=true), privileged (…)`.
 * A real cluster accepts the workload and then refuses every pod it tries to create, so the proof
 * counts each such violation as a failure unless the object declares the matching exception of
 * the kit's policy suite (the same check ids `declarePolicyException` takes).
 */

/** Pod Security admission's reasons (pod-security-admission policy package) → the kit's check id. */
const CHECK_OF_REASON: readonly [RegExp, string][] = [
  [/^(host namespaces|probe or lifecycle host)$/, 'POD-01'],
  [/^privileged$/, 'POD-02'],
  [/^allowPrivilegeEscalation != false$/, 'POD-03'],
  [/^runAsNonRoot != true$/, 'POD-04'],
  [/^runAsUser=0$/, 'POD-04'],
  [/^seccompProfile$/, 'POD-06'],
  [/^(unrestricted|non-default) capabilities$/, 'POD-07'],
  [/^(restricted volume types|hostPath volumes)$/, 'POD-08'],
  [/^hostPort$/, 'POD-09'],
  [/^(seLinuxOptions|procMount|forbidden sysctls|hostProcess|forbidden AppArmor profiles?)$/, 'POD-11'],
];

export interface PodSecurityViolation {
  /** e.g. `restricted:v1.35`. */
  readonly level: string;
  /** Pod Security's own words, e.g. `host namespaces`. */
  readonly reason: string;
  readonly detail: string;
  /** The kit's check an exception would name, when there is one. */
  readonly check?: string;
}

/** The violations one PodSecurity warning lists; nothing for other warnings. */
export function podSecurityViolations(warning: string): PodSecurityViolation[] {
  const match = /would violate PodSecurity "([^"]+)": (.*)$/s.exec(warning);
  if (!match) return [];
  return splitTopLevel(match[2]).map((part) => {
    const open = part.indexOf(' (');
    const reason = (open >= 0 ? part.slice(0, open) : part).trim();
    const detail = open >= 0 && part.endsWith(')') ? part.slice(open + 2, -1) : '';
    return { level: match[1], reason, detail, check: CHECK_OF_REASON.find(([pattern]) => pattern.test(reason))?.[1] };
  });
}

/** Violations not covered by an exception the object (or its chart) declares. */
export function undeclaredViolations(warnings: readonly string[], exceptions: ReadonlyMap<string, string> | Readonly<Record<string, string>>): PodSecurityViolation[] {
  const has = (check: string) => (exceptions instanceof Map ? exceptions.has(check) : check in exceptions);
  return warnings.flatMap(podSecurityViolations).filter((violation) => !violation.check || !has(violation.check));
}

/** Splits `a (x, y), b (z)` at the commas outside parentheses. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (c === ',' && depth === 0 && text[i + 1] === ' ') {
      parts.push(text.slice(start, i));
      start = i + 2;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter(Boolean);
}
