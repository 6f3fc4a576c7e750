import type { CatalogueEntry } from '../catalogue/types';

/** Labels on every pod of a product: NetworkPolicies select "the product's own pods" by them. */
export function productLabels(entry: CatalogueEntry): Record<string, string> {
  return { 'govstack.dev/building-block': entry.buildingBlock, 'govstack.dev/product': entry.product };
}

/** Selector labels of one component's pods. */
export function componentSelector(entry: CatalogueEntry, component: string): Record<string, string> {
  return { 'app.kubernetes.io/name': entry.product, 'app.kubernetes.io/component': component };
}

/** All labels of a component's pods and objects. */
export function componentLabels(entry: CatalogueEntry, component: string): Record<string, string> {
  return { ...componentSelector(entry, component), ...productLabels(entry), 'app.kubernetes.io/version': entry.version };
}
