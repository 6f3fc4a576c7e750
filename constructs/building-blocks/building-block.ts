import { Construct } from 'constructs';
import { namespaceBaseline } from '../baseline/namespace-sizing';
import { SecureNamespace } from '../baseline/secure-namespace';
import type { CatalogueEntry } from '../catalogue/types';
import { GeneratedSecret } from '../data/generated-secret';
import { PostgresCluster } from '../data/postgres-cluster';
import { Valkey, ValkeyPassword } from '../data/valkey';
import type { BuildingBlockSelection, Environment } from '../environment/schema';
import { XRoadClientCertificate } from '../information-mediator/client-certificate';
import { buildingBlockNamespace, providerMember, xroadClientNamespaceLabels } from '../information-mediator/contract';
import { productSecretName, type EnvSources } from './env-vars';
import { productLabels } from './labels';
import { buildingBlockFootprint } from './namespace-quota';
import { ProductNetworkPolicies } from './network-policies';
import { productContext } from './product-context';
import { ProductWorkload } from './product-workload';
import { ProvidedSecretCopy } from './provided-secret';
import { SharedVolumeClaims } from './shared-volumes';
import { UpstreamProduct } from './upstream-product';
import { resilience } from '../environment/resilience';

export interface BuildingBlockProps {
  readonly env: Pick<Environment, 'buildingBlocks' | 'cluster' | 'country' | 'domain' | 'ha' | 'name' | 'platform' | 'registry' | 'stage' | 'xroad'>;
  /** The catalogue entry of the product the environment chose. */
  readonly entry: CatalogueEntry;
  readonly selection: BuildingBlockSelection;
  /**
   * Retired (`enabled: false` in the environment): nothing runs, but everything that keeps data
   * stays exactly as it was: the namespace with its baseline, the PostgreSQL cluster with its
   * backups, and the generated secrets. Workloads, routes, the cache and the product's traffic
   * rules go; the claims of its StatefulSets stay in the namespace (their retention policy is Retain).
   * @default false
   */
  readonly retired?: boolean;
}

/**
 * One GovStack building block, deployed as the product its catalogue entry describes, alone in its
 * own namespace (GovStack: no databases or file systems shared between building blocks): the secure
 * namespace with a quota sized from what runs there, the product's private PostgreSQL and cache, its
 * generated secrets, its workloads, and the NetworkPolicies that let in only its security server,
 * its gateways and its own pods. Its APIs are the entry's `apis`, which the Information Mediator
 * registers as X-Road services. A retired building block keeps only what holds data (`retired`).
 */
export class BuildingBlock extends Construct {
  readonly namespace: string;
  readonly retired: boolean;
  readonly workloads: readonly ProductWorkload[];
  readonly postgres?: PostgresCluster;

  constructor(scope: Construct, id: string, props: BuildingBlockProps) {
    super(scope, id);
    const { env, entry, selection } = props;
    this.namespace = buildingBlockNamespace(entry.buildingBlock);
    this.retired = props.retired ?? false;
    if (entry.deployment.kind === 'upstream-chart') {
      // The product's charts keep no data at the kit's values: retired, only the namespace stays.
      if (this.retired) {
        new SecureNamespace(this, 'Namespace', { name: this.namespace, ...namespaceBaseline(env, entry.deployment.quota[selection.size]) });
      } else {
        new UpstreamProduct(this, 'Upstream', { env, entry, size: selection.size, ctx: productContext(env, entry, selection) });
      }
      this.workloads = [];
      return;
    }

    // The namespace first: the data services add the labels they need to it (backup credentials).
    // Building blocks call each other as subsystems of the provider member, through its security server;
    // a retired one calls nothing. Its quota stays: it still covers the claims and the database.
    const postgresNeed = entry.dataServices.postgres;
    const namespace = new SecureNamespace(this, 'Namespace', {
      name: this.namespace,
      ...namespaceBaseline(env, buildingBlockFootprint(env, entry, selection.size, postgresNeed ? resilience(env).databaseInstances : 0)),
      labels: this.retired ? undefined : xroadClientNamespaceLabels(providerMember(env)),
    });
    const postgres = postgresNeed
      ? new PostgresCluster(this, 'Postgres', {
          env,
          name: `${entry.product}-db`,
          namespace,
          database: postgresNeed.database,
          owner: postgresNeed.owner,
          storageSize: postgresNeed.storage[selection.size],
          resources: postgresNeed.resources[selection.size],
          initSql: postgresNeed.initSql?.(postgresNeed.owner),
          documentdb: postgresNeed.documentdb !== undefined,
          clientPodLabels: productLabels(entry),
          acceptsClients: !this.retired,
        })
      : undefined;
    this.postgres = postgres;
    const cacheNeed = entry.dataServices.cache;
    const cacheName = `${entry.product}-cache`;
    const cache =
      cacheNeed && !this.retired
        ? new Valkey(this, 'Cache', {
            env,
            name: cacheName,
            namespace: this.namespace,
            resources: cacheNeed.resources[selection.size],
            clientPodLabels: productLabels(entry),
            holds: cacheNeed.holds,
          })
        : undefined;
    // The cache keeps nothing on disk, so a retired building block runs none; its generated password stays.
    if (cacheNeed && this.retired) new ValkeyPassword(this, 'CachePassword', { valkey: cacheName, namespace: this.namespace });
    for (const secret of entry.secrets) {
      new GeneratedSecret(this, `Secret-${secret.name}`, {
        name: productSecretName(entry, secret.name),
        namespace: this.namespace,
        keys: secret.keys,
        neverRotate: secret.neverRotate,
        passwordPolicy: secret.passwordPolicy,
      });
    }
    // Like the generated secrets, the copies of what the country provides stay while the building block is retired.
    for (const secret of entry.providedSecrets ?? []) {
      new ProvidedSecretCopy(this, `Provided-${secret.name}`, { name: productSecretName(entry, secret.name), namespace: this.namespace, secret });
    }
    // Files the replicas share are data: their claims stay while the building block is retired.
    new SharedVolumeClaims(this, 'SharedVolumes', { env, entry, size: selection.size, namespace: this.namespace });
    if (this.retired) {
      this.workloads = [];
      return;
    }
    // Its own subsystem's client certificate: the only way it is let through the security server.
    new XRoadClientCertificate(this, 'XRoadClientCertificate', { env, caller: entry.buildingBlock });

    const ctx = productContext(env, entry, selection, postgres && postgresNeed ? { host: postgres.host, port: postgres.port, name: postgresNeed.database } : undefined);
    const sources: EnvSources = {
      env,
      entry,
      database:
        postgres && postgresNeed
          ? { secret: postgres.appSecretName, host: postgres.host, port: postgres.port, name: postgresNeed.database, user: postgresNeed.owner }
          : undefined,
      cache: cache ? { host: cache.host, port: cache.port, passwordSecret: cache.passwordSecret } : undefined,
    };
    this.workloads = entry.components.map(
      (component) => new ProductWorkload(this, component.name, { env, entry, component, size: selection.size, ctx, sources }),
    );
    new ProductNetworkPolicies(this, 'NetworkPolicies', {
      env,
      entry,
      namespace: this.namespace,
      dataServices: [
        ...(postgres ? [{ podLabels: postgres.podLabels, port: postgres.port }] : []),
        ...(cache ? [{ podLabels: cache.podLabels, port: cache.port }] : []),
      ],
    });
  }
}

