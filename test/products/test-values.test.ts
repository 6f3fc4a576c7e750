import { evaluateTemplate, passwordLike, TestValues } from '../../src/products/test-values';
import type { Manifest } from '../../src/synth/manifest';

const object = (apiVersion: string, kind: string, name: string, spec: Record<string, unknown>): Manifest => ({ apiVersion, kind, metadata: { name, namespace: 'bb-x' }, spec });

describe('the values a product sees in the harness have the shape the cluster gives them', () => {
  it('makes passwords as External Secrets\' Password generator does: exact counts of digits and symbols, lower case only with noUpper', () => {
    const value = passwordLike({ length: 16, digits: 4, symbols: 2, symbolCharacters: '-_', noUpper: true });
    expect(value).toHaveLength(16);
    expect(value.replace(/[^0-9]/g, '')).toHaveLength(4);
    expect(value.replace(/[^-_]/g, '')).toHaveLength(2);
    expect(value).toMatch(/^[a-z0-9_-]+$/);
  });

  it('renders an ExternalSecret\'s template from its generated data, as the Secret holds only the template\'s keys', () => {
    const generator = object('generators.external-secrets.io/v1alpha1', 'Password', 'admin-generator', { length: 8, digits: 2, symbols: 0, noUpper: true });
    const from = (target: string) => ({ rewrite: [{ regexp: { source: '^password$', target } }], sourceRef: { generatorRef: { kind: 'Password', name: 'admin-generator' } } });
    const external = object('external-secrets.io/v1', 'ExternalSecret', 'admin', {
      target: { name: 'admin', template: { engineVersion: 'v2', data: { password: '{{ index . "lower" }}{{ index . "upper" | upper }}' } } },
      dataFrom: [from('lower'), from('upper')],
    });
    const password = new TestValues([generator, external], 5432).secretData('admin');
    expect(Object.keys(password)).toEqual(['password']);
    expect(password.password).toMatch(/^[a-z0-9]{8}[A-Z0-9]{8}$/);
  });

  it('refuses a template expression it cannot evaluate rather than guess', () => {
    expect(() => evaluateTemplate('{{ .password | b64enc }}', { password: 'x' }, 'admin')).toThrow('ExternalSecret admin: the harness cannot evaluate the template expression {{ .password | b64enc }}');
  });

  it('gives each CloudNativePG cluster the <name>-app Secret and the init SQL the kit asks it to run', () => {
    const config = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'db-init-sql', namespace: 'bb-x' }, data: { 'init.sql': 'CREATE TABLE t (id int);\n' } };
    const cluster = object('postgresql.cnpg.io/v1', 'Cluster', 'db', { bootstrap: { initdb: { database: 'app1', owner: 'owner1', postInitApplicationSQLRefs: { configMapRefs: [{ name: 'db-init-sql', key: 'init.sql' }] } } } });
    const values = new TestValues([config, cluster], 5432);
    expect(values.databases).toEqual([expect.objectContaining({ cluster: 'db', database: 'app1', owner: 'owner1', initSql: ['CREATE TABLE t (id int);\n'] })]);
    expect(values.secretData('db-app')).toMatchObject({ username: 'owner1', dbname: 'app1', host: 'db-rw', port: '5432' });
  });
});
