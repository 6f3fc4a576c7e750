import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { archiveDigest, chartArchive, chartSourceFromSetting, ChartSourceError } from '../../src/upstream';

// The module object itself, whose functions a spy can replace (an ES import gives a frozen copy).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fs = require('node:fs') as typeof import('node:fs');

// The kit resolves the setting to an absolute folder (CI gives it as …/main/../shared/chart-mirror).
const MIRROR = path.resolve(process.env.GOVSTACK_CHART_SOURCE as string);
const METALLB = { repository: 'https://metallb.github.io/metallb', chart: 'metallb', version: '0.16.1' };

describe('where upstream charts come from (GOVSTACK_CHART_SOURCE)', () => {
  it('is each chart\'s own repository when unset, a mirror URL when it is one, and a Helm repository folder otherwise', () => {
    expect(chartSourceFromSetting('')).toEqual({ kind: 'upstream' });
    expect(chartSourceFromSetting('upstream')).toEqual({ kind: 'upstream' });
    expect(chartSourceFromSetting('https://charts.gov.example/mirror/')).toEqual({ kind: 'repository', url: 'https://charts.gov.example/mirror' });
    expect(chartSourceFromSetting('oci://registry.gov.example/charts')).toEqual({ kind: 'repository', url: 'oci://registry.gov.example/charts' });
    expect(chartSourceFromSetting(MIRROR)).toEqual({ kind: 'folder', folder: MIRROR });
  });

  it('refuses a folder that is not a Helm repository and a scheme it cannot read, naming the setting', () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'charts-'));
    expect(() => chartSourceFromSetting(empty)).toThrow(`GOVSTACK_CHART_SOURCE=${empty}: ${empty} is not a Helm repository folder (it has no index.yaml)`);
    expect(() => chartSourceFromSetting('ftp://mirror.example')).toThrow(ChartSourceError);
  });

  it('finds a pinned chart in the mirror folder by name and version', () => {
    expect(chartArchive(chartSourceFromSetting(MIRROR), METALLB)).toBe(path.join(MIRROR, 'metallb-0.16.1.tgz'));
  });

  it('names chart, version and the folder when the mirror lacks a version, and how to get it', () => {
    const source = chartSourceFromSetting(MIRROR);
    expect(() => chartArchive(source, { ...METALLB, version: '0.99.0' })).toThrow(
      `chart metallb 0.99.0 is not in the chart mirror folder ${MIRROR} (it has metallb 0.16.1). Add it to the mirror ` +
        '(helm pull metallb --repo https://metallb.github.io/metallb --version 0.99.0, then helm repo index), ' +
        'or, with internet access, unset GOVSTACK_CHART_SOURCE to pull it from https://metallb.github.io/metallb',
    );
    expect(() => chartArchive(source, { ...METALLB, chart: 'nginx' })).toThrow('(it has no chart named nginx)');
  });

  it('refuses an archive whose digest differs from the mirror index (a tampered or truncated copy)', () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'charts-'));
    copyFileSync(path.join(MIRROR, 'index.yaml'), path.join(folder, 'index.yaml'));
    writeFileSync(path.join(folder, 'metallb-0.16.1.tgz'), readFileSync(path.join(MIRROR, 'metallb-0.16.1.tgz')).subarray(0, 100));
    expect(() => chartArchive(chartSourceFromSetting(folder), METALLB)).toThrow(/metallb-0\.16\.1\.tgz has sha256 [0-9a-f]{64}, but the mirror's index\.yaml says [0-9a-f]{64}/);
  });

  it('reads and hashes each archive once per process, however many releases and environments name it', () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'charts-'));
    copyFileSync(path.join(MIRROR, 'index.yaml'), path.join(folder, 'index.yaml'));
    copyFileSync(path.join(MIRROR, 'metallb-0.16.1.tgz'), path.join(folder, 'metallb-0.16.1.tgz'));
    const archive = path.join(folder, 'metallb-0.16.1.tgz');
    const reads = jest.spyOn(fs, 'readFileSync');
    try {
      const source = chartSourceFromSetting(folder);
      expect([chartArchive(source, METALLB), chartArchive(source, METALLB)]).toEqual([archive, archive]);
      expect(archiveDigest(archive)).toBe(createHash('sha256').update(readFileSync(archive)).digest('hex'));
      // The last read is this spec's own.
      expect(reads.mock.calls.filter(([file]) => file === archive)).toHaveLength(2);
    } finally {
      reads.mockRestore();
    }
  });

  it('says which chart could not be pulled, and how to work offline, when its repository cannot be reached', () => {
    const cache = mkdtempSync(path.join(tmpdir(), 'kit-cache-'));
    const before = process.env.GOVSTACK_KIT_CACHE;
    process.env.GOVSTACK_KIT_CACHE = cache;
    try {
      // Port 9 on loopback (discard) refuses at once: a data centre without internet access.
      expect(() => chartArchive(chartSourceFromSetting('https://127.0.0.1:9/charts'), METALLB)).toThrow(
        /^chart metallb 0\.16\.1 could not be pulled from https:\/\/127\.0\.0\.1:9\/charts \(.*\): .*connection refused.*\. Without internet access, set GOVSTACK_CHART_SOURCE to a chart mirror folder or URL$/s,
      );
    } finally {
      if (before === undefined) delete process.env.GOVSTACK_KIT_CACHE;
      else process.env.GOVSTACK_KIT_CACHE = before;
    }
  });
});
