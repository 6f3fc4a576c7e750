import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
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

interface Head {
  readonly documents: unknown[];
  /** `[document, version]` of every schema set apart, in the order they are kept. */
  readonly schemaPlaces: (readonly [number, number])[];
}

type CrdVersion = Record<string, unknown> & { schema?: unknown };

/** The versions of a CustomResourceDefinition document that hold a schema, or none. */
function versionsWithSchema(document: unknown): CrdVersion[] {
  const object = document as { kind?: unknown; spec?: { versions?: unknown } } | null;
  if (!object || typeof object !== 'object' || object.kind !== 'CustomResourceDefinition') return [];
  const versions = object.spec?.versions;
  return Array.isArray(versions) ? versions.filter((v): v is CrdVersion => !!v && typeof v === 'object' && 'schema' in v) : [];
}

/** Every CRD schema of the documents, in document and version order: the order they are kept in. */
function schemasOf(documents: readonly unknown[]): unknown[] {
  return documents.flatMap((document) => versionsWithSchema(document).map((version) => version.schema));
}

/**
 * The file: a 4-byte length, then the documents with each CRD schema left empty and where it was,
 * then all the schemas. Only the part before the schemas is read until a schema is.
 */
export function serializeDocuments(documents: readonly unknown[]): Buffer {
  const schemaPlaces: [number, number][] = [];
  const kept = documents.map((document, d) => {
    const withSchema = versionsWithSchema(document);
    if (withSchema.length === 0) return document;
    const spec = (document as { spec: { versions: unknown[] } }).spec;
    return {
      ...(document as object),
      spec: {
        ...spec,
        versions: spec.versions.map((version, v) => {
          if (!withSchema.includes(version as CrdVersion)) return version;
          schemaPlaces.push([d, v]);
          // The key stays, holding nothing, so that the schema comes back in its place among the fields.
          return { ...(version as CrdVersion), schema: null };
        }),
      },
    };
  });
  const head = serialize({ documents: kept, schemaPlaces } satisfies Head);
  const length = Buffer.alloc(4);
  length.writeUInt32LE(head.length);
  return Buffer.concat([length, head, serialize(schemasOf(documents))]);
}

/**
 * The documents kept in `file`. Should the file be gone by the time a schema is read (someone
 * cleared the cache), the schemas are taken from `parseAgain`, which parses Helm's output anew.
 */
export function readDocuments(file: string, parseAgain: () => readonly unknown[]): unknown[] {
  const fd = openSync(file, 'r');
  let headEnd: number;
  let head: Head;
  try {
    const length = Buffer.alloc(4);
    readSync(fd, length, 0, 4, 0);
    const headBytes = Buffer.alloc(length.readUInt32LE(0));
    if (readSync(fd, headBytes, 0, headBytes.length, 4) !== headBytes.length) throw new Error(`${file} is cut short`);
    headEnd = 4 + headBytes.length;
    head = deserialize(headBytes) as Head;
  } finally {
    closeSync(fd);
  }
  const { documents, schemaPlaces } = head;
  let schemas: unknown[] | undefined;
  const readSchemas = (): unknown[] => {
    try {
      return deserialize(readFileSync(file).subarray(headEnd)) as unknown[];
    } catch {
      return schemasOf(parseAgain());
    }
  };
  schemaPlaces.forEach(([d, v], index) => {
    const version = (documents[d] as { spec: { versions: CrdVersion[] } }).spec.versions[v];
    const settle = (value: unknown) => Object.defineProperty(version, 'schema', { value, enumerable: true, configurable: true, writable: true });
    Object.defineProperty(version, 'schema', {
      enumerable: true,
      configurable: true,
      get: () => {
        const value = (schemas ??= readSchemas())[index];
        settle(value);
        return value;
      },
      set: settle,
    });
  });
  return documents;
}
