import { deserialize, serialize } from 'node:v8';

/**
 * Helm's parsed documents as the render cache keeps them: V8's structured serialisation, with the
 * OpenAPI schemas of CustomResourceDefinitions set apart and read back only when something reads one.
 *
 * Why: those schemas are nine tenths of the bytes of charts such as kube-prometheus-stack, Envoy
 * Gateway and External Secrets, and a synthesis never looks inside them (the policy suite and the
 * review read a CRD's group, kinds, scope and versions); `prove` does, when it installs the CRDs.
 * Reading them all back cost about a tenth of a second per environment, and as much again in garbage
 * collection. A schema read, spread, serialised or compared is there as Helm printed it, in its place
 * among its version's fields.
 */

interface Kept {
  readonly documents: unknown[];
  /** `[document, version]` of every schema set apart, in the order of `schemas`. */
  readonly schemaPlaces: (readonly [number, number])[];
  /** The schemas set apart, as one serialised array. */
  readonly schemas: Uint8Array;
}

type CrdVersion = Record<string, unknown> & { schema?: unknown };

/** The versions of a CustomResourceDefinition document, or none. */
function crdVersions(document: unknown): CrdVersion[] {
  const object = document as { kind?: unknown; spec?: { versions?: unknown } } | null;
  if (!object || typeof object !== 'object' || object.kind !== 'CustomResourceDefinition') return [];
  const versions = object.spec?.versions;
  return Array.isArray(versions) ? versions.filter((v): v is CrdVersion => !!v && typeof v === 'object' && 'schema' in v) : [];
}

export function serializeDocuments(documents: readonly unknown[]): Buffer {
  const schemaPlaces: [number, number][] = [];
  const schemas: unknown[] = [];
  const kept = documents.map((document, d) => {
    const versions = crdVersions(document);
    if (versions.length === 0) return document;
    const spec = (document as { spec: { versions: unknown[] } }).spec;
    return {
      ...(document as object),
      spec: {
        ...spec,
        versions: spec.versions.map((version, v) => {
          if (!versions.includes(version as CrdVersion)) return version;
          schemaPlaces.push([d, v]);
          schemas.push((version as CrdVersion).schema);
          // The key stays, holding nothing, so that the schema comes back in its place among the fields.
          return { ...(version as CrdVersion), schema: null };
        }),
      },
    };
  });
  return serialize({ documents: kept, schemaPlaces, schemas: serialize(schemas) } satisfies Kept);
}

export function deserializeDocuments(buffer: Buffer): unknown[] {
  const { documents, schemaPlaces, schemas } = deserialize(buffer) as Kept;
  let read: unknown[] | undefined;
  const schemaAt = (index: number) => (read ??= deserialize(schemas) as unknown[])[index];
  schemaPlaces.forEach(([d, v], index) => {
    const version = (documents[d] as { spec: { versions: CrdVersion[] } }).spec.versions[v];
    const settle = (value: unknown) => Object.defineProperty(version, 'schema', { value, enumerable: true, configurable: true, writable: true });
    Object.defineProperty(version, 'schema', {
      enumerable: true,
      configurable: true,
      get: () => {
        const value = schemaAt(index);
        settle(value);
        return value;
      },
      set: settle,
    });
  });
  return documents;
}
