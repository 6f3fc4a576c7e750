/**
 * Terraform reads `${` and `%{` in any string of its JSON configuration as template syntax: a chart
 * value holding a shell default such as `${profile:-default}` would fail the plan ("Extra characters
 * after interpolation expression") or, worse, be interpolated. `$${` and `%%{` are Terraform's
 * literal forms, so text the kit hands to Terraform as data is written with them, and read back
 * (what Helm receives) without.
 */
export function terraformLiteral(text: string): string {
  return text.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}

/** The string Terraform hands on (to Helm, to the API server) for a literal written by `terraformLiteral`. */
export function fromTerraformLiteral(text: string): string {
  return text.replace(/\$\$\{/g, () => '${').replace(/%%\{/g, () => '%{');
}
