import { componentPort } from '../../constructs/catalogue/addresses';
import { catalogueEntry } from '../../constructs/catalogue/catalogue';
import type { BuildingBlockId, CatalogueEntry } from '../../constructs/catalogue/types';
import type { Environment } from '../../constructs/environment/schema';
import { assembleCountry } from '../../stacks/country';
import { renderComponents } from '../synth/render';
import { kitCacheDir } from '../upstream/cache-dir';
import { DISTRIBUTIONS } from './distributions';
import { HarnessError } from './harness-error';
import { productWorkloadsOf, type StartableWorkload } from './pod-workloads';
import type { RegisteredApi } from './openapi-documents';
import { startProduct, type ProductRun } from './start-product';

export interface HarnessOptions {
  /** Only this catalogue product (`--product`). */
  readonly product?: string;
  readonly log: (line: string) => void;
  readonly keepScratch?: boolean;
}

/** A product pod the harness does not start, and why. */
export interface NotStarted {
  readonly workload: StartableWorkload;
  readonly reason: string;
}

export interface HarnessResult {
  readonly runs: readonly ProductRun[];
  readonly notStarted: readonly NotStarted[];
}

/**
 * Starts every building block product of an environment, one pod at a time (they share the pods'
 * own ports and this machine's two cores), from the objects synthesis would write, built in memory
 * so that nothing under dist/ changes.
 */
export async function runProducts(env: Environment, options: HarnessOptions): Promise<HarnessResult> {
  const manifests = renderComponents(assembleCountry(env)).flatMap((component) => component.manifests);
  const workloads = productWorkloadsOf(manifests).filter((w) => !options.product || w.product === options.product);
  if (options.product && workloads.length === 0) {
    const products = [...new Set(productWorkloadsOf(manifests).map((w) => w.product))].sort();
    throw new HarnessError(`environment ${env.name} runs no product "${options.product}" (it runs ${products.join(', ')})`);
  }
  const runs: ProductRun[] = [];
  const notStarted: NotStarted[] = [];
  for (const workload of workloads) {
    const distribution = DISTRIBUTIONS.get(workload.product);
    const selection = env.buildingBlocks[workload.buildingBlock as keyof Environment['buildingBlocks']] as { version?: string } | undefined;
    const version = selection?.version;
    if (!distribution) {
      const verification = catalogueEntry(workload.buildingBlock as BuildingBlockId, workload.product, version ?? '')?.verification;
      notStarted.push({ workload, reason: verification?.level === 'harness-unavailable' ? verification.reason : `no distribution of ${workload.product} ${version} in src/products/distributions` });
      continue;
    }
    if (version !== undefined && version !== distribution.version) {
      notStarted.push({ workload, reason: `the harness has ${workload.product} ${distribution.version}; environment ${env.name} pins ${version}` });
      continue;
    }
    options.log(`${workload.buildingBlock}/${workload.product}: starting ${workload.workload}`);
    const entry = catalogueEntry(workload.buildingBlock as BuildingBlockId, workload.product, version ?? distribution.version);
    const apis = entry ? documentedApisOf(entry, workload.component) : [];
    runs.push(await startProduct(workload, distribution, { cacheDir: kitCacheDir('products'), log: options.log, settings: (selection ?? {}) as Record<string, unknown>, keepScratch: options.keepScratch, apis }));
  }
  return { runs, notStarted };
}

/** The APIs a component registers with X-Road from an OpenAPI document, which its pod must serve. */
function documentedApisOf(entry: CatalogueEntry, component: string): RegisteredApi[] {
  return entry.apis.flatMap((api) =>
    api.component === component && api.openApiPath !== undefined ? [{ serviceCode: api.serviceCode, openApiPath: api.openApiPath, port: componentPort(entry, component) }] : [],
  );
}
