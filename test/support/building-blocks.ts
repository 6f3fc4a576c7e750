import { loadEnvironment } from '../../constructs/environment/load';
import type { BuildingBlockSelection, Environment, Stage } from '../../constructs/environment/schema';
import type { CatalogueEntry } from '../../constructs/catalogue/types';
import { buildingBlockNamespace } from '../../constructs/information-mediator/contract';
import type { Manifest } from '../../src/synth/manifest';
import { renderComponents } from '../../src/synth/render';
import { assembleCountry } from '../../stacks/country';

/** A shipped environment of each stage, to place a product in. */
const SHIPPED_BY_STAGE: Readonly<Record<Stage, string>> = {
  sandbox: 'sandbox',
  staging: 'marenland-staging',
  production: 'veloria-production',
};

export function shippedEnvironmentOfStage(stage: Stage): Environment {
  return loadEnvironment(SHIPPED_BY_STAGE[stage]);
}

/** The shipped environment of `stage` running `entry` (and nothing else) for its building block. */
export function environmentRunning(entry: CatalogueEntry, stage: Stage, size: BuildingBlockSelection['size'] = 'small'): Environment {
  const base = shippedEnvironmentOfStage(stage);
  const selection: BuildingBlockSelection = {
    enabled: true,
    product: entry.product,
    version: entry.version,
    size,
    ...(entry.acceptsRealms ? { realms: [{ name: 'test', displayName: 'Test realm' }] } : {}),
  };
  return { ...base, buildingBlocks: { ...base.buildingBlocks, [entry.buildingBlock]: selection } };
}

/** The manifests of every building-block component of an environment, or of one building block. */
export function buildingBlockManifests(env: Environment, buildingBlock?: string): Manifest[] {
  const components = renderComponents(assembleCountry(env)).filter((component) => component.layer === 'building-blocks');
  return components
    .filter((component) => !buildingBlock || component.component === buildingBlockNamespace(buildingBlock))
    .flatMap((component) => [...component.manifests]);
}
