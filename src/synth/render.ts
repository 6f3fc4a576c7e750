import type { LayerName } from '../../charts/kit-chart';
import type { CountryAssembly } from '../../stacks/country';
import { isClusterScoped, objectId, type Manifest } from './manifest';
import { isCloudNativePgCluster } from '../../constructs/data/cloudnative-pg';

/** One component of an environment, rendered: what reviewers read and what one Helm release installs. */
export interface RenderedComponent {
  readonly component: string;
  readonly layer: LayerName;
  readonly releaseNamespace: string;
  readonly requires: readonly string[];
  readonly waitUntilReady: boolean;
  /** Components of the same layer installed first (`KitChartProps.installedAfter`). */
  readonly installedAfter: readonly string[];
  readonly manifests: readonly Manifest[];
  /** True when uninstalling the component would delete data: it owns claims, claim templates or databases. */
  readonly holdsData: boolean;
}

/** Resolves every chart of the assembly to plain objects, checking that each names its scope correctly. */
export function renderComponents(assembly: CountryAssembly): RenderedComponent[] {
  return assembly.charts.map((chart) => {
    const manifests = chart.toJson() as Manifest[];
    for (const manifest of manifests) {
      const scoped = isClusterScoped(manifest);
      if (scoped && manifest.metadata.namespace) {
        throw new Error(`${objectId(manifest)} in component ${chart.component} is cluster-scoped but names a namespace`);
      }
      if (!scoped && !manifest.metadata.namespace) {
        throw new Error(`${manifest.kind}/${manifest.metadata.name} in component ${chart.component} must name its namespace`);
      }
    }
    return {
      component: chart.component,
      layer: chart.layer,
      releaseNamespace: chart.releaseNamespace,
      requires: chart.requires,
      waitUntilReady: chart.waitUntilReady,
      installedAfter: chart.installedAfter,
      manifests,
      holdsData: manifests.some(holdsData),
    };
  });
}

/** Objects whose removal deletes data: persistent claims, StatefulSets with claim templates, CloudNativePG clusters. */
export function holdsData(manifest: Manifest): boolean {
  if (manifest.kind === 'PersistentVolumeClaim') return true;
  if (isCloudNativePgCluster(manifest)) return true;
  const spec = manifest.spec as { volumeClaimTemplates?: unknown[] } | undefined;
  return manifest.kind === 'StatefulSet' && (spec?.volumeClaimTemplates?.length ?? 0) > 0;
}
