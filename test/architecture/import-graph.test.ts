import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { typeScriptFilesUnder } from '../support/source-files';

const PROJECT = path.resolve(__dirname, '..', '..');

/** Every file's imports of the project's own files (type-only imports included: they are dependencies of the design too). */
function importGraph(folders: readonly string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of folders.flatMap((folder) => typeScriptFilesUnder(path.join(PROJECT, folder)))) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const imports = importedFiles
      .filter(({ fileName }) => fileName.startsWith('.'))
      .map(({ fileName }) => path.resolve(path.dirname(file), fileName))
      .flatMap((target) => [`${target}.ts`, path.join(target, 'index.ts')].filter(existsSync).slice(0, 1));
    graph.set(file, imports);
  }
  return graph;
}

/** Each circle of imports once, as the files along it (Tarjan's strongly connected components). */
function circles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const lowest = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (file: string) => {
    index.set(file, index.size);
    lowest.set(file, index.get(file)!);
    stack.push(file);
    for (const target of graph.get(file) ?? []) {
      if (!graph.has(target)) continue;
      if (!index.has(target)) {
        visit(target);
        lowest.set(file, Math.min(lowest.get(file)!, lowest.get(target)!));
      } else if (stack.includes(target)) {
        lowest.set(file, Math.min(lowest.get(file)!, index.get(target)!));
      }
    }
    if (lowest.get(file) !== index.get(file)) return;
    const component = stack.splice(stack.indexOf(file));
    if (component.length > 1 || graph.get(file)?.includes(file)) found.push(component.map((f) => path.relative(PROJECT, f)).sort());
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return found;
}

describe('the import graph', () => {
  it('has no circle in src/, constructs/, stacks/ or charts/: synthesis, the policy suite and the review are steps a command composes', () => {
    expect(circles(importGraph(['src', 'constructs', 'stacks', 'charts']))).toEqual([]);
  });

  it('flows one way: constructs/, charts/ and stacks/ import nothing from src/, whose pipeline calls them', () => {
    const src = `${path.join(PROJECT, 'src')}${path.sep}`;
    const upstream = [...importGraph(['constructs', 'charts', 'stacks'])].flatMap(([file, imports]) =>
      imports.filter((target) => target.startsWith(src)).map((target) => `${path.relative(PROJECT, file)} -> ${path.relative(PROJECT, target)}`),
    );
    // The one exception: an environment file is refused for a secret value by the very scan the output gets.
    expect(upstream).toEqual(['constructs/environment/load.ts -> src/validation/secret-scan.ts']);
  });

  it('finds a circle when there is one (the walk itself works)', () => {
    const graph = new Map([
      [path.join(PROJECT, 'a.ts'), [path.join(PROJECT, 'b.ts')]],
      [path.join(PROJECT, 'b.ts'), [path.join(PROJECT, 'c.ts')]],
      [path.join(PROJECT, 'c.ts'), [path.join(PROJECT, 'a.ts')]],
      [path.join(PROJECT, 'd.ts'), [path.join(PROJECT, 'a.ts')]],
    ]);
    expect(circles(graph)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
  });

  it('sees the project\'s own imports, type-only ones included', () => {
    const graph = importGraph(['src']);
    expect(graph.get(path.join(PROJECT, 'src/pipeline/build-output.ts'))).toEqual(
      expect.arrayContaining([path.join(PROJECT, 'src/policy/index.ts'), path.join(PROJECT, 'src/synth/synthesize.ts')]),
    );
    expect(graph.get(path.join(PROJECT, 'src/review/inputs.ts'))).toContain(path.join(PROJECT, 'src/policy/index.ts'));
  });
});
