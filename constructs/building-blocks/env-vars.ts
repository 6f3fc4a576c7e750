import { k8s } from 'cdk8s-plus-28';
import { catalogueEntry } from '../catalogue/catalogue';
import { componentServiceUrl } from '../catalogue/addresses';
import type { BuildingBlockId, CatalogueEntry, EnvValue, SecretValue } from '../catalogue/types';
import type { Environment } from '../environment/schema';
import { buildingBlockServiceEndpoint } from '../information-mediator/contract';
import type { SecretFiles } from '../baseline/secret-files';

/** The data services and secrets a product's environment variables may refer to, by the names the cluster uses. */
export interface EnvSources {
  readonly env: Pick<Environment, 'buildingBlocks' | 'name' | 'xroad'>;
  readonly entry: CatalogueEntry;
  /** The product's PostgreSQL: where it is, whom it connects as, and the Secret with the operator-generated credentials (`<cluster>-app`). */
  readonly database?: { readonly secret: string; readonly host: string; readonly port: number; readonly name: string; readonly user: string };
  readonly cache?: { readonly host: string; readonly port: number; readonly passwordSecret: { readonly name: string; readonly key: string } };
}

/** Name of the Secret holding one of the product's generated secrets. */
export function productSecretName(entry: CatalogueEntry, secret: string): string {
  return `${entry.product}-${secret}`;
}

/**
 * Turns an entry's env contract into container env vars: literals stay literals, a secret value
 * becomes a `secretKeyRef` by name or, asked for as a file, the path where its Secret is mounted
 * (recorded in `files`), and calls to other building blocks become the X-Road URL and client
 * header from the Information Mediator's contract, never a hand-written string.
 */
export function resolveEnv(values: Readonly<Record<string, EnvValue>>, sources: EnvSources, files: SecretFiles): k8s.EnvVar[] {
  return Object.entries(values).flatMap(([name, value]) => {
    const resolved = resolveValue(name, value, sources, files);
    return resolved === undefined ? [] : [{ name, ...resolved }];
  });
}

function resolveValue(name: string, value: EnvValue, sources: EnvSources, files: SecretFiles): Omit<k8s.EnvVar, 'name'> | undefined {
  const { entry } = sources;
  if (typeof value === 'string') return { value };
  if (isSecretValue(value)) {
    const { secret, key } = secretKey(name, value, sources);
    return { valueFrom: { secretKeyRef: { name: secret, key } } };
  }
  if ('file' in value) {
    const { secret, key } = secretKey(name, value.file, sources);
    return { value: files.path(secret, key) };
  }
  if ('database' in value) {
    const database = sources.database;
    if (!database) throw new Error(`${entry.product}: env ${name} needs a database the entry does not declare`);
    return { value: { host: database.host, port: String(database.port), dbname: database.name, username: database.user }[value.database] };
  }
  if ('cache' in value) {
    if (!sources.cache) throw new Error(`${entry.product}: env ${name} needs a cache the entry does not declare`);
    return { value: value.cache === 'host' ? sources.cache.host : String(sources.cache.port) };
  }
  if ('pod' in value) return { valueFrom: { fieldRef: { fieldPath: value.pod } } };
  if ('iam' in value) return resolveIam(name, sources);
  return resolveCall(name, value.call, sources);
}

const NOT_SECRET_DATABASE_FIELDS: readonly string[] = ['host', 'port', 'dbname', 'username'];

function isSecretValue(value: Exclude<EnvValue, string>): value is SecretValue {
  if ('secret' in value) return true;
  if ('database' in value) return !NOT_SECRET_DATABASE_FIELDS.includes(value.database);
  return 'cache' in value && value.cache === 'password';
}

/** The Secret and key holding a secret value. */
function secretKey(name: string, value: SecretValue, sources: EnvSources): { readonly secret: string; readonly key: string } {
  const { entry } = sources;
  if ('secret' in value) {
    const declared = [...entry.secrets, ...(entry.providedSecrets ?? [])].find((secret) => secret.name === value.secret);
    if (!declared?.keys.includes(value.key)) {
      throw new Error(`${entry.product}: env ${name} refers to secret ${value.secret}/${value.key}, which the entry does not declare`);
    }
    return { secret: productSecretName(entry, value.secret), key: value.key };
  }
  if ('database' in value) {
    if (!sources.database) throw new Error(`${entry.product}: env ${name} needs a database the entry does not declare`);
    return { secret: sources.database.secret, key: value.database };
  }
  if (!sources.cache) throw new Error(`${entry.product}: env ${name} needs a cache the entry does not declare`);
  return { secret: sources.cache.passwordSecret.name, key: sources.cache.passwordSecret.key };
}

/** The IAM building block's server inside the cluster: its first component's Service. */
export function iamServerUrl(env: Pick<Environment, 'buildingBlocks'>): string | undefined {
  const selection = env.buildingBlocks.iam;
  if (!selection?.enabled) return undefined;
  const provider = catalogueEntry('iam', selection.product, selection.version);
  const server = provider?.components[0];
  return provider && server ? componentServiceUrl(provider, server.name) : undefined;
}

function resolveIam(name: string, sources: EnvSources): Omit<k8s.EnvVar, 'name'> | undefined {
  if (!sources.entry.components.some((component) => component.usesIam)) {
    throw new Error(`${sources.entry.product}: env ${name} reaches the IAM building block, which no component's "usesIam" declares`);
  }
  const url = iamServerUrl(sources.env);
  return url === undefined ? undefined : { value: url };
}

function resolveCall(name: string, call: Extract<EnvValue, { call: unknown }>['call'], sources: EnvSources): Omit<k8s.EnvVar, 'name'> | undefined {
  const { env, entry } = sources;
  if (!entry.calls.includes(call.buildingBlock)) {
    throw new Error(`${entry.product}: env ${name} calls ${call.buildingBlock}, which the entry's "calls" does not list`);
  }
  const selection = env.buildingBlocks[call.buildingBlock];
  if (!selection?.enabled) return undefined;
  const provider = catalogueEntry(call.buildingBlock as BuildingBlockId, selection.product, selection.version);
  const serviceCode = call.serviceCode ?? provider?.apis[0]?.serviceCode;
  if (!serviceCode) return undefined;
  const endpoint = buildingBlockServiceEndpoint(env, entry.buildingBlock, call.buildingBlock, serviceCode);
  return { value: call.part === 'url' ? endpoint.url : endpoint.xroadClient };
}
