/**
 * An environment's name is its folder under `environments/`, and it becomes part of paths
 * (`dist/<name>/`, `cdktf.out/stacks/<name>-<layer>/`, which synthesis replaces), Terraform stack
 * and state names and bucket names. So it is one fixed shape, checked before it touches a path:
 * a DNS label, which has no separators, no dot segments and nothing a shell or Terraform reads specially.
 */
export const ENVIRONMENT_NAME_PATTERN = /^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?$/;

export const ENVIRONMENT_NAME_EXPECTATION =
  'the name of a folder directly under environments/: lowercase letters, digits and "-" (at most 40 characters, ' +
  'starting and ending with a letter or digit), e.g. "veloria-production"';

/** A name the user typed that cannot be an environment; the CLI prints the message, exits 1 and writes nothing. */
export class EnvironmentNameError extends Error {
  constructor(readonly input: string) {
    super(`${JSON.stringify(shortened(input))} is not an environment name; expected ${ENVIRONMENT_NAME_EXPECTATION}`);
    this.name = 'EnvironmentNameError';
  }
}

/**
 * The environment name in `input`, or an EnvironmentNameError. Trailing slashes are tolerated
 * because shell completion of a folder adds one (`--env veloria-production/`).
 */
export function environmentName(input: string): string {
  const name = input.replace(/\/+$/, '');
  if (!ENVIRONMENT_NAME_PATTERN.test(name)) throw new EnvironmentNameError(input);
  return name;
}

export function isEnvironmentName(name: string): boolean {
  return ENVIRONMENT_NAME_PATTERN.test(name);
}

/** User input echoed in a message: long values are cut so a hostile argument cannot flood the terminal. */
export function shortened(text: string, max = 80): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} characters)`;
}
