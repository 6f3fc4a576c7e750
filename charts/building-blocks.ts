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
export function addBuildingBlockCharts(app: App, env: Environment): void {
  for (const { entry, selection, retired } of deployedBuildingBlocks(env)) {
    const namespace = buildingBlockNamespace(entry.buildingBlock);
    const chart = new KitChart(app, { layer: 'building-blocks', component: namespace, releaseNamespace: namespace });
    new BuildingBlock(chart, entry.buildingBlock, { env, entry, selection, retired });
  }
}
