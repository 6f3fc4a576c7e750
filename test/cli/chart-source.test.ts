import { copyFileSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runScript, scratchProject } from '../support/cli';

describe('synthesis when an upstream chart cannot be had', () => {
  it('names the chart, version and mirror, exits 1 with no stack trace, and writes nothing', () => {
    const mirror = mkdtempSync(path.join(tmpdir(), 'mirror-'));
    // A mirror whose index lists the charts, but whose archives were never copied across.
    copyFileSync(path.join(process.env.GOVSTACK_CHART_SOURCE as string, 'index.yaml'), path.join(mirror, 'index.yaml'));
    const root = scratchProject();
    const run = runScript('src/cli/main.ts', ['synth'], root, { GOVSTACK_CHART_SOURCE: mirror });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`^error: chart [a-z-]+ [v0-9.]+: ${mirror}/index\\.yaml names [a-z-]+-[v0-9.]+\\.tgz, which is missing\\nnothing was written\\.\\n$`, 'm'));
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(path.join(root, 'dist'))).toBe(false);
    expect(existsSync(path.join(root, 'cdktf.out'))).toBe(false);
  });

  it('refuses a chart source that is no Helm repository, naming the setting', () => {
    const root = scratchProject();
    const run = runScript('src/cli/main.ts', ['synth'], root, { GOVSTACK_CHART_SOURCE: root });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`error: GOVSTACK_CHART_SOURCE=${root}: ${root} is not a Helm repository folder (it has no index.yaml)`);
    expect(existsSync(path.join(root, 'dist'))).toBe(false);
  });
});
