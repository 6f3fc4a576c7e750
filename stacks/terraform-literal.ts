/**
 * Terraform reads every string of its JSON configuration as a template: `${…}` is an
 * interpolation and `%{…}` a directive. Text that must reach a provider as it is (a Helm values
 * document with a shell's `${VAR:-default}`, Loki's `${ACCESS_KEY_ID}`) is escaped as `$${` and
 * `%%{`, which Terraform turns back into `${` and `%{`; unescaped, Terraform refuses the
 * configuration ("Extra characters after interpolation expression") or interpolates a variable.
 */
export function toTerraformLiteral(text: string): string {
  return text.replace(/([$%])\{/g, '$1$1{');
}

/** What Terraform passes on for a string written with `toTerraformLiteral`. */
export function fromTerraformLiteral(text: string): string {
  return text.replace(/([$%])\1\{/g, '$1{');
}
