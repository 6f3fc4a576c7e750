import type { Environment } from '../environment/schema';
import { sharedStorageClass } from '../platform/contract';
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
    const at = (field: string) => ['buildingBlocks', id, field];
    if (!(BUILDING_BLOCK_IDS as readonly string[]).includes(id)) {
      problems.push({ path: ['buildingBlocks', id], message: `a building block the kit knows: ${BUILDING_BLOCK_IDS.join(', ')}` });
      continue;
    }
    const forBlock = CATALOGUE.filter((entry) => entry.buildingBlock === (id as BuildingBlockId));
    const versions = forBlock.filter((entry) => entry.product === selection.product);
    if (versions.length === 0) {
      const valid = [...new Set(forBlock.map((entry) => entry.product))].join(', ') || 'none yet';
      problems.push({ path: at('product'), message: `a product the catalogue has for ${id}: ${valid}` });
      continue;
    }
    const entry = versions.find((candidate) => candidate.version === selection.version);
    if (!entry) {
      problems.push({ path: at('version'), message: `a version of ${selection.product} the catalogue has: ${versions.map((v) => v.version).join(', ')}` });
      continue;
    }
    if (selection.enabled && !entry.stages.includes(env.stage)) {
      const others = forBlock.filter((candidate) => candidate.stages.includes(env.stage)).map((candidate) => candidate.product);
      problems.push({
        path: at('product'),
        message: `a product allowed in stage ${env.stage} (${[...new Set(others)].join(', ') || 'none'}); ${entry.product} is for ${entry.stages.join(', ')} only`,
      });
    }
    // Production runs no single replica but a declared singleton: files every replica shares need a class that can share them.
    const sharing = entry.components.filter((component) => Object.values(component.volumes ?? {}).some((volume) => 'shared' in volume));
    if (selection.enabled && env.stage === 'production' && sharing.length > 0 && !sharedStorageClass(env)) {
      problems.push({
        path: ['cluster', 'storageClasses', 'shared'],
        message: `a ReadWriteMany storage class (or platform.storage: longhorn, whose data class is one): ${entry.product} ${sharing.map((c) => c.name).join(', ')} keeps files all its replicas share, and production runs it on more than one node`,
      });
    }
    const signsIn = entry.components.find((component) => component.usesIam);
    if (selection.enabled && signsIn && !env.buildingBlocks.iam?.enabled) {
      problems.push({ path: ['buildingBlocks', 'iam', 'enabled'], message: `true: ${id} (${entry.product}) signs in through the IAM building block (${signsIn.usesIam})` });
    }
    if (selection.realms && !entry.acceptsRealms) {
      problems.push({ path: at('realms'), message: `no realms: ${entry.product} does not import realms (only identity providers such as keycloak do)` });
    }
  }
  return problems;
}
