import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ConfigError } from '../../constructs/environment/config-error';
import { loadEnvironment, parseEnvironment } from '../../constructs/environment/load';
import { mergeLayers } from '../../constructs/environment/merge';

const FILE = 'environments/example/environment.yaml';
const SANDBOX = 'country: {code: XA, name: Atlantis}\nstage: sandbox\nprofile: sandbox\n';

function refusal(text: string): string {
  try {
    parseEnvironment(text, FILE, 'example');
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected the environment to be refused');
}

/** Loads bytes written as `environments/example/environment.yaml` of a scratch project. */
function loadBytes(bytes: Buffer | string): string {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'govstack-yaml-')), 'environments');
  mkdirSync(path.join(dir, 'example'), { recursive: true });
  writeFileSync(path.join(dir, 'example', 'environment.yaml'), bytes);
  try {
    loadEnvironment('example', dir);
  } catch (error) {
    if (error instanceof ConfigError) return error.message.replace(/^.*environments\/example\//, 'environments/example/');
    throw error;
  }
  throw new Error('expected the environment to be refused');
}

const bomb = (levels: number, width: number) =>
  [`a0: &a0 [${Array(width).fill('x').join(', ')}]`, ...Array.from({ length: levels }, (_, i) => `a${i + 1}: &a${i + 1} [${Array(width).fill(`*a${i}`).join(', ')}]`)].join('\n');

describe('keys that would change what an object is are refused at any depth, naming file, line and field', () => {
  it.each([
    ['registry: {__proto__: {mirror: evil.example}}', 4, 12, 'registry.__proto__', '{"mirror":"evil.example"}', '__proto__'],
    ['__proto__: {domain: evil.example}', 4, 1, '__proto__', '{"domain":"evil.example"}', '__proto__'],
    ['platform: {gateways: {internalServiceAnnotations: {constructor: x}}}', 4, 52, 'platform.gateways.internalServiceAnnotations.constructor', '"x"', 'constructor'],
    ['buildingBlocks: {iam: {prototype: {polluted: true}}}', 4, 24, 'buildingBlocks.iam.prototype', '{"polluted":true}', 'prototype'],
    ['xroad: {members: [{name: a, "__proto__": {role: provider}}]}', 4, 29, 'xroad.members.0.__proto__', '{"role":"provider"}', '__proto__'],
  ])('%s', (yaml, line, column, field, value, key) => {
    expect(refusal(`${SANDBOX}${yaml}\n`)).toBe(
      `${FILE}:${line}:${column}: field "${field}" has value ${value}; expected no key named "${key}": "__proto__", "constructor", "prototype" are refused at any depth (they would change what the kit's objects are, not what they hold)`,
    );
  });

  it('and the layering refuses them for any other caller, so no object\'s prototype ever changes', () => {
    const hostile = JSON.parse('{"registry": {"__proto__": {"mirror": "evil.example"}}}');
    expect(() => mergeLayers({ registry: { allowed: [] } }, hostile)).toThrow('refusing to merge the key "registry.__proto__"');
    expect(({} as Record<string, unknown>).mirror).toBeUndefined();
  });
});

describe('hostile YAML is refused with the file named, before it can exhaust memory or the stack', () => {
  it('a key written twice', () => {
    expect(refusal(`${SANDBOX}domain: a.example\ndomain: b.example\n`)).toBe(`${FILE}:5:1: expected valid YAML (Map keys must be unique)`);
  });

  it('more aliases than a file needs', () => {
    expect(refusal(`${SANDBOX}x: &x 1\ny: [${Array(150).fill('*x').join(', ')}]\n`)).toBe(
      `${FILE}:5:205: field "y.50" has value "*x"; expected at most 50 aliases (*name) in an environment file`,
    );
  });

  it('an alias-expansion bomb within the alias count', () => {
    expect(refusal(`${SANDBOX}${bomb(5, 10)}\n`)).toBe(
      `${FILE}: expected aliases (*name) that expand to at most 1000 values in all (excessive alias count indicates a resource exhaustion attack)`,
    );
  });

  it('the classic billion-laughs bomb', () => {
    expect(refusal(`${SANDBOX}${bomb(9, 9)}\n`)).toMatch(/^environments\/example\/environment\.yaml:\d+:\d+: field "a\d\.\d" has value "\*a\d"; expected at most 50 aliases/);
  });

  it('nesting deep enough to overflow the parser', () => {
    expect(refusal(`${SANDBOX}x: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`)).toBe(`${FILE}:4:36: expected at most 32 levels of nested [ ] and { }`);
  });

  it('a value too long, echoed cut short', () => {
    expect(refusal(SANDBOX.replace('Atlantis', 'A'.repeat(50_000)))).toBe(
      `${FILE}:1:27: field "country.name" has value "${'A'.repeat(119)}… (50002 characters); expected a value of at most 4096 characters`,
    );
  });

  it('a file too large, refused before it is read', () => {
    expect(loadBytes(`${SANDBOX}# ${'x'.repeat(2 * 1024 * 1024)}\n`)).toBe(
      'environments/example/environment.yaml: expected an environment file of at most 1048576 bytes (1 MiB), and this one has 2097223: it holds only what differs from its profile',
    );
  });

  it('a file that is not UTF-8 (Latin-1), with the offset of the first bad byte', () => {
    expect(loadBytes(Buffer.from(`${SANDBOX}cluster: {kubeContext: "Bogot\xe1"}\n`, 'latin1'))).toBe(
      'environments/example/environment.yaml:4:30: expected UTF-8 text, but byte 97 (0xE1) is not valid UTF-8: save the file as UTF-8',
    );
  });

  it('a replacement character written as UTF-8 is text, not an encoding error', () => {
    expect(loadBytes(`${SANDBOX}cluster: {kubeContext: "\uFFFD"}\nstage: x\n`)).not.toMatch(/UTF-8/);
  });

  it('a key that is itself a mapping', () => {
    expect(refusal(`${SANDBOX}? {a: 1}\n: b\n`)).toBe(`${FILE}:4:3: expected plain keys (a word, not a list, mapping or alias) in every mapping`);
  });
});

describe('validator messages are sentences, not the validator\'s English', () => {
  it.each([
    ['buildingBlocks: {Bad_Key: {enabled: true, product: x, version: "1", size: small}}', 'field "buildingBlocks.Bad_Key" has value {"enabled":true,"product":"x","version":"1","size":"small"}; expected a key that is a DNS label: lowercase letters, digits and "-", at most 63 characters'],
    ['registry: {allowed: []}', 'field "registry.allowed" has value []; expected at least 1 items'],
    ['tls: {mode: acme, acme: {email: x, server: https://acme.example/directory}}', 'field "tls.acme.email" has value "x"; expected a valid email address'],
  ])('%s', (yaml, message) => {
    expect(refusal(`${SANDBOX}${yaml}\n`)).toContain(message);
  });
});
