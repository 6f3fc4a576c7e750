import { parseQuantity } from '../../constructs/baseline/quantity';
import type { Manifest } from '../synth/manifest';

/** What a namespace's LimitRange gives a container that names no requests or limits of its own. */
export interface ContainerDefaults {
  readonly defaultRequest: Readonly<Record<string, string | number>>;
  readonly default: Readonly<Record<string, string | number>>;
}

/** Namespace → the Container defaults of its LimitRanges (later ones win, as the API server merges them). */
export function limitRangeDefaults(manifests: readonly Manifest[]): Map<string, ContainerDefaults> {
  const found = new Map<string, ContainerDefaults>();
  for (const manifest of manifests) {
    if (manifest.kind !== 'LimitRange' || manifest.apiVersion !== 'v1') continue;
    const limits = ((manifest.spec as { limits?: unknown[] } | undefined)?.limits ?? []) as {
      type?: string;
      default?: Record<string, string>;
      defaultRequest?: Record<string, string>;
    }[];
    for (const limit of limits.filter((l) => l.type === 'Container')) {
      const previous = found.get(manifest.metadata.namespace ?? '');
      found.set(manifest.metadata.namespace ?? '', {
        default: { ...previous?.default, ...limit.default },
        defaultRequest: { ...previous?.defaultRequest, ...limit.defaultRequest },
      });
    }
  }
  return found;
}

/**
 * Namespace → the largest limit one container may have there (the Container `max` of its LimitRanges,
 * per resource; with several LimitRanges the API server enforces each, so the smallest max wins).
 */
export function limitRangeMaxima(manifests: readonly Manifest[]): Map<string, Readonly<Record<string, string | number>>> {
  const found = new Map<string, Record<string, string | number>>();
  for (const manifest of manifests) {
    if (manifest.kind !== 'LimitRange' || manifest.apiVersion !== 'v1') continue;
    const limits = ((manifest.spec as { limits?: unknown[] } | undefined)?.limits ?? []) as { type?: string; max?: Record<string, string | number> }[];
    for (const limit of limits.filter((l) => l.type === 'Container' && l.max)) {
      const namespace = manifest.metadata.namespace ?? '';
      const max = found.get(namespace) ?? {};
      for (const [resource, value] of Object.entries(limit.max!)) {
        if (max[resource] === undefined || parseQuantity(value) < parseQuantity(max[resource])) max[resource] = value;
      }
      found.set(namespace, max);
    }
  }
  return found;
}

interface Resources {
  readonly requests?: Readonly<Record<string, unknown>>;
  readonly limits?: Readonly<Record<string, unknown>>;
}

/**
 * A container's resources after the LimitRanger admission plugin: missing limits take the default,
 * missing requests the default request (else the limit), as the API server sets them before any
 * validating webhook sees the pod.
 */
export function withLimitRangeDefaults(resources: Resources | undefined, defaults: ContainerDefaults | undefined): Resources | undefined {
  if (!defaults) return resources;
  const limits = { ...defaults.default, ...resources?.limits };
  const requests = { ...limits, ...defaults.defaultRequest, ...resources?.requests };
  return { requests, limits };
}
