import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { adminApiContracts, type Exchange } from './admin-api/contract';
import type { AdminApi } from './admin-api/selection';

const PYTHON_TESTS = path.join(__dirname, 'python');

describe('the sandbox X-Road bootstrap script, against recorded answers of X-Road 7.8.0\'s admin APIs', () => {
  let dir: string;
  let exchanges: (Exchange & { readonly api: AdminApi })[];

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'govstack-bootstrap-'));
    const log = path.join(dir, 'exchanges.json');
    // unittest reports on stderr; a failure throws with that report.
    execFileSync('python3', ['-m', 'unittest', 'test_bootstrap_sandbox'], {
      cwd: PYTHON_TESTS,
      env: { PATH: process.env.PATH, PYTHONDONTWRITEBYTECODE: '1', XROAD_EXCHANGE_LOG: log },
      stdio: 'pipe',
    });
    exchanges = JSON.parse(readFileSync(log, 'utf8'));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('configures an instance it configured before again without error, adding only what is missing (python3 -m unittest)', () => {
    expect(exchanges.length).toBeGreaterThan(0);
  });

  it('sent only requests, and was given only answers, that X-Road 7.8.0\'s published definitions allow', () => {
    const contracts = adminApiContracts();
    expect(new Set(exchanges.map((e) => e.api))).toEqual(new Set(['central-server', 'security-server']));
    expect(exchanges.flatMap(({ api, ...exchange }) => contracts[api].violations(exchange))).toEqual([]);
  });
});
