import { buildingBlockNamespace } from '../information-mediator/contract';
import type { ApiDescription, CatalogueEntry, ComponentEntry } from './types';

/**
 * Where a product's components are reached inside the cluster. The building-block construct names
 * its Services with these functions and the Information Mediator registers services with them, so
 * the two can never disagree.
 */

/** Name of a component's workload and Service: `<product>-<component>`. */
export function componentServiceName(entry: CatalogueEntry, component: string): string {
  return `${entry.product}-${component}`;
}

export function componentServiceHost(entry: CatalogueEntry, component: string): string {
  return `${componentServiceName(entry, component)}.${buildingBlockNamespace(entry.buildingBlock)}.svc`;
}

export function findComponent(entry: CatalogueEntry, component: string): ComponentEntry {
  const found = entry.components.find((candidate) => candidate.name === component);
  if (!found) throw new Error(`${entry.product} has no component "${component}"; it has ${entry.components.map((c) => c.name).join(', ')}`);
  return found;
}

/** The Service port of a component: the first port of its first container. */
export function componentPort(entry: CatalogueEntry, component: string): number {
  const port = findComponent(entry, component).containers[0].ports?.[0];
  if (!port) throw new Error(`component ${component} of ${entry.product} serves no port`);
  return port.port;
}

/** `http://<product>-<component>.<namespace>.svc:<port>`. */
export function componentServiceUrl(entry: CatalogueEntry, component: string): string {
  return `http://${componentServiceHost(entry, component)}:${componentPort(entry, component)}`;
}

/** The in-cluster URL a security server forwards an API's requests to. */
export function apiServiceUrl(entry: CatalogueEntry, api: ApiDescription): string {
  return `${componentServiceUrl(entry, api.component)}${api.basePath}`;
}
