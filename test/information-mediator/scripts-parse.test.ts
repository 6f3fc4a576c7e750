import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const SCRIPTS = path.join(__dirname, '..', '..', 'constructs', 'information-mediator', 'scripts');
const files = readdirSync(SCRIPTS).sort();
const python = files.filter((file) => file.endsWith('.py'));
const shell = files.filter((file) => file.endsWith('.sh'));

describe('the Information Mediator\'s scripts, shipped in ConfigMaps, at least parse', () => {
  let bytecode: string;
  beforeAll(() => {
    bytecode = mkdtempSync(path.join(tmpdir(), 'govstack-pycache-'));
  });
  afterAll(() => rmSync(bytecode, { recursive: true, force: true }));

  it('are all Python or shell scripts, so each is checked below', () => {
    expect(files.filter((file) => !python.includes(file) && !shell.includes(file))).toEqual([]);
    expect(python.length).toBeGreaterThan(0);
  });

  it.each(python)('%s compiles with python3', (file) => {
    // bytecode goes to a temporary folder, not into __pycache__ beside the script
    execFileSync('python3', ['-m', 'py_compile', path.join(SCRIPTS, file)], { env: { PATH: process.env.PATH, PYTHONPYCACHEPREFIX: bytecode }, stdio: 'pipe' });
  });

  it.each(shell)('%s parses with bash -n', (file) => {
    execFileSync('bash', ['-n', path.join(SCRIPTS, file)], { stdio: 'pipe' });
  });

  it('leave no bytecode beside the scripts', () => {
    expect(existsSync(path.join(SCRIPTS, '__pycache__'))).toBe(false);
  });
});
