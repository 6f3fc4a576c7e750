import type { App } from 'cdk8s';
import type { Environment } from '../constructs/environment/schema';

/** The building-blocks layer: one chart per enabled building block, each in its own namespace. */
export function addBuildingBlockCharts(_app: App, _env: Environment): void {
  // Filled in from the catalogue.
}
