/**
 * Every admin API call the Information Mediator's scripts can make, read from their source by
 * script_calls.py, and what X-Road's recorded definition says against each: a call the scenarios
 * never make (most of the sandbox bootstrap's first run) is still held to the operation, query,
 * content type, Accept and the fields its body spells out.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import type { AdminApiContract } from './contract';
import type { AdminApi } from './selection';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const SCRIPTS = path.join(__dirname, '..', '..', '..', 'constructs', 'information-mediator', 'scripts');

/** How a body is written in the source; see script_calls.py. */
export type BodyShape =
  | { readonly object: Readonly<Record<string, BodyShape>>; readonly open: boolean }
  | { readonly array: readonly BodyShape[] }
  | { readonly const: unknown }
  | { readonly unknown: string }
  | 'file';

export interface ScriptCall {
  readonly file: string;
  readonly line: number;
  /** The variable the call is made on: api and ss are security servers, cs the central server. */
  readonly receiver: 'api' | 'ss' | 'cs';
  readonly method: string;
  /** With '{}' where a value is formatted in. */
  readonly path: string;
  readonly unreadablePath?: boolean;
  readonly contentType?: string | null;
  readonly body?: BodyShape;
  /** The Accept the call asks for, when it names one. */
  readonly accept: string | null;
  /** For XRoadApi's own calls: the script line that made it call them. */
  readonly via?: string;
}

export interface ScriptCalls {
  readonly calls: readonly ScriptCall[];
  /** XRoadApi.request's Accept when a call names none. */
  readonly defaultAccept: string | null;
}

export const API_OF: Readonly<Record<ScriptCall['receiver'], AdminApi>> = { api: 'security-server', ss: 'security-server', cs: 'central-server' };

export function scriptCalls(scripts = SCRIPTS): ScriptCalls {
  const output = execFileSync('python3', [path.join(__dirname, 'script_calls.py'), scripts], { encoding: 'utf8', env: { PATH: process.env.PATH, PYTHONDONTWRITEBYTECODE: '1' } });
  return JSON.parse(output);
}

const PLACEHOLDER = '{}';

/** What the definition does not allow in one call as the source writes it. */
export function callViolations(contract: AdminApiContract, call: ScriptCall, defaultAccept: string | null): string[] {
  const where = `${call.file}:${call.line}${call.via ? ` (${call.via})` : ''} ${call.method} ${call.path}`;
  if (call.unreadablePath) return [`${where}: the path is not a string literal, so it cannot be checked`];
  const [route, query = ''] = call.path.split('?');
  const matched = contract.match(call.method, route.split('/').map((segment) => (segment.includes(PLACEHOLDER) ? 'value' : segment)).join('/'));
  if (!matched) return [`${where}: the ${contract.api} admin API has no such operation in the recorded definition`];
  const operation = matched.operation;
  const problems = [
    ...(query.includes(PLACEHOLDER) ? [] : contract.queryViolations(operation, `${route}?${query}`)),
    ...contract.acceptViolations(operation, call.accept ?? defaultAccept ?? undefined),
  ];
  if (call.body !== undefined) {
    const media = call.contentType ?? '';
    const schema = operation.requestBody?.content[media];
    if (!operation.requestBody) problems.push('sends a body; the operation takes none');
    else if (!schema) problems.push(`sends ${media || 'a body without a content type'}; the operation takes ${Object.keys(operation.requestBody.content).join(', ')}`);
    else problems.push(...shapeViolations(contract, schema, call.body, 'the body', media !== 'application/json'));
  }
  return problems.map((problem) => `${where}: ${problem}`);
}

/** The properties and required names of an object schema, its allOf parts included. */
function objectOf(contract: AdminApiContract, schema: Json): { properties: Record<string, Json>; required: Set<string>; free: boolean } {
  const resolved = contract.resolve(schema) ?? {};
  const result = { properties: { ...(resolved.properties ?? {}) }, required: new Set<string>(resolved.required ?? []), free: resolved.additionalProperties !== undefined };
  for (const part of resolved.allOf ?? []) {
    const inner = objectOf(contract, part);
    Object.assign(result.properties, inner.properties);
    inner.required.forEach((name) => result.required.add(name));
    result.free ||= inner.free;
  }
  return result;
}

function shapeViolations(contract: AdminApiContract, schema: Json, shape: BodyShape, what: string, form: boolean): string[] {
  if (shape === 'file') return contract.resolve(schema)?.format === 'binary' ? [] : [`${what} is sent as a file; X-Road takes it as ${JSON.stringify(contract.resolve(schema))}`];
  if ('unknown' in shape) return [];
  if ('const' in shape) return contract.valueViolations(schema, shape.const, what, form);
  if ('array' in shape) {
    const resolved = contract.resolve(schema);
    if (resolved?.type !== 'array') return [`${what} is a list; X-Road takes ${resolved?.type ?? 'something else'}`];
    return shape.array.flatMap((item, i) => shapeViolations(contract, resolved.items, item, `${what}[${i}]`, form));
  }
  const { properties, required, free } = objectOf(contract, schema);
  const problems = Object.entries(shape.object).flatMap(([name, value]) => {
    if (properties[name]) return shapeViolations(contract, properties[name], value, `${what}.${name}`, form);
    return free ? [] : [`${what} has "${name}", which X-Road does not define (it has ${Object.keys(properties).join(', ')})`];
  });
  if (!shape.open) problems.push(...[...required].filter((name) => !(name in shape.object)).map((name) => `${what} lacks "${name}", which X-Road requires`));
  return problems;
}
