/** One problem in an environment file, phrased for the engineer who has to fix it. */
export interface ConfigProblem {
  /** The file to edit, relative to the project root. */
  readonly file: string;
  /** 1-based line and column in that file, when the problem has a position there. */
  readonly line?: number;
  readonly column?: number;
  /** Dotted path of the field, e.g. `xroad.securityServer.variant`; empty for the whole file. */
  readonly field: string;
  /** The offending value as written (or inherited); undefined when the field is missing. */
  readonly value?: unknown;
  /** What would be accepted instead. */
  readonly expected: string;
  /** The value must not be echoed (it looks like a secret, and messages end up in CI logs). */
  readonly valueHidden?: boolean;
  /** Where an inherited value came from, when it was not written in the file itself. */
  readonly inheritedFrom?: string;
}

/** Thrown for user errors only: the CLI prints it without a stack trace and exits 1. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ConfigError';
  }
}

export function formatProblem(problem: ConfigProblem): string {
  const position = problem.line ? `:${problem.line}:${problem.column ?? 1}` : '';
  if (!problem.field) {
    const value = problem.value === undefined ? '' : ` got ${displayValue(problem.value)};`;
    return `${problem.file}${position}:${value} expected ${problem.expected}`;
  }
  const value = problem.valueHidden ? 'has a value (not shown here)' : problem.value === undefined ? 'is missing' : `has value ${displayValue(problem.value)}`;
  const inherited = problem.inheritedFrom ? ` (inherited from ${problem.inheritedFrom})` : '';
  return `${problem.file}${position}: field "${problem.field}" ${value}${inherited}; expected ${problem.expected}`;
}

/** Longest value a message echoes: a pasted blob is cut, so one bad value cannot flood the terminal. */
export const MAX_DISPLAYED_VALUE = 120;

function displayValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length <= MAX_DISPLAYED_VALUE ? text : `${text.slice(0, MAX_DISPLAYED_VALUE)}… (${text.length} characters)`;
}
