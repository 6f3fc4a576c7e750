import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { typeScriptFilesUnder } from '../support/source-files';

const PROJECT = path.resolve(__dirname, '..', '..');

/**
 * The catalogue's own types: a product entry leaves most fields out, so what "left out" means belongs next to the field
 * as much as it does for a construct's props.
 */
const CATALOGUE_TYPES = 'constructs/catalogue/types.ts';

function isExported(node: ts.InterfaceDeclaration): boolean {
  return node.modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword) ?? false;
}

function hasDefaultTag(member: ts.Node): boolean {
  return ts.getJSDocTags(member).some((tag) => tag.tagName.text === 'default');
}

/**
 * "file › Interface.property" for each optional property, of the interfaces `wanted` picks, whose JSDoc does not say
 * with `@default` what happens when it is left out. Nested type literals (`{ readonly a?: string }`) are walked too.
 */
export function optionalPropertiesWithoutDefault(
  fileName: string,
  source: string,
  wanted: (name: string) => boolean,
): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
  const missing: string[] = [];
  const walkMembers = (owner: string, members: ts.NodeArray<ts.TypeElement>) => {
    for (const member of members) {
      if (!ts.isPropertySignature(member)) continue;
      const name = `${owner}.${member.name.getText(file)}`;
      if (member.questionToken && !hasDefaultTag(member)) missing.push(`${fileName} › ${name}`);
      if (member.type) walkNested(name, member.type);
    }
  };
  const walkNested = (owner: string, type: ts.Node) => {
    if (ts.isTypeLiteralNode(type)) return walkMembers(owner, type.members);
    ts.forEachChild(type, (child) => {
      if (ts.isTypeNode(child)) walkNested(owner, child);
    });
  };
  const visit = (node: ts.Node) => {
    if (ts.isInterfaceDeclaration(node) && isExported(node) && wanted(node.name.text)) walkMembers(node.name.text, node.members);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return missing;
}

function missingDefaultsIn(relativeFile: string, wanted: (name: string) => boolean): string[] {
  return optionalPropertiesWithoutDefault(relativeFile, readFileSync(path.join(PROJECT, relativeFile), 'utf8'), wanted);
}

describe('optional props', () => {
  it('every optional property of an exported *Props interface in constructs/, charts/ and stacks/ says its @default', () => {
    const files = ['constructs', 'charts', 'stacks'].flatMap((folder) => typeScriptFilesUnder(path.join(PROJECT, folder)));
    const missing = files.flatMap((file) => missingDefaultsIn(path.relative(PROJECT, file), (name) => name.endsWith('Props')));
    expect(missing).toEqual([]);
  });

  it('every optional field of the catalogue\'s exported types says its @default', () => {
    expect(missingDefaultsIn(CATALOGUE_TYPES, () => true)).toEqual([]);
  });

  it('names the file, the interface and the property that has no @default (the walk itself works)', () => {
    const source = `
      export interface WidgetProps {
        readonly size: number;
        /** @default 1 */
        readonly count?: number;
        /** How loud it is. */
        readonly volume?: number;
        readonly shape?: { readonly corners?: number };
      }
      interface HiddenProps { readonly skipped?: string }
      export interface Other { readonly notProps?: string }
    `;
    expect(optionalPropertiesWithoutDefault('widget.ts', source, (name) => name.endsWith('Props'))).toEqual([
      'widget.ts › WidgetProps.volume',
      'widget.ts › WidgetProps.shape',
      'widget.ts › WidgetProps.shape.corners',
    ]);
  });
});
