import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { secretFindings } from '../../src/pipeline/synthesis-refused';
import { scanForSecrets } from '../../src/validation/secret-scan';
import { readTree, synthesizedShipped } from '../support/shipped';

describe('no secret value in any output', () => {
  it('finds nothing secret-looking in dist/ or cdktf.out/ of any shipped environment', () => {
    const { root } = synthesizedShipped();
    const files = new Map([...readTree(path.join(root, 'dist')), ...readTree(path.join(root, 'cdktf.out'))]);
    expect(scanForSecrets(files)).toEqual([]);
  });

  it.each([
    ['a PEM private key', 'tls.key: |\n  -----BEGIN RSA PRIVATE KEY-----\n  MIIE\n'],
    ['a Secret with literal data', 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: x\nstringData:\n  password: hunter22\n'],
    ['a password in Helm values', '"values": ["adminPassword: S3cretValue\\n"]'],
    ['an env var with a literal token PIN', '- name: XROAD_TOKEN_PIN\n  value: "1234"\n'],
    ['a literal token PIN in a config file', 'token_pin = 12345\n'],
    ['a literal in a variable named like a file reference', '- name: DB_PASSWORD_FILE\n  value: hunter22\n'],
  ])('would catch %s', (_name, text) => {
    expect(scanForSecrets(new Map([['fixture.yaml', text]]))).not.toEqual([]);
  });

  it('finds, searching only the lines a match needs, what a search of each whole text finds, on the line it is on', () => {
    const { root } = synthesizedShipped();
    const shipped = [...readTree(path.join(root, 'dist')), ...readTree(path.join(root, 'cdktf.out'))];
    const planted = [
      'db_pass = hunter22',
      'url: jdbc:postgresql://app:hunter22@db:5432/app',
      '"values": ["adminPassword: S3cretValue\\n"]',
      // An ignored value first, then a real one on the same line.
      'secretKey: ACCESS_KEY_ID, apiKey: k3yvalue99',
    ];
    // Each real output text with a secret planted before its middle line, at its start and at its very end.
    const texts = new Map<string, string>();
    shipped.forEach(([file, text], i) => {
      const lines = text.split('\n');
      const secret = planted[i % planted.length];
      lines.splice(Math.floor(lines.length / 2), 0, secret);
      texts.set(`${file}#middle`, lines.join('\n'));
      texts.set(`${file}#first`, `${secret}\r\n${text}`);
      texts.set(`${file}#last`, `${text}${text.endsWith('\n') ? '' : '\n'}${secret}`);
    });
    const found = scanForSecrets(texts);
    expect(found).toEqual(scanForSecrets(texts, 'whole-texts'));
    expect(found.filter((f) => f.file.endsWith('#first')).every((f) => f.line === 1)).toBe(true);
    expect(new Set(found.map((f) => f.file)).size).toBe(texts.size);
  });

  it('accepts references to secrets', () => {
    const text =
      '- name: DB_PASSWORD\n  valueFrom:\n    secretKeyRef: {name: db-app, key: password}\npasswordSecret: {name: x}\n' +
      'secretAccessKey:\n  key: ACCESS_SECRET_KEY\n  name: backup-object-store\n' +
      '- name: DB_PASSWORD_FILE\n  value: /run/secrets/db-app/password\n' +
      // Loki's configuration expands its keys from the environment; Terraform JSON escapes the reference.
      '"values": ["secretAccessKey: $${ACCESS_SECRET_KEY}\\n"]\n' +
      // The name of a Secret's key in chart values is not a value, also at the end of a line inside Terraform's JSON.
      '"values": ["  - envName: VAULT_TRANSIT_SEAL_TOKEN\\n    secretKey: TRANSIT_TOKEN\\n    secretName: openbao-unseal\\n"]\n';
    expect(scanForSecrets(new Map([['fixture.yaml', text]]))).toEqual([]);
  });
});

describe('the secret scan of a synthesis that changed little', () => {
  const previousCache = process.env.GOVSTACK_KIT_CACHE;
  beforeEach(() => {
    process.env.GOVSTACK_KIT_CACHE = mkdtempSync(path.join(tmpdir(), 'govstack-cache-'));
  });
  afterAll(() => {
    if (previousCache === undefined) delete process.env.GOVSTACK_KIT_CACHE;
    else process.env.GOVSTACK_KIT_CACHE = previousCache;
  });

  function stagedOutput(files: Record<string, string>): Map<string, string> {
    const staged = mkdtempSync(path.join(tmpdir(), 'govstack-staged-'));
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(staged, file)), { recursive: true });
      writeFileSync(path.join(staged, file), text);
    }
    return new Map([[staged, 'dist/sandbox']]);
  }

  /** The scan, noting which files the patterns were run over. */
  function recordingScan(scanned: string[][]): typeof scanForSecrets {
    return (files) => {
      scanned.push([...files.keys()].sort());
      return scanForSecrets(files);
    };
  }

  it('runs the patterns again only over the texts that changed since the last scan found them clean', () => {
    const scanned: string[][] = [];
    const output = { 'manifests/a.yaml': 'kind: ConfigMap\n', 'manifests/b.yaml': 'kind: Service\n' };
    expect(secretFindings(stagedOutput(output), recordingScan(scanned))).toEqual([]);
    expect(secretFindings(stagedOutput(output), recordingScan(scanned))).toEqual([]);
    expect(secretFindings(stagedOutput({ ...output, 'manifests/b.yaml': 'kind: Service\nspec: {}\n' }), recordingScan(scanned))).toEqual([]);
    expect(scanned).toEqual([['dist/sandbox/manifests/a.yaml', 'dist/sandbox/manifests/b.yaml'], [], ['dist/sandbox/manifests/b.yaml']]);
  });

  it('scans and reports a text with a finding every time, however often it is synthesised', () => {
    const scanned: string[][] = [];
    const output = { 'manifests/a.yaml': 'kind: ConfigMap\n', 'values.yaml': 'adminPassword: S3cretValue\n' };
    const finding = { file: 'dist/sandbox/values.yaml', line: 1, kind: 'credential assigned a literal value' };
    expect(secretFindings(stagedOutput(output), recordingScan(scanned))).toEqual([finding]);
    expect(secretFindings(stagedOutput(output), recordingScan(scanned))).toEqual([finding]);
    expect(scanned).toEqual([['dist/sandbox/manifests/a.yaml', 'dist/sandbox/values.yaml'], ['dist/sandbox/values.yaml']]);
  });
});
