import { createHash } from 'node:crypto';

/**
 * `scheme://user:password@host`, unless the password is a reference resolved at run time
 * (Kubernetes' `$(VAR)`, a shell's or Loki's `${VAR}`, escaped for Terraform as `$${VAR}`, a template's `{{ … }}`).
 */
export const CREDENTIALS_IN_URL = /\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@"']+:(?!\$\(|\$\$?\{|\{\{)[^\s/@"']+@/i;

interface SecretPattern {
  readonly name: string;
  readonly pattern: RegExp;
  /** A match this says is no secret (its first group) does not count; the next match is looked at. */
  readonly ignore?: (value: string) => boolean;
  /**
   * For a pattern whose matches never cross a line: text every match contains. Only the lines that
   * hold it are searched, which finds the same first match; a pattern that may start at every word
   * is slow over megabytes of dashboards and chart values otherwise.
   */
  readonly onLinesWith?: RegExp;
}

/**
 * A last line of defence over every output file: text that looks like a secret value. The policy
 * suite checks objects (Secrets with data, credential-named env values); this looks at raw bytes,
 * so a secret cannot slip through in a place no object check thought of (Helm values, Terraform JSON).
 */
const SECRET_PATTERNS: readonly SecretPattern[] = [
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
    // Every name above contains one of these (password, passwd and passphrase contain "pass").
    onLinesWith: /pass|pwd|secret_?key|api_?key|token_?pin|access_?key|private_?key/gi,
  },
  {
    name: 'credential-named environment variable with a literal value',
    pattern: /name:\s*(["']?(?:[A-Z0-9_]*(?:PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|_PIN|API_KEY|PRIVATE_KEY|ACCESS_KEY)[A-Z0-9_]*|(?:[A-Z0-9_]*_)?(?:PASS|PWD)(?:_[A-Z0-9_]*)?)["']?\s*\n\s*value:\s*\S+)/,
    // `NAME_FILE: /path` (the Docker secrets convention) names the file holding the credential.
    ignore: (variable) => /_FILE["']?\s*\n\s*value:\s*["']?\/[\w./-]+["']?$/.test(variable),
  },
  { name: 'credentials in a URL', pattern: CREDENTIALS_IN_URL, onLinesWith: /:\/\//g },
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

/**
 * How the patterns are run: only over the lines that can hold a match where a pattern says which
 * (what the kit does), or over each whole text (kept so that a spec can show both find the same).
 */
export type SecretScanMethod = 'marked-lines' | 'whole-texts';

export function scanForSecrets(files: ReadonlyMap<string, string>, method: SecretScanMethod = 'marked-lines'): SecretFinding[] {
  const findings: SecretFinding[] = [];
  for (const [file, text] of files) {
    for (const secret of SECRET_PATTERNS) {
      const at = secret.onLinesWith && method === 'marked-lines' ? firstMatchOnMarkedLines(text, secret) : firstMatch(text, secret);
      if (at !== undefined) findings.push({ file, line: text.slice(0, at).split('\n').length, kind: secret.name });
    }
  }
  return findings;
}

/**
 * Each pattern that has exemptions, made global once: `firstMatch` runs once per marked line, and
 * `matchAll` works on its own copy, so one global pattern serves every call.
 */
const EVERY_MATCH = new Map(SECRET_PATTERNS.filter((secret) => secret.ignore).map(({ pattern }) => [pattern, new RegExp(pattern.source, `${pattern.flags}g`)]));

/** Where the first match that counts starts, or undefined. */
function firstMatch(text: string, { pattern, ignore }: SecretPattern): number | undefined {
  if (!ignore) return pattern.exec(text)?.index;
  for (const match of text.matchAll(EVERY_MATCH.get(pattern)!)) if (!ignore(match[1])) return match.index;
  return undefined;
}

/** The same, searching only the lines that hold the pattern's marker (a global pattern), in order, each once. */
function firstMatchOnMarkedLines(text: string, secret: SecretPattern): number | undefined {
  let searchedTo = 0;
  for (const mark of text.matchAll(secret.onLinesWith!)) {
    if (mark.index! < searchedTo) continue;
    const start = text.lastIndexOf('\n', mark.index!) + 1;
    const newline = text.indexOf('\n', mark.index!);
    const end = newline < 0 ? text.length : newline;
    const at = firstMatch(text.slice(start, end), secret);
    if (at !== undefined) return start + at;
    searchedTo = end + 1;
  }
  return undefined;
}
