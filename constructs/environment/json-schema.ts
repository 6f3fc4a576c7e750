import { z } from 'zod';
import { environmentSchema } from './schema';

/**
 * The JSON Schema editors use to complete and check environment files. It is generated from the
 * zod schema (never hand-edited) and relaxed where layering applies: a country's file holds only
 * what differs from its profile, so only `country`, `stage` and `profile` are required in it.
 */
export function environmentJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(environmentSchema, { target: 'draft-2020-12', unrepresentable: 'any' }) as Record<string, unknown>;
  const relaxed = withoutNestedRequired(schema, true) as Record<string, unknown>;
  return {
    ...relaxed,
    $id: 'https://govstack.global/deployment-kit/environment.schema.json',
    title: 'GovStack deployment kit environment',
    description:
      'environments/<name>/environment.yaml: a country × stage. Holds only what differs from the built-in defaults and the profile; country, stage and profile are always stated.',
    required: ['country', 'stage', 'profile'],
  };
}

function withoutNestedRequired(node: unknown, isRoot: boolean): unknown {
  if (Array.isArray(node)) return node.map((item) => withoutNestedRequired(item, false));
  if (node === null || typeof node !== 'object') return node;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    // Items of arrays (e.g. X-Road members) are written whole, so they keep their required fields.
    if (key === 'items') copy[key] = value;
    else if (key === 'required' && !isRoot) continue;
    else copy[key] = withoutNestedRequired(value, false);
  }
  return copy;
}

export function environmentJsonSchemaText(): string {
  return `${JSON.stringify(environmentJsonSchema(), null, 2)}\n`;
}
