import { k8s } from 'cdk8s-plus-28';
import { catalogueEntry } from '../catalogue/catalogue';
import type { BuildingBlockId, CatalogueEntry, EnvValue } from '../catalogue/types';
import type { Environment } from '../environment/schema';
import { buildingBlockServiceEndpoint } from '../information-mediator/contract';

/** The data services and secrets a product's environment variables may refer to, by the names the cluster uses. */
export interface EnvSources {
  readonly env: Environment;
  readonly entry: CatalogueEntry;
  /** Secret holding the operator-generated PostgreSQL credentials (`<cluster>-app`). */
  readonly databaseSecret?: string;
  readonly cache?: { readonly host: string; readonly port: number; readonly passwordSecret: { readonly name: string; readonly key: string } };
}

/** Name of the Secret holding one of the product's generated secrets. */
export function productSecretName(entry: CatalogueEntry, secret: string): string {
  return `${entry.product}-${secret}`;
}

/**
 * Turns an entry's env contract into container env vars: literals stay literals, everything secret
 * becomes a `secretKeyRef` by name, and calls to other building blocks become the X-Road URL and
 * client header from the Information Mediator's contract, never a hand-written string.
 */
export function resolveEnv(values: Readonly<Record<string, EnvValue>>, sources: EnvSources): k8s.EnvVar[] {
  return Object.entries(values).flatMap(([name, value]) => {
    const resolved = resolveValue(name, value, sources);
    return resolved === undefined ? [] : [{ name, ...resolved }];
  });
}

function resolveValue(name: string, value: EnvValue, sources: EnvSources): Omit<k8s.EnvVar, 'name'> | undefined {
  const { entry } = sources;
  const secretRef = (secret: string, key: string) => ({ valueFrom: { secretKeyRef: { name: secret, key } } });
  if (typeof value === 'string') return { value };
  if ('secret' in value) {
    const declared = entry.secrets.find((secret) => secret.name === value.secret);
    if (!declared?.keys.includes(value.key)) {
      throw new Error(`${entry.product}: env ${name} refers to secret ${value.secret}/${value.key}, which the entry does not declare`);
    }
    return secretRef(productSecretName(entry, value.secret), value.key);
  }
  if ('database' in value) {
    if (!sources.databaseSecret) throw new Error(`${entry.product}: env ${name} needs a database the entry does not declare`);
    return secretRef(sources.databaseSecret, value.database);
  }
  if ('cache' in value) {
    if (!sources.cache) throw new Error(`${entry.product}: env ${name} needs a cache the entry does not declare`);
    if (value.cache === 'password') return secretRef(sources.cache.passwordSecret.name, sources.cache.passwordSecret.key);
    return { value: value.cache === 'host' ? sources.cache.host : String(sources.cache.port) };
  }
  if ('pod' in value) return { valueFrom: { fieldRef: { fieldPath: value.pod } } };
  return resolveCall(name, value.call, sources);
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
