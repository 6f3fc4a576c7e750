import { randomInt } from 'node:crypto';
import type { Manifest } from '../synth/manifest';
import { HarnessError } from './harness-error';
import { isCloudNativePgCluster } from '../../constructs/data/cloudnative-pg';

/** External Secrets' Password generator defaults (generators.external-secrets.io/v1alpha1, Password). */
const DEFAULT_SYMBOLS = '~!@#$%^&*()_+`-={}|[]\\:"<>?,./';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = LOWER.toUpperCase();
const DIGITS = '0123456789';

interface PasswordSpec {
  readonly length?: number;
  readonly digits?: number;
  readonly symbols?: number;
  readonly symbolCharacters?: string;
  readonly noUpper?: boolean;
}

/**
 * A password of the shape External Secrets' Password generator gives the cluster: exactly `digits`
 * digits and `symbols` symbols among `length` characters, the rest letters. The harness must start a
 * product with passwords of that shape, or it would miss a product whose password policy refuses them.
 */
export function passwordLike(spec: PasswordSpec): string {
  const length = spec.length ?? 24;
  const digits = spec.digits ?? Math.floor(length / 4);
  const symbols = spec.symbols ?? Math.floor(length / 4);
  const letters = spec.noUpper ? LOWER : LOWER + UPPER;
  const pick = (alphabet: string) => alphabet[randomInt(alphabet.length)];
  const chars = [
    ...Array.from({ length: digits }, () => pick(DIGITS)),
    ...Array.from({ length: symbols }, () => pick(spec.symbolCharacters ?? DEFAULT_SYMBOLS)),
    ...Array.from({ length: Math.max(0, length - digits - symbols) }, () => pick(letters)),
  ];
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join('');
}

/** A database the pod's namespace declares (a CloudNativePG Cluster), as the harness sets it up locally. */
export interface TestDatabase {
  readonly cluster: string;
  readonly database: string;
  readonly owner: string;
  readonly password: string;
  /** The kit's init SQL (postInitApplicationSQLRefs), run in the database as the superuser, like CloudNativePG. */
  readonly initSql: readonly string[];
}

/**
 * The values a pod's Secrets and ConfigMaps hold in the cluster, made up for one harness run: the
 * kit's own Secrets and ConfigMaps as synthesised, External Secrets generated in the generator's shape,
 * and each CloudNativePG Cluster's `<name>-app` Secret for a local database. Test values only: they
 * live in the run's scratch folder and the processes' environment, never in the repository or dist/.
 */
export class TestValues {
  private readonly secrets = new Map<string, Record<string, string>>();
  private readonly configMaps = new Map<string, Record<string, string>>();
  readonly databases: TestDatabase[] = [];

  constructor(neighbours: readonly Manifest[], databasePort: number) {
    const byKind = (kind: string) => neighbours.filter((m) => m.kind === kind);
    for (const map of byKind('ConfigMap')) this.configMaps.set(map.metadata.name, { ...((map.data as Record<string, string>) ?? {}) });
    for (const secret of byKind('Secret')) {
      const data = Object.fromEntries(Object.entries((secret.data as Record<string, string>) ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
      this.secrets.set(secret.metadata.name, { ...data, ...((secret.stringData as Record<string, string>) ?? {}) });
    }
    const generators = new Map(byKind('Password').map((g) => [g.metadata.name, (g.spec ?? {}) as PasswordSpec]));
    for (const external of byKind('ExternalSecret')) this.secrets.set(targetName(external), externalSecretValues(external, generators));
    for (const cluster of byKind('Cluster').filter(isCloudNativePgCluster)) {
      const initdb = ((cluster.spec as { bootstrap?: { initdb?: Record<string, any> } })?.bootstrap?.initdb ?? {}) as Record<string, any>;
      const database = initdb.database ?? 'app';
      const owner = initdb.owner ?? database;
      const password = passwordLike({ length: 64, digits: 16, symbols: 0 });
      const refs: { name: string; key: string }[] = initdb.postInitApplicationSQLRefs?.configMapRefs ?? [];
      const initSql = [...(initdb.postInitApplicationSQL ?? []), ...refs.map((ref) => this.configMapValue(ref.name, ref.key))];
      this.databases.push({ cluster: cluster.metadata.name, database, owner, password, initSql });
      const host = `${cluster.metadata.name}-rw`;
      // The keys CloudNativePG writes into `<cluster>-app` (docs: "Connecting from an application").
      this.secrets.set(`${cluster.metadata.name}-app`, {
        username: owner,
        user: owner,
        password,
        dbname: database,
        host,
        port: String(databasePort),
        uri: `postgresql://${owner}:${encodeURIComponent(password)}@${host}:${databasePort}/${database}`,
        'jdbc-uri': `jdbc:postgresql://${host}:${databasePort}/${database}?password=${encodeURIComponent(password)}&user=${owner}`,
        pgpass: `${host}:${databasePort}:${database}:${owner}:${password}\n`,
      });
    }
  }

  secretValue(name: string, key: string): string {
    const value = this.secrets.get(name)?.[key];
    if (value === undefined) throw new HarnessError(`Secret ${name} has no key "${key}" that anything in the namespace creates (${this.describe(this.secrets.get(name))})`);
    return value;
  }

  configMapValue(name: string, key: string): string {
    const value = this.configMaps.get(name)?.[key];
    if (value === undefined) throw new HarnessError(`ConfigMap ${name} has no key "${key}" that anything in the namespace creates (${this.describe(this.configMaps.get(name))})`);
    return value;
  }

  secretData(name: string): Record<string, string> {
    const data = this.secrets.get(name);
    if (!data) throw new HarnessError(`Secret ${name} is mounted but nothing in the namespace creates it`);
    return data;
  }

  configMapData(name: string): Record<string, string> {
    const data = this.configMaps.get(name);
    if (!data) throw new HarnessError(`ConfigMap ${name} is mounted but nothing in the namespace creates it`);
    return data;
  }

  private describe(data: Record<string, string> | undefined): string {
    return data ? `it has ${Object.keys(data).join(', ') || 'no keys'}` : 'no such object';
  }
}

function targetName(external: Manifest): string {
  return (external.spec as { target?: { name?: string } })?.target?.name ?? external.metadata.name;
}

/** The keys an ExternalSecret writes: generator output renamed by its rewrites, or one value per remote key. */
function externalSecretValues(external: Manifest, generators: ReadonlyMap<string, PasswordSpec>): Record<string, string> {
  const spec = (external.spec ?? {}) as { data?: { secretKey: string }[]; dataFrom?: Record<string, any>[] };
  const values: Record<string, string> = {};
  for (const entry of spec.data ?? []) values[entry.secretKey] = passwordLike({ length: 32, digits: 8, symbols: 0 });
  for (const from of spec.dataFrom ?? []) {
    const generator = from.sourceRef?.generatorRef;
    if (generator?.kind !== 'Password') continue;
    const generated: Record<string, string> = { password: passwordLike(generators.get(generator.name) ?? {}) };
    for (const rewrite of from.rewrite ?? []) {
      const source = new RegExp(rewrite.regexp?.source ?? '^$');
      for (const key of Object.keys(generated)) {
        if (!source.test(key)) continue;
        generated[key.replace(source, rewrite.regexp.target)] = generated[key];
        if (key.replace(source, rewrite.regexp.target) !== key) delete generated[key];
      }
    }
    Object.assign(values, generated);
  }
  const template = (external.spec as { target?: { template?: { data?: Record<string, string> } } })?.target?.template?.data;
  // With a template, the Secret holds the template's keys only (External Secrets' default merge policy, Replace).
  return template ? Object.fromEntries(Object.entries(template).map(([key, text]) => [key, evaluateTemplate(text, values, external.metadata.name)])) : values;
}

/**
 * The part of External Secrets' template engine (v2, Go templates with Sprig) the kit uses:
 * `{{ index . "key" }}`, optionally piped through `upper` or `lower`. Anything else is refused, so a
 * new template form is never silently given a wrong value.
 */
export function evaluateTemplate(text: string, data: Readonly<Record<string, string>>, secret: string): string {
  return text.replace(/\{\{(.*?)\}\}/g, (_, expression: string) => {
    const match = /^\s*index \. "([^"]+)"\s*((?:\|\s*(?:upper|lower)\s*)*)$/.exec(expression);
    if (!match) throw new HarnessError(`ExternalSecret ${secret}: the harness cannot evaluate the template expression {{${expression}}}`);
    let value = data[match[1]];
    if (value === undefined) throw new HarnessError(`ExternalSecret ${secret}: its template reads "${match[1]}", which its data does not have`);
    for (const filter of match[2].split('|').map((f) => f.trim()).filter(Boolean)) value = filter === 'upper' ? value.toUpperCase() : value.toLowerCase();
    return value;
  });
}
