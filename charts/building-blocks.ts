import type { App } from 'cdk8s';
import { BuildingBlock } from '../constructs/building-blocks/building-block';
import { enabledEntries } from '../constructs/catalogue/catalogue';
import type { Environment } from '../constructs/environment/schema';
import { SecureNamespace } from '../constructs/baseline/secure-namespace';
import { buildingBlockNamespace, providerMember, xroadClientNamespaceLabels } from '../constructs/information-mediator/contract';
import { KitChart } from './kit-chart';

/** The building-blocks layer: one chart (and Helm release) per enabled building block, each in its own namespace. */
export function addBuildingBlockCharts(app: App, env: Environment): void {
  for (const entry of enabledEntries(env)) {
    const namespace = buildingBlockNamespace(entry.buildingBlock);
    const chart = new KitChart(app, { layer: 'building-blocks', component: namespace, releaseNamespace: namespace });
    new BuildingBlock(chart, entry.buildingBlock, { env, entry, selection: env.buildingBlocks[entry.buildingBlock] });
    // Building blocks call each other as subsystems of the provider member, through its security server.
    SecureNamespace.named(chart, namespace)?.addLabels(xroadClientNamespaceLabels(providerMember(env)));
  }
}
