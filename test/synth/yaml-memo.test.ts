import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import type { Manifest } from '../../src/synth/manifest';

const cache = mkdtempSync(path.join(tmpdir(), 'kit-cache-'));
process.env.GOVSTACK_KIT_CACHE = cache;
// Loaded after the cache is moved: the memo's folder is decided at first use.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { toYamlDocuments } = require('../../src/synth/yaml-files') as typeof import('../../src/synth/yaml-files');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { upstreamReleaseFile, upstreamReleaseObject } = require('../../src/review/upstream-releases') as typeof import('../../src/review/upstream-releases');

const configMap = (): Manifest => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'bb-test' }, data: { enabled: 'no', port: '8080' } });

describe('manifest YAML, kept across runs by the object\'s content', () => {
  afterAll(() => rmSync(cache, { recursive: true, force: true }));

  it('is the yaml library\'s YAML 1.1 text, kept in the kit\'s cache', () => {
    const text = toYamlDocuments([configMap()], 'header');
    expect(text).toBe(`# header\n${stringify(configMap(), { lineWidth: 0, minContentWidth: 0, version: '1.1' })}`);
    expect(text).toContain('enabled: "no"');
    const kept = readdirSync(cache, { recursive: true }).map(String).filter((file) => file.endsWith('.yaml'));
    expect(kept).toHaveLength(1);
  });

  it('reads the kept text for an equal object instead of writing it again, and writes a changed object afresh', () => {
    const [file] = readdirSync(cache, { recursive: true }).map(String).filter((name) => name.endsWith('.yaml'));
    writeFileSync(path.join(cache, file), 'kept: true\n');
    expect(toYamlDocuments([configMap()], 'header')).toBe('# header\nkept: true\n');
    const changed = { ...configMap(), data: { enabled: 'yes' } };
    expect(toYamlDocuments([changed], 'header')).toContain('enabled: "yes"');
  });

  it('keeps an upstream release\'s reviewed values the same way, with their keys sorted', () => {
    const release = upstreamReleaseObject({ releaseName: 'loki', namespace: 'observability', repository: 'https://charts.example', chart: 'loki', version: '6.2.0', reason: 'logs', values: { zeta: 1, alpha: 2 }, images: [] }, []);
    const before = new Set(readdirSync(cache, { recursive: true }).map(String));
    const text = upstreamReleaseFile(release, 'sandbox');
    expect(text.indexOf('alpha: 2')).toBeLessThan(text.indexOf('zeta: 1'));
    const [kept] = readdirSync(cache, { recursive: true }).map(String).filter((file) => file.endsWith('.yaml') && !before.has(file));
    writeFileSync(path.join(cache, kept), 'kept: true\n');
    expect(upstreamReleaseFile(release, 'sandbox').split('\n').at(-2)).toBe('kept: true');
  });
});
