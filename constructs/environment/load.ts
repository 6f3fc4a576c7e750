import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { isMap, isNode, isScalar, type Document, type LineCounter } from 'yaml';
import { z } from 'zod';
import { scanForSecrets } from '../../src/validation/secret-scan';
import { validateBuildingBlockChoices } from '../catalogue/validate-choices';
import { decodeEnvironmentFile, fileTooLarge, MAX_FILE_BYTES, parseBoundedYaml } from './bounded-yaml';
import { ConfigError, type ConfigProblem } from './config-error';
import { BUILT_IN_DEFAULTS, PROFILE_DEFAULTS, STAGE_DEFAULTS } from './defaults';
import { environmentName, isEnvironmentName } from './environment-name';
import { isPlainObject, mergeLayers } from './merge';
import { PLACEHOLDER_MARK, placeholderFields } from './placeholders';
import { environmentSchema, PROFILES, type Environment, type Profile, type Stage } from './schema';

/** The project root: environments are found relative to it, and errors name files relative to it. */
export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
export const ENVIRONMENTS_DIR = path.join(PROJECT_ROOT, 'environments');
export const ENVIRONMENT_FILE = 'environment.yaml';

/** Fields every environment file states itself: they decide production behaviour, so nothing defaults them. */
const EXPLICIT_FIELDS = ['country', 'stage', 'profile'] as const;

/** Names of the shipped (or forked) environments: every folder under `environments/` with an environment file. */
export function listEnvironments(dir = ENVIRONMENTS_DIR): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && isEnvironmentName(entry.name) && existsSync(path.join(dir, entry.name, ENVIRONMENT_FILE)))
    .map((entry) => entry.name)
    .sort();
}

/** The environment file of `name` (checked: see environment-name.ts), inside `dir`. */
export function environmentFile(name: string, dir = ENVIRONMENTS_DIR): string {
  return path.join(dir, environmentName(name), ENVIRONMENT_FILE);
}

/**
 * Loads one environment by folder name; throws EnvironmentNameError for a name that is not one,
 * and ConfigError naming file, field, value and expectation for everything else.
 */
export function loadEnvironment(name: string, dir = ENVIRONMENTS_DIR): Environment {
  const file = environmentFile(name, dir);
  const displayFile = path.relative(process.cwd(), file) || file;
  if (!existsSync(file)) {
    const known = existsSync(dir) ? listEnvironments(dir) : [];
    throw new ConfigError([
      { file: displayFile, field: '', expected: `an existing environment; known: ${known.join(', ') || 'none'}` },
    ]);
  }
  const real = realpathSync(file);
  if (!real.startsWith(`${realpathSync(dir)}${path.sep}`) || !statSync(real).isFile()) {
    throw new ConfigError([
      { file: displayFile, field: '', expected: `a regular file inside ${path.relative(process.cwd(), dir) || dir}/, not a link to ${real}` },
    ]);
  }
  // Checked before reading, so a huge file is never loaded into memory.
  const size = statSync(real).size;
  if (size > MAX_FILE_BYTES) throw fileTooLarge(displayFile, size);
  return parseEnvironment(decodeEnvironmentFile(readFileSync(real), displayFile), displayFile, name);
}

export interface ParseOptions {
  /**
   * Accept values marked REPLACE outside the sandbox: only for checking the template new-country writes.
   * @default false
   */
  readonly allowPlaceholders?: boolean;
}

/** Parses and validates environment YAML text. `file` is only used in messages. */
export function parseEnvironment(text: string, file: string, name: string, options: ParseOptions = {}): Environment {
  const envName = environmentName(name);
  const { doc, lines, data: written } = parseBoundedYaml(text, file);
  if (!isPlainObject(written)) {
    throw new ConfigError([{ file, line: 1, field: '', value: written ?? null, expected: 'a YAML mapping of environment fields' }]);
  }

  const missing = EXPLICIT_FIELDS.filter((field) => written[field] === undefined);
  if (missing.length > 0) {
    throw new ConfigError(
      missing.map((field) => ({
        file,
        field,
        expected: `"${field}" stated explicitly in every environment file (it decides production behaviour, so it has no default)`,
      })),
    );
  }
  const profile = written.profile as Profile;
  if (!PROFILES.includes(profile)) {
    throw new ConfigError([{ file, ...position(doc, lines, ['profile']), field: 'profile', value: written.profile, expected: `one of ${PROFILES.join(', ')}` }]);
  }

  // An unknown stage is the schema's to report; it adds no layer.
  const stage = Object.hasOwn(STAGE_DEFAULTS, String(written.stage)) ? (written.stage as Stage) : undefined;
  const merged = mergeLayers(BUILT_IN_DEFAULTS, stage ? STAGE_DEFAULTS[stage] : {}, PROFILE_DEFAULTS[profile], written);
  const source: Source = { file, doc, lines, written, merged, profile, stage };
  const parsed = environmentSchema.safeParse(merged);
  let problems: ConfigProblem[] = parsed.success
    ? validateBuildingBlockChoices(parsed.data).map(({ path: fieldPath, message }) => problemAt(source, fieldPath, message))
    : parsed.error.issues.flatMap((issue) => describeIssue(source, issue));
  for (const { fieldPath, kind } of secretLookingValues(written)) {
    const field = fieldPath.join('.');
    if (problems.some((problem) => problem.field === field)) {
      // Refused already (e.g. a URL with credentials): say so without echoing the value there either.
      problems = problems.map((problem) => (problem.field === field ? { ...problem, valueHidden: true } : problem));
      continue;
    }
    problems.push({
      ...problemAt(source, fieldPath, `no secret value (it looks like: ${kind}): keep secrets in the secret store and reference them by name`),
      valueHidden: true,
    });
  }
  if (written.stage !== 'sandbox' && !options.allowPlaceholders) {
    for (const fieldPath of placeholderFields(doc)) {
      problems.push(
        problemAt(source, fieldPath, `your own value: this is a placeholder (marked ${PLACEHOLDER_MARK}), which only a sandbox may keep; replace it and remove the mark`),
      );
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return { ...(parsed.data as z.infer<typeof environmentSchema>), name: envName };
}

type FieldPath = readonly (string | number)[];

/**
 * Values written in the file that the output's secret scan would refuse, found here so the message
 * names the field: each value is scanned as the line `key: value` it becomes in manifests and values.
 */
function secretLookingValues(root: unknown, fieldPath: FieldPath = []): { fieldPath: FieldPath; kind: string }[] {
  if (typeof root === 'string') {
    const key = String(fieldPath[fieldPath.length - 1] ?? '');
    const [finding] = scanForSecrets(new Map([['value', `${key}: ${root}\n${root}\n`]]));
    return finding ? [{ fieldPath, kind: finding.kind }] : [];
  }
  if (Array.isArray(root)) return root.flatMap((item, i) => secretLookingValues(item, [...fieldPath, i]));
  if (isPlainObject(root)) return Object.entries(root).flatMap(([key, value]) => secretLookingValues(value, [...fieldPath, key]));
  return [];
}

/** Where a value can come from, for messages: the file as written (with positions) and the layers under it. */
interface Source {
  readonly file: string;
  readonly doc: Document;
  readonly lines: LineCounter;
  readonly written: Record<string, unknown>;
  readonly merged: unknown;
  readonly profile: Profile;
  readonly stage: Stage | undefined;
}

function describeIssue(source: Source, issue: z.core.$ZodIssue): ConfigProblem[] {
  const fieldPath = issue.path.map((segment) => (typeof segment === 'symbol' ? String(segment) : segment));
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) =>
      problemAt(source, [...fieldPath, key], 'no such field: remove it or correct its spelling (see environments/environment.schema.json)'),
    );
  }
  return [problemAt(source, fieldPath, expectation(issue))];
}

function expectation(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_value':
      return `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_type':
      return `a value of type ${issue.expected}`;
    case 'invalid_union':
      return 'one of the documented forms (see environments/environment.schema.json)';
    case 'invalid_key':
      return `a key that is ${issue.issues.map(expectation).join('; ')}`;
    case 'too_small':
    case 'too_big':
      return zodDefaultMessage(issue) ? bound(issue) : issue.message;
    case 'invalid_format':
      return zodDefaultMessage(issue) ? `a valid ${issue.format === 'url' ? 'URL' : issue.format === 'email' ? 'email address' : issue.format}` : issue.message;
    default:
      return issue.message;
  }
}

/** zod's own English ("Too small: expected …", "Invalid …") is rephrased; the schema's messages are kept. */
function zodDefaultMessage(issue: z.core.$ZodIssue): boolean {
  return /^(Too small|Too big|Invalid)\b/.test(issue.message);
}

function bound(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig): string {
  const limit = issue.code === 'too_small' ? issue.minimum : issue.maximum;
  const inclusive = issue.inclusive !== false;
  const comparison = issue.code === 'too_small' ? (inclusive ? 'at least' : 'greater than') : inclusive ? 'at most' : 'less than';
  const unit = issue.origin === 'string' ? ' characters' : issue.origin === 'array' || issue.origin === 'set' ? ' items' : '';
  return `${issue.origin === 'number' || issue.origin === 'int' ? 'a number ' : ''}${comparison} ${String(limit)}${unit}`;
}

function problemAt({ file, doc, lines, written, merged, profile, stage }: Source, fieldPath: FieldPath, expected: string): ConfigProblem {
  const value = valueAt(merged, fieldPath);
  const writtenHere = valueAt(written, fieldPath) !== undefined;
  return {
    file,
    ...position(doc, lines, fieldPath),
    field: fieldPath.join('.'),
    value,
    expected,
    inheritedFrom: value !== undefined && !writtenHere ? inheritedSource(profile, stage, fieldPath) : undefined,
  };
}

function inheritedSource(profile: Profile, stage: Stage | undefined, fieldPath: FieldPath): string {
  if (valueAt(PROFILE_DEFAULTS[profile], fieldPath) !== undefined) return `profile "${profile}"; override it in this file`;
  if (stage && valueAt(STAGE_DEFAULTS[stage], fieldPath) !== undefined) return `stage "${stage}"; override it in this file`;
  return 'the built-in defaults; override it in this file';
}

function valueAt(root: unknown, fieldPath: FieldPath): unknown {
  let current: unknown = root;
  for (const segment of fieldPath) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

/** Line and column of the deepest node of `fieldPath` that the file itself contains. */
function position(doc: Document, lines: LineCounter, fieldPath: FieldPath): { line?: number; column?: number } {
  for (let depth = fieldPath.length; depth >= 0; depth--) {
    const prefix = fieldPath.slice(0, depth);
    const node: unknown = prefix.length === 0 ? doc.contents : doc.getIn(prefix, true);
    if (isNode(node) && node.range) {
      const keyOffset = keyRange(doc, prefix) ?? node.range[0];
      const { line, col } = lines.linePos(keyOffset);
      return { line, column: col };
    }
  }
  return {};
}

/** Offset of the key that introduces `fieldPath`, so messages point at `field:` rather than its value. */
function keyRange(doc: Document, fieldPath: FieldPath): number | undefined {
  if (fieldPath.length === 0) return undefined;
  const parent = fieldPath.length === 1 ? doc.contents : doc.getIn(fieldPath.slice(0, -1), true);
  if (!isMap(parent)) return undefined;
  const last = fieldPath[fieldPath.length - 1];
  const pair = parent.items.find((item) => isScalar(item.key) && item.key.value === last);
  return pair && isScalar(pair.key) ? pair.key.range?.[0] : undefined;
}
