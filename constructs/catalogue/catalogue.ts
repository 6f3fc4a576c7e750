import type { BuildingBlockId, CatalogueEntry } from './types';

/** Every product the kit can deploy, one entry each (see `products/`). */
export const CATALOGUE: readonly CatalogueEntry[] = [];

export function catalogueEntry(buildingBlock: BuildingBlockId, product: string): CatalogueEntry | undefined {
  return CATALOGUE.find((entry) => entry.buildingBlock === buildingBlock && entry.product === product);
}
