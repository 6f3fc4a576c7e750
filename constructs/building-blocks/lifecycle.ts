import { catalogueEntry } from '../catalogue/catalogue';
import type { BuildingBlockId, CatalogueEntry } from '../catalogue/types';
import type { BuildingBlockSelection, Environment } from '../environment/schema';

/**
 * What an environment does with a building block it lists:
 * - `running`: everything the product needs;
 * - `retired` (`enabled: false`): nothing runs, but its namespace, databases (still backed up) and
 *   generated secrets stay, so turning a building block off never deletes data;
 * - `decommissioned` (`enabled: false` with `decommission: true`): it leaves the output entirely;
 *   Terraform forgets its namespace and release without deleting them, and the operator removes the
 *   data by hand (README).
 */
export type BuildingBlockState = 'running' | 'retired' | 'decommissioned';

export function buildingBlockState(selection: BuildingBlockSelection): BuildingBlockState {
  if (selection.enabled) return 'running';
  return selection.decommission ? 'decommissioned' : 'retired';
}

export interface DeployedBuildingBlock {
  readonly entry: CatalogueEntry;
  readonly selection: BuildingBlockSelection;
  readonly retired: boolean;
}

/** The building blocks an environment deploys, running or retired, by id; assumes the environment was validated. */
export function deployedBuildingBlocks(env: Pick<Environment, 'buildingBlocks'>): readonly DeployedBuildingBlock[] {
  return Object.entries(env.buildingBlocks)
    .filter(([, selection]) => buildingBlockState(selection) !== 'decommissioned')
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([id, selection]) => {
      const entry = catalogueEntry(id as BuildingBlockId, selection.product, selection.version);
      if (!entry) throw new Error(`building block ${id}: ${selection.product} ${selection.version} is not in the catalogue`);
      return { entry, selection, retired: buildingBlockState(selection) === 'retired' };
    });
}

/** Ids of the building blocks the environment decommissions, sorted. */
export function decommissionedBuildingBlocks(env: Pick<Environment, 'buildingBlocks'>): readonly string[] {
  return Object.entries(env.buildingBlocks)
    .filter(([, selection]) => buildingBlockState(selection) === 'decommissioned')
    .map(([id]) => id)
    .sort();
}
