import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PROJECT } from '../support/cli';

/**
 * A scratch project with npm's record of its packages and one package, and a probe that starts the
 * resolution cache from the last run's record (as the code cache does), asks where `require`s from
 * its src/ lead, and keeps the new record.
 */
function scratchProject() {
  const root = mkdtempSync(path.join(tmpdir(), 'govstack-resolution-'));
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  };
  write('node_modules/.package-lock.json', '{"lockfileVersion":3}\n');
  write('node_modules/pkg/index.js', '');
  write('src/answer.json', '{}\n');
  const probe = path.join(root, 'probe.cjs');
  writeFileSync(
    probe,
    `const { existsSync, readFileSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { startResolutionCache } = require(${JSON.stringify(path.join(PROJECT, 'src/cli/resolution-cache.cjs'))});
const record = ${JSON.stringify(path.join(root, 'record.json'))};
const lookups = startResolutionCache(${JSON.stringify(root)}, existsSync(record) ? JSON.parse(readFileSync(record, 'utf8')) : undefined);
const from = createRequire(${JSON.stringify(path.join(root, 'src', 'main.js'))});
const led = process.argv.slice(2).map((request) => from.resolve(request));
const recorded = lookups.recorded();
if (recorded) writeFileSync(record, JSON.stringify(recorded));
console.log(JSON.stringify({ led, lookedUp: lookups.changed(), kept: recorded ? Object.keys(recorded.found).length : 0 }));
`,
  );
  const run = (...requests: string[]) => {
    const result = spawnSync(process.execPath, [probe, ...requests], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    return JSON.parse(result.stdout) as { led: string[]; lookedUp: boolean; kept: number };
  };
  return { root, write, run, at: (file: string) => path.join(root, file) };
}

describe('where a kit command\'s requires led last time (src/cli/resolution-cache.cjs)', () => {
  it('answers a lookup from the last run\'s record, without looking again', () => {
    const project = scratchProject();
    const first = project.run('./answer', 'pkg');
    expect(first).toEqual({ led: [project.at('src/answer.json'), project.at('node_modules/pkg/index.js')], lookedUp: true, kept: 2 });
    expect(project.run('./answer', 'pkg')).toEqual({ ...first, lookedUp: false });
  });

  it('looks again when a file is added where the lookup searched', () => {
    const project = scratchProject();
    expect(project.run('./answer').led).toEqual([project.at('src/answer.json')]);
    // Node tries answer.js before answer.json.
    project.write('src/answer.js', 'module.exports = 42;\n');
    expect(project.run('./answer').led).toEqual([project.at('src/answer.js')]);
  });

  it('looks again when a node_modules folder appears before the one that had the package', () => {
    const project = scratchProject();
    expect(project.run('pkg').led).toEqual([project.at('node_modules/pkg/index.js')]);
    project.write('src/node_modules/pkg/index.js', '');
    expect(project.run('pkg').led).toEqual([project.at('src/node_modules/pkg/index.js')]);
  });

  it('looks again when npm installs anything, and keeps nothing without npm\'s record', () => {
    const project = scratchProject();
    expect(project.run('pkg').led).toEqual([project.at('node_modules/pkg/index.js')]);
    project.write('node_modules/pkg/package.json', '{"main":"main.js"}\n');
    project.write('node_modules/pkg/main.js', '');
    project.write('node_modules/.package-lock.json', '{"lockfileVersion":3,"packages":{}}\n');
    expect(project.run('pkg')).toMatchObject({ led: [project.at('node_modules/pkg/main.js')], lookedUp: true });

    rmSync(project.at('node_modules/.package-lock.json'));
    expect(project.run('pkg', './answer')).toMatchObject({ lookedUp: false, kept: 0 });
  });

  it('keeps no lookup that a package.json outside npm\'s care decides', () => {
    const project = scratchProject();
    project.write('src/lib/package.json', '{"main":"start.js"}\n');
    project.write('src/lib/start.js', '');
    expect(project.run('./lib')).toEqual({ led: [project.at('src/lib/start.js')], lookedUp: false, kept: 0 });
  });
});
