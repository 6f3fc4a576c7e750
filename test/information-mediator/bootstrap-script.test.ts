import { execFileSync } from 'node:child_process';
import path from 'node:path';

const PYTHON_TESTS = path.join(__dirname, 'python');

describe('the sandbox X-Road bootstrap script, against recorded answers shaped like X-Road 7.8.0\'s OpenAPI definitions', () => {
  it('configures an instance it configured before again without error, adding only what is missing (python3 -m unittest)', () => {
    // unittest reports on stderr; a failure throws with that report.
    execFileSync('python3', ['-m', 'unittest', 'test_bootstrap_sandbox'], {
      cwd: PYTHON_TESTS,
      env: { PATH: process.env.PATH, PYTHONDONTWRITEBYTECODE: '1' },
      stdio: 'pipe',
    });
  });
});
