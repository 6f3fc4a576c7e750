import { FORBIDDEN_KEYS } from './bounded-yaml';

/**
 * Layering: later layers win; objects merge key by key; arrays and scalars replace.
 * Arrays replace rather than concatenate so a country can shrink a list (e.g. allowed registries).
 */
export function mergeLayers(...layers: unknown[]): unknown {
  return layers.reduce((base, layer) => mergeTwo(base, layer, []), undefined);
}

/**
 * Objects whose fields depend on one discriminating field: a layer that changes the discriminator
 * replaces the whole object, so e.g. switching `terraformState.backend` from pg to s3 does not
 * drag the pg settings along.
 */
const DISCRIMINATED_OBJECTS: Readonly<Record<string, string>> = {
  terraformState: 'backend',
};

function mergeTwo(base: unknown, override: unknown, path: readonly string[]): unknown {
  if (override === undefined) return clone(base);
  if (!isPlainObject(base) || !isPlainObject(override)) return clone(override);
  const discriminator = DISCRIMINATED_OBJECTS[path.join('.')];
  if (discriminator && override[discriminator] !== undefined && override[discriminator] !== base[discriminator]) {
    return clone(override);
  }
  const merged: Record<string, unknown> = clone(base) as Record<string, unknown>;
  for (const [key, value] of Object.entries(override)) {
    // The loader refuses these keys with a message; this keeps the merge safe for any other caller.
    if (FORBIDDEN_KEYS.includes(key)) throw new Error(`refusing to merge the key "${[...path, key].join('.')}"`);
    merged[key] = mergeTwo(merged[key], value, [...path, key]);
  }
  return merged;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function clone<T>(value: T): T {
  return value === undefined ? value : structuredClone(value);
}
