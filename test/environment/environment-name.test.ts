import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ConfigError } from '../../constructs/environment/config-error';
import { environmentName, EnvironmentNameError } from '../../constructs/environment/environment-name';
import { loadEnvironment } from '../../constructs/environment/load';

describe('an environment name', () => {
  it.each(['sandbox', 'veloria-production', 'ke-2', 'x'])('"%s" is one', (name) => {
    expect(environmentName(name)).toBe(name);
  });

  it('tolerates the trailing slash shell completion adds, and means the same folder', () => {
    expect(environmentName('veloria-production/')).toBe('veloria-production');
    expect(environmentName('veloria-production//')).toBe('veloria-production');
  });

  it.each([
    '../../outside/x',
    '../environments/sandbox',
    'sandbox/../veloria-production',
    '/etc',
    '.',
    '..',
    'a/b',
    'a\\b',
    'veloria production',
    'Veloria',
    '-sandbox',
    'sandbox-',
    'sandbox.bak',
    '',
    'a'.repeat(41),
    'sandbox\n',
  ])('%j is refused before it touches a path', (input) => {
    expect(() => environmentName(input)).toThrow(EnvironmentNameError);
    expect(() => loadEnvironment(input)).toThrow(EnvironmentNameError);
  });

  it('is refused with the name, cut when long, and what is expected', () => {
    expect(() => environmentName('../../outside/x')).toThrow(
      '"../../outside/x" is not an environment name; expected the name of a folder directly under environments/: lowercase letters, digits and "-" (at most 40 characters, starting and ending with a letter or digit), e.g. "veloria-production"',
    );
    expect(() => environmentName('x'.repeat(5000))).toThrow(/^"x{80}… \(5000 characters\)" is not an environment name/);
  });

  it('is resolved only inside environments/: a folder linking elsewhere is refused', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'govstack-names-'));
    mkdirSync(path.join(root, 'outside'));
    writeFileSync(path.join(root, 'outside', 'environment.yaml'), 'country: {code: XA, name: Atlantis}\nstage: sandbox\nprofile: sandbox\n');
    mkdirSync(path.join(root, 'environments'));
    symlinkSync(path.join(root, 'outside'), path.join(root, 'environments', 'linked'));
    expect(() => loadEnvironment('linked', path.join(root, 'environments'))).toThrow(ConfigError);
    expect(() => loadEnvironment('linked', path.join(root, 'environments'))).toThrow(/environment\.yaml: expected a regular file inside .*environments\/, not a link to .*outside\/environment\.yaml/);
  });
});
