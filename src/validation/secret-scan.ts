import { createHash } from 'node:crypto';

/**
 * `scheme://user:password@host`, unless the password is a reference resolved at run time
 * (Kubernetes' `$(VAR)`, a shell's or Loki's `${VAR}`, escaped for Terraform as `$${VAR}`, a template's `{{ … }}`).
 */
export const CREDENTIALS_IN_URL = /\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@"']+:(?!\$\(|\$\$?\{|\{\{)[^\s/@"']+@/i;

/**
 * A last line of defence over every output file: text that looks like a secret value. The policy
 * suite checks objects (Secrets with data, credential-named env values); this looks at raw bytes,
 * so a secret cannot slip through in a place no object check thought of (Helm values, Terraform JSON).
 */
const SECRET_PATTERNS: readonly { readonly name: string; readonly pattern: RegExp; readonly ignore?: (value: string) => boolean }[] = [
  { name: 'private key', pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
  { name: 'literal Secret data', pattern: /^kind: Secret\n(?:.*\n)*?(?:data|stringData):\s*\n\s+\S+:/m },
  {
    // The value must be on the same line: a key ending its line opens a nested reference ({name, key}).
    name: 'credential assigned a literal value',
    pattern:
      /["']?\b(?:[A-Za-z_]*(?:password|passwd|passphrase|secret_?key|api_?key|token_?pin|access_?key|private_?key)|(?:[A-Za-z_]*_)?(?:pass|pwd))\b["']?[ \t]*[:=][ \t]*["']?(?!\$\$?\{|\{\{|valueFrom|secretKeyRef|null|(?:true|false)\b|""|''|[ \t]*$)([^\s"',}\\]{4,})/im,
    // The value sits on the same line (cert-manager's `privateKey:` opens a mapping), and the name of a
    // key is not a value (external-secrets' `secretKey: ACCESS_KEY_ID`), also where a line of YAML
    // ends in an escaped `\n` inside Terraform's JSON (chart values).
    ignore: (value) => /^[A-Z][A-Z0-9_]*$/.test(value),
  },
  {
    name: 'credential-named environment variable with a literal value',
    pattern: /name:\s*(["']?(?:[A-Z0-9_]*(?:PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|_PIN|API_KEY|PRIVATE_KEY|ACCESS_KEY)[A-Z0-9_]*|(?:[A-Z0-9_]*_)?(?:PASS|PWD)(?:_[A-Z0-9_]*)?)["']?\s*\n\s*value:\s*\S+)/,
    // `NAME_FILE: /path` (the Docker secrets convention) names the file holding the credential.
    ignore: (variable) => /_FILE["']?\s*\n\s*value:\s*["']?\/[\w./-]+["']?$/.test(variable),
  },
  { name: 'credentials in a URL', pattern: CREDENTIALS_IN_URL },
  { name: 'AWS access key id', pattern: /\bAKIA[0-9A-Z]{16}\b/ },
  { name: 'JSON web token', pattern: /\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/ },
];

/**
 * What decides the scan's verdict on a text besides the text: every pattern and every exemption, as
 * written. A verdict kept under it (see `secretFindings` in the pipeline) is void once either changes.
 */
export const SECRET_SCAN_FINGERPRINT = createHash('sha256')
  .update(JSON.stringify(SECRET_PATTERNS.map(({ name, pattern, ignore }) => [name, pattern.source, pattern.flags, ignore?.toString() ?? null])))
  .digest('hex');

export interface SecretFinding {
  readonly file: string;
  readonly line: number;
  readonly kind: string;
}

export function scanForSecrets(files: ReadonlyMap<string, string>): SecretFinding[] {
  const findings: SecretFinding[] = [];
  for (const [file, text] of files) {
    for (const { name, pattern, ignore } of SECRET_PATTERNS) {
      const match = firstMatch(text, pattern, ignore);
      if (match) findings.push({ file, line: text.slice(0, match.index).split('\n').length, kind: name });
    }
  }
  return findings;
}

function firstMatch(text: string, pattern: RegExp, ignore?: (value: string) => boolean): RegExpExecArray | undefined {
  if (!ignore) return pattern.exec(text) ?? undefined;
  const all = new RegExp(pattern.source, `${pattern.flags}g`);
  for (const match of text.matchAll(all)) if (!ignore(match[1])) return match as RegExpExecArray;
  return undefined;
}
