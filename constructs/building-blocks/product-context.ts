import { componentServiceHost, componentServiceUrl, findComponent } from '../catalogue/addresses';
import type { BuildingBlockId, CatalogueEntry, ProductContext } from '../catalogue/types';
import type { BuildingBlockSelection, Environment } from '../environment/schema';
import { buildingBlockNamespace } from '../information-mediator/contract';
import type { GatewayKind } from '../platform/contract';

/** What a catalogue entry's env and file contracts see of the environment and the product's own addresses. */
export function productContext(
  env: Pick<Environment, 'country' | 'domain' | 'ha' | 'platform' | 'stage'>,
  entry: CatalogueEntry,
  selection: BuildingBlockSelection,
  database?: ProductContext['database'],
): ProductContext {
  return {
    env,
    buildingBlock: entry.buildingBlock as BuildingBlockId,
    namespace: buildingBlockNamespace(entry.buildingBlock),
    realms: selection.realms ?? [],
    database,
    publicUrl(component: string, gateway?: GatewayKind) {
      const exposures = findComponent(entry, component).exposures ?? [];
      const exposure = gateway ? exposures.find((e) => e.gateway === gateway) : exposures[0];
      if (!exposure) throw new Error(`${entry.product} ${component} is not exposed${gateway ? ` on the ${gateway} gateway` : ''}`);
      return `https://${exposure.host}.${env.domain}`;
    },
    serviceHost: (component: string) => componentServiceHost(entry, component),
    serviceUrl: (component: string) => componentServiceUrl(entry, component),
  };
}
