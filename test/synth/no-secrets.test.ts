import * as path from 'node:path';
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
