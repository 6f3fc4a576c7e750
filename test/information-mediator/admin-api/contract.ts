/**
 * Holds requests to X-Road's admin APIs, and the answers given to them, against the recorded
 * definition of the pinned X-Road version (fixtures/xroad-admin-api-<version>.json, made by extract.ts).
 *
 * Stricter than X-Road in one way, on purpose: objects are closed. X-Road's Jackson ignores a field
 * it does not know, so a misspelt or invented field in a script's request would be dropped without
 * a word, and a fake that answers a field X-Road does not have would let a script depend on it.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import Ajv2019, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2019';
import addFormats from 'ajv-formats';
import { BUILT_IN_DEFAULTS, type Layer } from '../../../constructs/environment/defaults';
import type { AdminApi } from './selection';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

export interface RecordedParameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header';
  readonly required: boolean;
  readonly schema: Json;
}

export interface RecordedResponse {
  /** Media type → schema. */
  readonly content?: Readonly<Record<string, Json>>;
  /** A body that is not JSON-encoded (the form login's "OK"). */
  readonly rawBody?: string;
  readonly contentType?: string;
}

export interface RecordedOperation {
  readonly operationId: string;
  readonly method: string;
  /** As the definition spells it, under the API's base path. */
  readonly path: string;
  /** The path the server answers at, base path included. */
  readonly url: string;
  readonly describedBy?: { readonly sources: readonly string[]; readonly note: string };
  readonly parameters: readonly RecordedParameter[];
  readonly requestBody?: { readonly required: boolean; readonly content: Readonly<Record<string, Json>> };
  readonly responses: Readonly<Record<string, RecordedResponse>>;
}

export interface RecordedApi {
  readonly definition: string;
  readonly basePath: string;
  readonly operations: Readonly<Record<string, RecordedOperation>>;
  readonly deviations: readonly { readonly operation: string; readonly declaredStatus: string; readonly actualStatus: string; readonly note: string }[];
  readonly schemas: Readonly<Record<string, Json>>;
}

export interface RecordedAdminApis {
  readonly source: { readonly repository: string; readonly tag: string; readonly commit: string; readonly licence: string; readonly files: readonly string[] };
  readonly apis: Readonly<Record<AdminApi, RecordedApi>>;
}

/** One request and, when known, the answer given to it. */
export interface Exchange {
  readonly method: string;
  /** As sent: path parameters percent-encoded, query included. */
  readonly path: string;
  /** Media type of the request body. */
  readonly contentType?: string;
  readonly accept?: string;
  /** A JSON body as parsed; form and multipart fields as an object of strings; other bytes as `{ bytes: n }`. */
  readonly body?: unknown;
  readonly status?: number;
  /** A JSON answer as parsed, any other answer as text; absent when the answer had no body. */
  readonly answer?: unknown;
}

const FIXTURES = path.join(__dirname, '..', 'fixtures');

export function recordedAdminApis(version: string): RecordedAdminApis {
  return JSON.parse(readFileSync(path.join(FIXTURES, `xroad-admin-api-${version}.json`), 'utf8'));
}

/** The characters X-Road's own UIs leave as they are in a path parameter (encodeURIComponent); everything else is %XX. */
const ENCODED_SEGMENT = /^(?:[A-Za-z0-9\-_.~!*'()]|%[0-9A-Fa-f]{2})+$/;
/** Formats X-Road's definitions use as labels for its own code generator; nothing validates them. */
const ANNOTATION_FORMATS = ['text', 'enum', 'hex', 'sha-256', 'filename', 'hash', 'DER', 'PEM', 'test'];
const JSON_MEDIA = 'application/json';

const mediaType = (value: string) => value.split(';')[0].trim().toLowerCase();

function newAjv(coerceTypes: boolean): Ajv2019 {
  const ajv = new Ajv2019({ allErrors: true, coerceTypes, strictSchema: true, strictTypes: false, strictRequired: false, strictTuples: false });
  addFormats(ajv, ['date-time', 'int32', 'int64', 'password', 'binary', 'byte', 'uri']);
  for (const format of ANNOTATION_FORMATS) ajv.addFormat(format, true);
  // as X-Road's FormatUtils.isValidUrl: http or https and a URL that parses
  ajv.addFormat('url', (value: string) => /^https?:\/\//.test(value) && URL.canParse(value));
  return ajv;
}

/**
 * The definition's schemas as JSON Schema 2019-09 under `$defs`: each schema closed (no property
 * it does not define) as `Name`, and left open for composition as `Name.part` — an allOf takes its
 * parts open and closes the whole, which `unevaluatedProperties` sees through. A schema with a
 * discriminator, used as a whole, is the schema its mapping names for the discriminating value.
 */
function closedSchemas(schemas: Readonly<Record<string, Json>>): Record<string, Json> {
  const defs: Record<string, Json> = {};
  for (const [name, schema] of Object.entries(schemas)) {
    defs[`${name}.part`] = convert(schema, false);
    defs[name] = schema.discriminator?.mapping ? dispatch(schema) : convert(schema, true);
  }
  return defs;
}

/** The mapped schema for each value of the discriminating property; the schema itself for any other value. */
function dispatch(schema: Json): Json {
  const { propertyName, mapping } = schema.discriminator;
  const values = Object.keys(mapping);
  const valueIs = (test: Json) => ({ properties: { [propertyName]: test }, required: [propertyName] });
  return {
    allOf: [
      ...values.map((value) => ({ if: valueIs({ const: value }), then: { $ref: ref(mapping[value]) } })),
      { if: { not: valueIs({ enum: values }) }, then: convert(schema, true) },
    ],
  };
}

const ref = (target: string) => `#/$defs/${target.replace(/^#\/components\/schemas\//, '')}`;

function convert(schema: Json, closed: boolean): Json {
  if (Array.isArray(schema)) return schema.map((item) => convert(item, true));
  if (!schema || typeof schema !== 'object') return schema;
  const result: Json = {};
  for (const [keyword, value] of Object.entries(schema) as [string, Json][]) {
    if (keyword === 'discriminator' || keyword === 'nullable') continue;
    if (keyword === '$ref') result.$ref = ref(value);
    else if (keyword === 'properties') result.properties = Object.fromEntries(Object.entries(value).map(([name, s]) => [name, convert(s, true)]));
    else if (keyword === 'allOf' || keyword === 'anyOf' || keyword === 'oneOf') result[keyword] = value.map((part: Json) => (part.$ref ? { $ref: `${ref(part.$ref)}.part` } : convert(part, false)));
    else if (keyword === 'items' || keyword === 'not' || (keyword === 'additionalProperties' && typeof value === 'object')) result[keyword] = convert(value, true);
    else result[keyword] = value;
  }
  if (closed && (schema.properties || schema.allOf) && schema.additionalProperties === undefined) result.unevaluatedProperties = false;
  if (schema.nullable !== true) return result;
  // OpenAPI 3.0's nullable, as JSON Schema says it
  return result.type ? { ...result, type: [result.type, 'null'], ...(result.enum ? { enum: [...result.enum, null] } : {}) } : { anyOf: [{ type: 'null' }, result] };
}

interface Matched {
  readonly key: string;
  readonly operation: RecordedOperation;
  /** Path parameter name → the raw (encoded) segment. */
  readonly segments: Readonly<Record<string, string>>;
}

/** One admin API's recorded definition, ready to judge exchanges. */
export class AdminApiContract {
  private readonly strict = newAjv(false);
  private readonly coercing = newAjv(true);
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(readonly api: AdminApi, readonly recorded: RecordedApi) {
    const document = { $id: `xroad-${api}`, $defs: closedSchemas(recorded.schemas) };
    this.strict.addSchema(document);
    this.coercing.addSchema(document);
  }

  /** The operation a request reaches, by method and path (query left aside). */
  match(method: string, rawPath: string): Matched | undefined {
    const segments = rawPath.split('?')[0].split('/');
    for (const [key, operation] of Object.entries(this.recorded.operations)) {
      if (operation.method !== method) continue;
      const template = operation.url.split('/');
      if (template.length !== segments.length) continue;
      const values: Record<string, string> = {};
      const matches = template.every((part, i) => {
        const parameter = /^\{(.+)\}$/.exec(part)?.[1];
        if (parameter) values[parameter] = segments[i];
        return parameter ? segments[i] !== '' : part === segments[i];
      });
      if (matches) return { key, operation, segments: values };
    }
    return undefined;
  }

  /** What the definition does not allow in any of `exchanges`; empty when they all conform. */
  violationsIn(exchanges: readonly Exchange[]): string[] {
    return exchanges.flatMap((exchange) => this.violations(exchange));
  }

  /** Everything about one exchange that X-Road's definition does not allow, as sentences; empty when it conforms. */
  violations(recordedExchange: Exchange): string[] {
    // a recording may say null for "none"
    const exchange = Object.fromEntries(Object.entries(recordedExchange).filter(([, value]) => value !== null)) as unknown as Exchange;
    const matched = this.match(exchange.method, exchange.path);
    if (!matched) {
      const elsewhere = Object.values(this.recorded.operations).filter((o) => this.match(o.method, exchange.path)?.operation === o).map((o) => o.method);
      return [`${exchange.method} ${exchange.path}: the ${this.api} admin API has no such operation${elsewhere.length ? ` (only ${elsewhere.join(', ')} there)` : ''}`];
    }
    const where = `${exchange.method} ${exchange.path} (${matched.operation.operationId})`;
    return [
      ...this.pathViolations(matched),
      ...this.queryViolations(matched.operation, exchange.path),
      ...this.bodyViolations(matched.operation, exchange),
      ...this.acceptViolations(matched.operation, exchange.accept),
      ...(exchange.status === undefined ? [] : this.answerViolations(matched, exchange.status, exchange.answer)),
    ].map((problem) => `${where}: ${problem}`);
  }

  private pathViolations({ operation, segments }: Matched): string[] {
    return Object.entries(segments).flatMap(([name, raw]) => {
      if (!ENCODED_SEGMENT.test(raw)) return [`path parameter ${name} "${raw}" is not percent-encoded as X-Road's UIs encode it (encodeURIComponent)`];
      const parameter = operation.parameters.find((p) => p.in === 'path' && p.name === name);
      return this.invalid(this.coercing, parameter?.schema ?? {}, decodeURIComponent(raw), `path parameter ${name}`);
    });
  }

  queryViolations(operation: RecordedOperation, rawPath: string): string[] {
    const query = new URLSearchParams(rawPath.includes('?') ? rawPath.slice(rawPath.indexOf('?') + 1) : '');
    const declared = new Map<string, Json>();
    for (const parameter of operation.parameters.filter((p) => p.in === 'query')) {
      const properties = this.objectProperties(parameter.schema);
      // an object-valued query parameter is exploded into one parameter per property (OpenAPI's form style)
      if (properties) for (const [name, schema] of Object.entries(properties)) declared.set(name, schema);
      else declared.set(parameter.name, parameter.schema);
    }
    const problems = [...query.keys()].filter((name) => !declared.has(name)).map((name) => `query parameter ${name} is not declared (declared: ${[...declared.keys()].join(', ') || 'none'})`);
    for (const [name, value] of query) if (declared.has(name)) problems.push(...this.invalid(this.coercing, declared.get(name), value, `query parameter ${name}`));
    for (const parameter of operation.parameters.filter((p) => p.in === 'query' && p.required && !query.has(p.name))) problems.push(`required query parameter ${parameter.name} is missing`);
    return problems;
  }

  private bodyViolations(operation: RecordedOperation, exchange: Exchange): string[] {
    const declared = operation.requestBody;
    if (exchange.body === undefined) return declared?.required ? ['the request body is required'] : [];
    if (!declared) return ['sends a body; the operation takes none'];
    const media = mediaType(exchange.contentType ?? '');
    const schema = declared.content[media];
    if (!schema) return [`sends ${media || 'a body without a content type'}; the operation takes ${Object.keys(declared.content).join(', ')}`];
    if (media === JSON_MEDIA) return this.invalid(this.strict, schema, exchange.body, 'the request body');
    if (media === 'application/x-www-form-urlencoded' || media === 'multipart/form-data') return this.invalid(this.coercing, schema, exchange.body, 'the request form');
    const bytes = (exchange.body as { bytes?: number }).bytes;
    return bytes && bytes > 0 ? [] : ['sends an empty body'];
  }

  /** Spring answers 406 when the Accept header admits none of what the operation produces. */
  acceptViolations(operation: RecordedOperation, accept: string | undefined): string[] {
    if (accept === undefined) return [];
    const produced = Object.entries(operation.responses).filter(([status, r]) => status.startsWith('2') && r.content).flatMap(([, r]) => Object.keys(r.content!));
    if (produced.length === 0) return [];
    const ranges = accept.split(',').map(mediaType);
    const admits = (media: string) => ranges.some((range) => range === '*/*' || range === media || (range.endsWith('/*') && media.startsWith(range.slice(0, -1))));
    return produced.some(admits) ? [] : [`Accept: ${accept} admits none of what it answers (${produced.join(', ')}): X-Road would answer 406`];
  }

  private answerViolations({ key, operation }: Matched, status: number, answer: unknown): string[] {
    const deviation = this.recorded.deviations.find((d) => d.operation === key);
    if (deviation && String(status) === deviation.declaredStatus) return [`answered ${status}; X-Road's code answers ${deviation.actualStatus} here (${deviation.note})`];
    const declaredStatus = deviation && String(status) === deviation.actualStatus ? deviation.declaredStatus : String(status);
    const response = operation.responses[declaredStatus];
    if (!response) return [`answered ${status}; X-Road declares ${Object.keys(operation.responses).join(', ')}`];
    if (response.rawBody !== undefined) return answer === response.rawBody ? [] : [`answered ${JSON.stringify(answer)}; X-Road answers ${JSON.stringify(response.rawBody)}`];
    const empty = answer === undefined || answer === '';
    if (response.content) {
      if (empty) return [`answered ${status} without a body; X-Road answers ${Object.keys(response.content).join(', ')}`];
      const json = response.content[JSON_MEDIA];
      if (json) return this.invalid(this.strict, json, answer, `the ${status} answer`);
      return typeof answer === 'string' ? [] : [`answered JSON; X-Road answers ${Object.keys(response.content).join(', ')}`];
    }
    if (empty) return [];
    // ExceptionTranslator: an error's body is an ErrorInfo even where the definition names no schema
    if (status >= 400) return this.invalid(this.strict, { $ref: '#/components/schemas/ErrorInfo' }, answer, `the ${status} answer`);
    return [`answered ${status} with a body; X-Road's ${status} has none`];
  }

  /** A schema with its $ref followed. */
  resolve(schema: Json): Json {
    return schema?.$ref ? this.resolve(this.recorded.schemas[schema.$ref.replace('#/components/schemas/', '')]) : schema;
  }

  /** What is wrong with one value against one of the definition's schemas; `form` reads strings as the types they stand for. */
  valueViolations(schema: Json, value: unknown, what: string, form = false): string[] {
    return this.invalid(form ? this.coercing : this.strict, schema, value, what);
  }

  private objectProperties(schema: Json): Readonly<Record<string, Json>> | undefined {
    return this.resolve(schema)?.properties;
  }

  private invalid(ajv: Ajv2019, schema: Json, value: unknown, what: string): string[] {
    const validate = this.validator(ajv, schema);
    // coercion replaces a value inside its parent, so the value is validated as a property
    const holder = { value };
    if (validate(holder)) return [];
    return (validate.errors ?? []).filter((e) => e.keyword !== 'if').map((e) => describe(what, e));
  }

  private validator(ajv: Ajv2019, schema: Json): ValidateFunction {
    const key = `${ajv === this.strict ? 'strict' : 'coercing'} ${JSON.stringify(schema)}`;
    if (!this.compiled.has(key)) {
      const absolute = JSON.parse(JSON.stringify(convert(schema, true)).replace(/"#\/\$defs\//g, `"xroad-${this.api}#/$defs/`));
      this.compiled.set(key, ajv.compile({ type: 'object', properties: { value: absolute }, required: ['value'] }));
    }
    return this.compiled.get(key)!;
  }
}

function describe(what: string, error: ErrorObject): string {
  const at = error.instancePath.replace(/^\/value/, '');
  const subject = at ? `${what} at ${at}` : what;
  if (error.keyword === 'unevaluatedProperties') return `${subject} has "${error.params.unevaluatedProperty}", which X-Road does not define`;
  if (error.keyword === 'required' && !at && error.params.missingProperty === 'value') return `${what} is missing`;
  const allowed = error.keyword === 'enum' ? ` (${(error.params.allowedValues as unknown[]).join(', ')})` : '';
  return `${subject} ${error.message}${allowed}`;
}

/** The X-Road version every environment runs unless it chooses another. */
export const PINNED_XROAD_VERSION = ((BUILT_IN_DEFAULTS.xroad as Layer).securityServer as Layer).version as string;

/** The contracts of both admin APIs of an X-Road version (by default the pinned one). */
export function adminApiContracts(version: string = PINNED_XROAD_VERSION): Readonly<Record<AdminApi, AdminApiContract>> {
  const recorded = recordedAdminApis(version);
  return {
    'security-server': new AdminApiContract('security-server', recorded.apis['security-server']),
    'central-server': new AdminApiContract('central-server', recorded.apis['central-server']),
  };
}
