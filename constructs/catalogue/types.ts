import type { Size } from '../environment/schema';

/**
 * The typed catalogue: one entry per product that can implement a GovStack building block.
 * Data describes, code decides: everything a construct needs to deploy a product lives here,
 * and adding a product is a new entry (plus, at most, a small adapter).
 */

/** GovStack building blocks the kit can deploy, by the id used in environment files. */
export const BUILDING_BLOCK_IDS = ['iam', 'identity', 'digital-registries', 'registration', 'workflow'] as const;
export type BuildingBlockId = (typeof BUILDING_BLOCK_IDS)[number];

export interface ContainerResources {
  readonly cpuRequest: string;
  readonly memoryRequest: string;
  readonly cpuLimit: string;
  readonly memoryLimit: string;
}

export interface HttpProbe {
  readonly path: string;
  readonly port: number;
}

/** An HTTP API the product exposes, registered as an X-Road service so other building blocks can call it. */
export interface ApiDescription {
  /** X-Road service code, e.g. `registry-api`. */
  readonly serviceCode: string;
  /** Where the OpenAPI 3 description is served, relative to the component's base URL, or an absolute URL. */
  readonly openApiPath: string;
  /** Path prefix of the REST service on the component, e.g. `/api/v1`. */
  readonly basePath: string;
  /** Component (container) serving it. */
  readonly component: string;
  /** Building blocks allowed to call it through the Information Mediator. */
  readonly allowedCallers: readonly (BuildingBlockId | 'e-services')[];
}

/** A secret the product needs; generated in the cluster, never written in output. */
export interface GeneratedSecret {
  /** Suffix of the Secret's name (`<product>-<suffix>`). */
  readonly name: string;
  /** Keys and how long their random values are. */
  readonly keys: readonly string[];
}

/** One environment variable of a component's contract. */
export type EnvValue =
  | { readonly value: string }
  | { readonly secret: string; readonly key: string }
  | { readonly database: 'host' | 'port' | 'dbname' | 'user' | 'password' | 'jdbc-uri' | 'uri' };

export interface ComponentEntry {
  /** Component name, e.g. `server`; the Deployment is `<product>-<component>`. */
  readonly name: string;
  readonly image: string;
  /** Numeric uid/gid: named users (`USER tomcat`) fail `runAsNonRoot` at admission. */
  readonly runAsUser: number;
  readonly runAsGroup: number;
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  readonly ports: readonly { readonly name: string; readonly port: number }[];
  /** Health endpoints: startup tolerates slow first boots; readiness and liveness differ. */
  readonly probes: { readonly startup: HttpProbe; readonly readiness: HttpProbe; readonly liveness: HttpProbe };
  readonly env: Readonly<Record<string, EnvValue>>;
  /** Paths the process writes to; each gets an emptyDir so the root filesystem stays read-only. */
  readonly writablePaths: readonly string[];
  /** False only where the product cannot run with a read-only root filesystem (declared with a reason). */
  readonly readOnlyRootFilesystem: boolean;
  readonly resources: Readonly<Record<Size, ContainerResources>>;
  /** Exposed through the gateway as `<host>.<domain>`; admin UIs go on the internal gateway only. */
  readonly exposure?: { readonly host: string; readonly port: string; readonly gateway: 'external' | 'internal' };
}

export interface CatalogueEntry {
  readonly buildingBlock: BuildingBlockId;
  readonly product: string;
  readonly displayName: string;
  /** GovStack specification version the product is meant to satisfy. */
  readonly specVersion: string;
  readonly homepage: string;
  /** Versions the kit can deploy; the components' images carry the matching tags. */
  readonly versions: readonly string[];
  readonly components: readonly ComponentEntry[];
  /** Data services the product needs, each private to the building block. */
  readonly dataServices: { readonly postgres?: { readonly database: string; readonly owner: string } };
  readonly secrets: readonly GeneratedSecret[];
  readonly apis: readonly ApiDescription[];
  /** Other building blocks this product calls (through the Information Mediator). */
  readonly calls: readonly BuildingBlockId[];
  /** `manifests`: rendered by the kit; `upstream-chart`: the product's own chart, values reviewed. */
  readonly deployment: 'manifests' | 'upstream-chart';
  /** Stages where this product may run; development-only products leave out production. */
  readonly stages: readonly ('sandbox' | 'staging' | 'production')[];
}
