import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { typeScriptFilesUnder } from '../support/source-files';

const PROJECT = path.resolve(__dirname, '..', '..');
const CODE_FOLDERS = ['src', 'constructs', 'stacks', 'charts'];

/** Every code file of the project, parsed once for all the specs below, by path relative to the project. */
const SOURCES: ReadonlyMap<string, ts.SourceFile> = new Map(
  CODE_FOLDERS.flatMap((folder) => typeScriptFilesUnder(path.join(PROJECT, folder))).map((file) => [
    path.relative(PROJECT, file),
    ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false),
  ]),
);

/** The files whose code (string literals and identifiers, not comments) matches, relative to the project. */
function filesWhoseCode(matches: (text: string) => boolean): string[] {
  const found = new Set<string>();
  for (const [file, source] of SOURCES) {
    const visit = (node: ts.Node): void => {
      if ((ts.isStringLiteralLike(node) || ts.isIdentifier(node) || ts.isTemplateLiteralToken(node)) && matches(node.text)) found.add(file);
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return [...found].sort();
}

describe('one home for each fact the kit relies on', () => {
  it('spells CloudNativePG\'s API groups, labels and plugin name only in constructs/data/cloudnative-pg.ts', () => {
    expect(filesWhoseCode((text) => /cnpg\.io|cloudnative-pg\.io/.test(text))).toEqual(['constructs/data/cloudnative-pg.ts']);
  });

  it('writes NetworkPolicies only through AllowTraffic: the NET checks and the flow model read one shape', () => {
    expect(filesWhoseCode((text) => text === 'KubeNetworkPolicy')).toEqual([]);
    // src/ reads NetworkPolicies by kind (policy suite, review, validation); constructs, charts and stacks write them.
    const writers = filesWhoseCode((text) => text === 'NetworkPolicy').filter((file) => !file.startsWith('src/'));
    expect(writers).toEqual(['constructs/baseline/allow-traffic.ts']);
  });

  it('lets constructs read the stage and the HA level only through the resolved resilience block', () => {
    const readers: string[] = [];
    for (const [file, source] of [...SOURCES].filter(([file]) => !file.startsWith('src/'))) {
      const visit = (node: ts.Node): void => {
        if (ts.isPropertyAccessExpression(node) && ['stage', 'ha'].includes(node.name.text) && /\benv$/.test(node.expression.getText(source))) readers.push(file);
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    expect([...new Set(readers)].filter((file) => !file.startsWith('constructs/environment/')).sort()).toEqual([
      // Refusals of a choice the stage forbids, with the stage named in the message: validation, not a decision.
      'constructs/catalogue/validate-choices.ts',
      'constructs/information-mediator/development-central-server.ts',
    ]);
  });

  it('spells Pod Security restricted once (constructs/baseline/restricted-pod.ts); only pods that cannot meet it write their own context', () => {
    expect(filesWhoseCode((text) => text === 'RuntimeDefault').filter((file) => !file.startsWith('src/'))).toEqual([
      'constructs/baseline/restricted-pod.ts',
      // Each beside the exception that says why: X-Road's servers and their certificate installer run as
      // root, MetalLB's speaker and Velero's node agent need the host (the node's network, its volumes).
      'constructs/information-mediator/development-central-server.ts',
      'constructs/information-mediator/internal-tls.ts',
      'constructs/information-mediator/pod-security.ts',
      'constructs/information-mediator/security-server.ts',
      'constructs/platform/backups.ts',
      'constructs/platform/load-balancer.ts',
    ]);
  });

  it('installs every upstream chart through PinnedRelease, the one factory (mirror, resolved images, exceptions)', () => {
    const makers: string[] = [];
    for (const [file, source] of SOURCES) {
      const visit = (node: ts.Node): void => {
        if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'UpstreamHelmChart') makers.push(file);
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    expect(makers).toEqual(['constructs/releases/pinned-release.ts']);
  });

  it('gives every exported name one meaning: no two modules export the same name', () => {
    const exporters = new Map<string, string[]>();
    for (const [file, source] of SOURCES) {
      for (const statement of source.statements) {
        const modifiers = ts.canHaveModifiers(statement) ? ts.getModifiers(statement) : undefined;
        if (!modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword)) continue;
        const names = ts.isVariableStatement(statement)
          ? statement.declarationList.declarations.flatMap((declaration) => (ts.isIdentifier(declaration.name) ? [declaration.name.text] : []))
          : 'name' in statement && statement.name && ts.isIdentifier(statement.name as ts.Node) ? [(statement.name as ts.Identifier).text] : [];
        for (const name of names) exporters.set(name, [...(exporters.get(name) ?? []), file]);
      }
    }
    expect(Object.fromEntries([...exporters].filter(([, files]) => files.length > 1))).toEqual({});
  });

  it('finds a fact in code and not in comments (the scan itself works)', () => {
    expect(filesWhoseCode((text) => text === 'isCloudNativePgCluster')).toEqual(
      expect.arrayContaining(['constructs/data/cloudnative-pg.ts', 'src/synth/render.ts']),
    );
  });
});
