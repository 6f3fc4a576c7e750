import { parseAllDocuments } from 'yaml';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { readDocuments, serializeDocuments } from '../../src/upstream/parsed-documents';

const HELM_OUTPUT = `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.io}
spec:
  group: example.io
  scope: Namespaced
  names: {kind: Widget, plural: widgets}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties: {spec: {type: object, x-kubernetes-preserve-unknown-fields: true}}
      subresources: {status: {}}
    - name: v0
      served: false
      storage: false
---
apiVersion: v1
kind: ConfigMap
metadata: {name: holds-a-schema-key}
data: {schema: 'not a CRD: left where it is'}
---
`;

const documents = () => parseAllDocuments(HELM_OUTPUT).map((d) => d.toJS() as unknown);

/** The documents written as the render cache writes them, and read back; the file stays for the spec to remove. */
function keptAndReadBack(parseAgain: () => unknown[] = documents): { back: unknown[]; file: string } {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'govstack-parsed-')), 'kept.v8');
  writeFileSync(file, serializeDocuments(documents()));
  return { back: readDocuments(file, parseAgain), file };
}
const versionsOf = (docs: unknown[]) => (docs[0] as { spec: { versions: Record<string, unknown>[] } }).spec.versions;

describe("the render cache's parsed documents", () => {
  it('come back as Helm printed them, every key in its place, CRD schemas included', () => {
    const { back } = keptAndReadBack(() => {
      throw new Error('parsed again although the file is there');
    });
    expect(back).toEqual(documents());
    expect(JSON.stringify(back)).toBe(JSON.stringify(documents()));
    expect(Object.keys(versionsOf(back)[0])).toEqual(['name', 'served', 'storage', 'schema', 'subresources']);
  });

  it('read a CRD schema back only when something reads it, and then keep it', () => {
    const { back } = keptAndReadBack();
    const v1 = versionsOf(back)[0];
    expect([v1.name, v1.served, (back[0] as { spec: { group: string } }).spec.group]).toEqual(['v1', true, 'example.io']);
    expect(Object.getOwnPropertyDescriptor(v1, 'schema')).toEqual(expect.objectContaining({ get: expect.any(Function), enumerable: true }));
    expect(v1.schema).toEqual({ openAPIV3Schema: expect.objectContaining({ type: 'object' }) });
    expect(Object.getOwnPropertyDescriptor(v1, 'schema')).toEqual(expect.objectContaining({ value: v1.schema, writable: true, enumerable: true }));
    expect(v1.schema).toBe(v1.schema);
  });

  it('let a schema be replaced before it was ever read', () => {
    const { back } = keptAndReadBack();
    const v1 = versionsOf(back)[0];
    v1.schema = { openAPIV3Schema: { type: 'string' } };
    expect(v1.schema).toEqual({ openAPIV3Schema: { type: 'string' } });
  });

  it('take the schemas from Helm\'s output parsed again when the file went before a schema was read', () => {
    let parsedAgain = 0;
    const { back, file } = keptAndReadBack(() => {
      parsedAgain += 1;
      return documents();
    });
    rmSync(file);
    expect(versionsOf(back)[0].schema).toEqual(versionsOf(documents())[0].schema);
    expect(parsedAgain).toBe(1);
  });
});
