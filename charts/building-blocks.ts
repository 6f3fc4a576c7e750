import type { App } from 'cdk8s';
import { BuildingBlock } from '../constructs/building-blocks/building-block';
import { deployedBuildingBlocks } from '../constructs/building-blocks/lifecycle';
import type { Environment } from '../constructs/environment/schema';
import { buildingBlockNamespace } from '../constructs/information-mediator/contract';
import { KitChart } from './kit-chart';

/**
 * The building-blocks layer: one chart (and Helm release) per building block, each in its own
 * namespace; a retired building block keeps its chart, with only what keeps data left in it.
 */
export function addBuildingBlockCharts(app: App, env: Pick<Environment, 'buildingBlocks' | 'cluster' | 'country' | 'domain' | 'ha' | 'name' | 'platform' | 'registry' | 'stage' | 'xroad'>): void {
  for (const { entry, selection, retired } of deployedBuildingBlocks(env)) {
    const namespace = buildingBlockNamespace(entry.buildingBlock);
    // A product that needs what the country puts in the secret store starts only once it is there:
    // Helm must not roll back a correct install while the operator provisions it.
    const waitUntilReady = (entry.providedSecrets ?? []).length === 0;
    const chart = new KitChart(app, { layer: 'building-blocks', component: namespace, releaseNamespace: namespace, waitUntilReady });
    new BuildingBlock(chart, entry.buildingBlock, { env, entry, selection, retired });
  }
}
