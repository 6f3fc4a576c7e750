import type { Environment } from '../environment/schema';
import { CATALOGUE } from './catalogue';
import { BUILDING_BLOCK_IDS, type BuildingBlockId } from './types';

export interface ChoiceProblem {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/**
 * Checks each building block an environment selects against the catalogue, naming the valid
 * choices in every message: a ministry engineer should not need to read our source to fix a typo.
 */
export function validateBuildingBlockChoices(env: Omit<Environment, 'name'>): ChoiceProblem[] {
  const problems: ChoiceProblem[] = [];
  for (const [id, selection] of Object.entries(env.buildingBlocks)) {
    if (!(BUILDING_BLOCK_IDS as readonly string[]).includes(id)) {
      problems.push({ path: ['buildingBlocks', id], message: `a building block the kit knows: ${BUILDING_BLOCK_IDS.join(', ')}` });
      continue;
    }
    const products = CATALOGUE.filter((entry) => entry.buildingBlock === (id as BuildingBlockId));
    const entry = products.find((candidate) => candidate.product === selection.product);
    if (!entry) {
      const valid = products.map((p) => p.product).join(', ') || 'none yet';
      problems.push({ path: ['buildingBlocks', id, 'product'], message: `a product the catalogue has for ${id}: ${valid}` });
      continue;
    }
    if (!entry.versions.includes(selection.version)) {
      problems.push({
        path: ['buildingBlocks', id, 'version'],
        message: `a version of ${entry.product} the catalogue has: ${entry.versions.join(', ')}`,
      });
    }
    if (selection.enabled && !entry.stages.includes(env.stage)) {
      problems.push({
        path: ['buildingBlocks', id, 'product'],
        message: `a product allowed in stage ${env.stage}; ${entry.product} is for ${entry.stages.join(', ')} only`,
      });
    }
  }
  return problems;
}
