/**
 * Regenerates the recorded X-Road admin API (test/information-mediator/fixtures/xroad-admin-api-<tag>.json)
 * from a checkout of nordic-institute/X-Road: the operations `selection.ts` names, with their
 * parameters, request and response schemas and every component schema those reference (the
 * common definition's included), documentation keywords dropped; plus the facts the definitions
 * leave out, each checked against the Java source it cites.
 *
 *   git clone --depth 1 --branch 7.8.0 https://github.com/nordic-institute/X-Road /tmp/X-Road
 *   npx tsx test/information-mediator/admin-api/extract.ts /tmp/X-Road
 *
 * --tag and --commit name the source when the checkout is not a git work tree (an archive).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import {
  type AdminApi,
  DEFINITIONS,
  ERROR_ANSWERS,
  IMPLEMENTATION_DEVIATIONS,
  KIT_OPERATIONS,
  LICENCE_FILE,
  ROLES_ENUM,
  SOURCE_DESCRIBED,
  SOURCE_SCHEMAS,
  type SourceEvidence,
} from './selection';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const REPOSITORY = 'https://github.com/nordic-institute/X-Road';
const FIXTURES = path.join(__dirname, '..', 'fixtures');
/** What validates; the rest of a schema (descriptions, examples, defaults) only documents. */
const SCHEMA_KEYWORDS = new Set([
  '$ref', 'type', 'format', 'enum', 'properties', 'required', 'items', 'additionalProperties', 'allOf', 'oneOf', 'anyOf', 'not',
  'nullable', 'minLength', 'maxLength', 'pattern', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf',
  'minItems', 'maxItems', 'uniqueItems', 'minProperties', 'maxProperties', 'readOnly', 'writeOnly', 'discriminator',
]);

class Checkout {
  private readonly documents = new Map<string, Json>();

  constructor(readonly root: string) {}

  text(file: string): string {
    const full = path.join(this.root, file);
    if (!existsSync(full)) throw new Error(`${file} is not in the checkout ${this.root}`);
    return readFileSync(full, 'utf8');
  }

  document(file: string): Json {
    if (!this.documents.has(file)) this.documents.set(file, parse(this.text(file)));
    return this.documents.get(file);
  }

  /** Fails unless each piece of evidence occurs in its file, whitespace collapsed. */
  prove(source: SourceEvidence): void {
    const text = collapse(this.text(source.file));
    const missing = source.evidence.filter((evidence) => !text.includes(collapse(evidence)));
    if (missing.length > 0) throw new Error(`${source.file} no longer says: ${missing.join(' | ')}; re-read it and update selection.ts`);
  }
}

const collapse = (text: string) => text.replace(/\s+/g, ' ');

/** Collects the component schemas one definition's operations reference, from whichever file holds them. */
class SchemaCollector {
  readonly schemas = new Map<string, { readonly file: string; readonly schema: Json }>();

  constructor(private readonly checkout: Checkout) {}

  /** A copy of `schema` (found in `file`) with only validating keywords and every $ref pointing into the collected schemas. */
  clean(schema: Json, file: string): Json {
    if (Array.isArray(schema)) return schema.map((item) => this.clean(item, file));
    if (!schema || typeof schema !== 'object') return schema;
    const result: Json = {};
    for (const [keyword, value] of Object.entries(schema)) {
      if (!SCHEMA_KEYWORDS.has(keyword)) continue;
      if (keyword === '$ref') result.$ref = this.reference(value as string, file);
      else if (keyword === 'properties') result[keyword] = Object.fromEntries(Object.entries(value as Json).map(([name, s]) => [name, this.clean(s, file)]));
      else if (keyword === 'enum' || keyword === 'required') result[keyword] = value;
      else if (keyword === 'discriminator') result.discriminator = this.discriminator(value, file);
      else result[keyword] = typeof value === 'object' ? this.clean(value, file) : value;
    }
    return result;
  }

  /** A discriminator's mapping names schemas too; they are collected, and named by reference. */
  private discriminator(discriminator: Json, file: string): Json {
    const mapping = Object.entries(discriminator.mapping ?? {}).map(([value, target]) => {
      const name = String(target).startsWith('#') ? String(target) : `#/components/schemas/${target}`;
      return [value, this.reference(name, file)];
    });
    return { propertyName: discriminator.propertyName, ...(mapping.length ? { mapping: Object.fromEntries(mapping) } : {}) };
  }

  private reference(ref: string, file: string): string {
    let { name, source, raw } = this.lookUp(ref, file);
    // ErrorInfo and CodeWithDetails are aliases of the common definition's schemas of the same name
    while (Object.keys(raw).length === 1 && raw.$ref && this.lookUp(raw.$ref, source).name === name) ({ source, raw } = this.lookUp(raw.$ref, source));
    const known = this.schemas.get(name);
    if (known && known.file !== source) throw new Error(`schema ${name} is defined in both ${known.file} and ${source}`);
    if (!known) {
      this.schemas.set(name, { file: source, schema: undefined }); // before cleaning: a schema may reference itself
      this.schemas.set(name, { file: source, schema: this.clean(raw, source) });
    }
    return `#/components/schemas/${name}`;
  }

  private lookUp(ref: string, file: string): { name: string; source: string; raw: Json } {
    const [target, pointer] = ref.split('#');
    const name = /^\/components\/schemas\/([^/]+)$/.exec(pointer ?? '')?.[1];
    if (!name) throw new Error(`${file}: unsupported $ref ${ref}`);
    const source = target ? path.posix.normalize(path.posix.join(path.posix.dirname(file), target)) : file;
    const raw = this.checkout.document(source).components?.schemas?.[name];
    if (!raw) throw new Error(`${source} has no schema ${name}`);
    return { name, source, raw };
  }
}

/** Follows a `#/components/<kind>/<name>` reference (parameters, responses, request bodies) within one document. */
function dereference(document: Json, value: Json): Json {
  if (!value?.$ref) return value;
  const [, kind, name] = /^#\/components\/(\w+)\/(.+)$/.exec(value.$ref) ?? [];
  const found = document.components?.[kind]?.[name];
  if (!found) throw new Error(`unresolved ${value.$ref}`);
  return dereference(document, found);
}

function operation(checkout: Checkout, collector: SchemaCollector, file: string, selected: string): Json {
  const document = checkout.document(file);
  const [method, route] = selected.split(' ');
  const item = document.paths?.[route];
  const op = item?.[method.toLowerCase()];
  if (!op) throw new Error(`${file} has no ${selected}`);
  const parameters = [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p: Json) => {
    const parameter = dereference(document, p);
    return { name: parameter.name, in: parameter.in, required: parameter.required === true, schema: collector.clean(parameter.schema, file) };
  });
  const content = (body: Json) =>
    body?.content ? Object.fromEntries(Object.entries(body.content).map(([type, media]: [string, Json]) => [type, collector.clean(media.schema ?? {}, file)])) : undefined;
  const body = dereference(document, op.requestBody);
  const responses = Object.fromEntries(
    Object.entries(op.responses ?? {}).map(([status, response]) => {
      const answer = content(dereference(document, response));
      return [status, answer ? { content: answer } : {}];
    }),
  );
  return {
    operationId: op.operationId,
    method,
    path: route,
    url: `${document.servers?.[0]?.url ?? ''}${route}`,
    parameters,
    ...(body ? { requestBody: { required: body.required === true, content: content(body) } } : {}),
    responses,
  };
}

/** Replaces the `{roles}` placeholder of the hand-described schemas with the constants of X-Road's Role enum. */
function withRoles(value: Json, roles: readonly string[]): Json {
  if (value === '{roles}') return roles;
  if (Array.isArray(value)) return value.map((item) => withRoles(item, roles));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withRoles(v, roles)]));
  return value;
}

function rolesOf(checkout: Checkout): string[] {
  const body = /public enum Role \{([^;]*);/.exec(checkout.text(ROLES_ENUM))?.[1];
  const roles = body?.split(',').map((role) => role.trim()).filter(Boolean) ?? [];
  if (roles.length === 0 || roles.some((role) => !/^[A-Z_]+$/.test(role))) throw new Error(`${ROLES_ENUM}: cannot read the Role enum`);
  return roles;
}

function api(checkout: Checkout, name: AdminApi, roles: readonly string[]): Json {
  const file = DEFINITIONS[name];
  const document = checkout.document(file);
  const collector = new SchemaCollector(checkout);
  const operations: Json = {};
  for (const selected of KIT_OPERATIONS[name]) operations[selected] = operation(checkout, collector, file, selected);
  for (const described of SOURCE_DESCRIBED.filter((d) => (d.apis as readonly string[]).includes(name))) {
    described.sources.forEach((source) => checkout.prove(source));
    const { id, method, path: route, requestContentType, note, sources, atRoot } = described as Json;
    const requestSchema = 'requestSchema' in described ? withRoles(described.requestSchema, roles) : undefined;
    operations[`${method} ${route}`] = {
      operationId: id,
      method,
      path: route,
      url: atRoot ? route : `${document.servers?.[0]?.url ?? ''}${route}`,
      describedBy: { sources: sources.map((s: SourceEvidence) => s.file), note },
      parameters: 'parameters' in described ? described.parameters : [],
      ...(requestSchema ? { requestBody: { required: true, content: { [requestContentType]: requestSchema } } } : {}),
      responses: Object.fromEntries(
        Object.entries(described.responses).map(([status, r]: [string, Json]) => [
          status,
          r.schema ? { content: { 'application/json': r.schema } } : r.rawBody !== undefined ? { rawBody: r.rawBody, contentType: r.contentType } : {},
        ]),
      ),
    };
  }
  const schemas = Object.fromEntries([...collector.schemas].map(([n, { schema }]) => [n, schema]));
  if (name === 'security-server') Object.assign(schemas, withRoles(SOURCE_SCHEMAS, roles));
  const corrections = withoutUndefinedRequired(schemas);
  for (const deviation of IMPLEMENTATION_DEVIATIONS.filter((d) => d.api === name)) {
    deviation.sources.forEach((source) => checkout.prove(source));
    if (!operations[deviation.operation]?.responses[deviation.declaredStatus]) throw new Error(`${name}: ${deviation.operation} declares no ${deviation.declaredStatus}`);
  }
  return {
    definition: file,
    definitionVersion: document.info?.version,
    basePath: document.servers?.[0]?.url,
    operations,
    deviations: IMPLEMENTATION_DEVIATIONS.filter((d) => d.api === name).map(({ operation: op, declaredStatus, actualStatus, sources, note }) => ({
      operation: op,
      declaredStatus,
      actualStatus,
      sources: sources.map((s) => s.file),
      note,
    })),
    corrections,
    schemas: Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b))),
  };
}

/**
 * Drops (and reports) names a schema requires but defines nowhere, neither itself nor in its allOf
 * parts: the code generated from the definition has no such field, so X-Road never sends it.
 */
function withoutUndefinedRequired(schemas: Record<string, Json>): string[] {
  const corrections: string[] = [];
  const defined = (schema: Json, seen: readonly string[] = []): Set<string> => {
    const name = schema?.$ref?.replace('#/components/schemas/', '');
    if (name) return seen.includes(name) ? new Set() : defined(schemas[name], [...seen, name]);
    return new Set([...Object.keys(schema?.properties ?? {}), ...(schema?.allOf ?? []).flatMap((part: Json) => [...defined(part, seen)])]);
  };
  const visit = (schema: Json, where: string): void => {
    if (!schema || typeof schema !== 'object') return;
    if (Array.isArray(schema.required)) {
      const names = defined(schema);
      const undefinedNames = schema.required.filter((r: string) => !names.has(r));
      if (undefinedNames.length > 0) {
        schema.required = schema.required.filter((r: string) => names.has(r));
        corrections.push(`${where} requires ${undefinedNames.join(', ')}, which it does not define: left out of required`);
      }
    }
    for (const [property, value] of Object.entries(schema.properties ?? {})) visit(value, `${where}.${property}`);
    if (schema.items) visit(schema.items, `${where}[]`);
  };
  for (const [name, schema] of Object.entries(schemas)) visit(schema, name);
  return corrections;
}

function git(root: string, ...args: string[]): string | undefined {
  try {
    return execFileSync('git', ['-C', root, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
}

function main(args: string[]): void {
  const root = args[0];
  if (!root || root.startsWith('--')) throw new Error('usage: extract.ts <X-Road checkout> [--tag 7.8.0] [--commit <sha>]');
  const checkout = new Checkout(path.resolve(root));
  const tag = option(args, '--tag') ?? git(root, 'describe', '--tags', '--exact-match');
  const commit = option(args, '--commit') ?? git(root, 'rev-parse', 'HEAD');
  if (!tag || !commit) throw new Error('the checkout is not a git work tree at a tag: give --tag and --commit');
  const licence = checkout.text(LICENCE_FILE);
  if (!/^The MIT License/.test(licence.trim())) throw new Error(`${LICENCE_FILE} is no longer the MIT licence: check whether the extract may be committed`);
  checkout.prove(ERROR_ANSWERS);
  const roles = rolesOf(checkout);
  const recorded = {
    source: {
      repository: REPOSITORY,
      tag,
      commit,
      licence: 'MIT',
      // the MIT licence asks that its notice go with substantial portions of the software
      licenceText: licence,
      files: [...new Set([...Object.values(DEFINITIONS), LICENCE_FILE, ROLES_ENUM, ERROR_ANSWERS.file,
        ...SOURCE_DESCRIBED.flatMap((d) => d.sources.map((s) => s.file)), ...IMPLEMENTATION_DEVIATIONS.flatMap((d) => d.sources.map((s) => s.file))])],
      extractedBy: 'npx tsx test/information-mediator/admin-api/extract.ts <checkout of the tag> (selection: test/information-mediator/admin-api/selection.ts)',
      extracted:
        'Only the operations the kit calls or its fake serves: method, path, parameters, request body and responses per status, with every component ' +
        'schema they reference (the common definition\'s included, $refs pointing into `schemas`) and only the keywords that validate. ' +
        'Operations marked describedBy are not in the OpenAPI definitions; they are described from the Java sources named there.',
      errorAnswers: ERROR_ANSWERS.note,
    },
    apis: { 'security-server': api(checkout, 'security-server', roles), 'central-server': api(checkout, 'central-server', roles) },
  };
  const out = path.join(FIXTURES, `xroad-admin-api-${tag}.json`);
  writeFileSync(out, `${JSON.stringify(recorded, null, 2)}\n`);
  console.log(`wrote ${path.relative(process.cwd(), out)} from ${REPOSITORY} ${tag} (${commit})`);
}

main(process.argv.slice(2));
