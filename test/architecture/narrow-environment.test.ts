import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { typeScriptFilesUnder } from '../support/source-files';

const PROJECT = path.resolve(__dirname, '..', '..');

/**
 * Where the environment is handed on, the type names the settings read there (`Pick<Environment, 'cluster' | 'name'>`),
 * so a reviewer of a construct sees what in environment.yaml can change it, and a spec can build one from just those.
 * The folder that defines, loads and validates the environment works on the whole of it; its resolved decisions
 * (resilience.ts) are read by constructs and follow the rule.
 */
const WHOLE_ENVIRONMENT_ALLOWED = (relative: string) => relative.startsWith('constructs/environment/') && relative !== 'constructs/environment/resilience.ts';

/** "file:line env" for each property or parameter named `env` whose type is the whole `Environment`. */
export function wholeEnvironmentDeclarations(fileName: string, source: string): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (
      (ts.isPropertySignature(node) || ts.isPropertyDeclaration(node) || ts.isParameter(node)) &&
      ts.isIdentifier(node.name) &&
      node.name.text === 'env' &&
      node.type &&
      ts.isTypeReferenceNode(node.type) &&
      node.type.typeName.getText(file) === 'Environment'
    ) {
      found.push(`${fileName}:${file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1} env`);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

describe('the environment settings each construct reads', () => {
  it('finds a prop or parameter that takes the whole environment, and accepts one that names its settings', () => {
    const source = [
      'interface WholeProps { readonly env: Environment }',
      "interface NamedProps { readonly env: Pick<Environment, 'cluster' | 'name'> }",
      'function whole(env: Environment): void {}',
      "function named(env: Pick<Environment, 'domain'>): void {}",
      'class Holder { private readonly env: Environment; }',
    ].join('\n');
    expect(wholeEnvironmentDeclarations('fixture.ts', source)).toEqual(['fixture.ts:1 env', 'fixture.ts:3 env', 'fixture.ts:5 env']);
  });

  it('is named setting by setting in every construct, chart assembly and stack, never as the whole environment', () => {
    const files = ['constructs', 'charts', 'stacks'].flatMap((folder) => typeScriptFilesUnder(path.join(PROJECT, folder)));
    const relative = files.map((file) => path.relative(PROJECT, file)).filter((file) => !WHOLE_ENVIRONMENT_ALLOWED(file));
    expect(relative.length).toBeGreaterThan(100);
    expect(relative.flatMap((file) => wholeEnvironmentDeclarations(file, readFileSync(path.join(PROJECT, file), 'utf8')))).toEqual([]);
  });
});
