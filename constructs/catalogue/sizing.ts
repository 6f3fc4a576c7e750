import type { Size } from '../environment/schema';
import type { ContainerResources, SizedResources } from './types';

/**
 * Shorthand for the catalogue's per-size figures, so entries read as a table:
 * `resources(['250m', '1', '1Gi', '1Gi'], …)` is cpu request, cpu limit, memory, ephemeral storage.
 */
export type ResourceRow = readonly [cpu: string, cpuLimit: string, memory: string, ephemeralStorage: string];

export function resourcesBySize(small: ResourceRow, medium: ResourceRow, large: ResourceRow): SizedResources {
  const row = ([cpu, cpuLimit, memory, ephemeralStorage]: ResourceRow): ContainerResources => ({ cpu, cpuLimit, memory, ephemeralStorage });
  return { small: row(small), medium: row(medium), large: row(large) };
}

/** The same resources at every size: helpers whose load does not grow with the country. */
export function fixedResources(row: ResourceRow): SizedResources {
  return resourcesBySize(row, row, row);
}

export function perSize<T>(small: T, medium: T, large: T): Readonly<Record<Size, T>> {
  return { small, medium, large };
}
