import { upstreamImage } from '../../constructs/images';
import type { UpstreamHelmChartProps } from '../../constructs/releases/upstream-helm-chart';
import type { Workload } from './workloads';

export { upstreamImage };

/**
 * Every image the environment pulls, from its manifests and its upstream charts (what they render,
 * and what their operators start at run time as declared): deduplicated, sorted.
 */
export function imageList(workloads: readonly Workload[], upstreamCharts: readonly { readonly pulledImages: readonly string[] }[]): string[] {
  const images = new Set<string>(workloads.flatMap((w) => w.images));
  for (const chart of upstreamCharts) for (const image of chart.pulledImages) images.add(image);
  return [...images].sort();
}

/** One line per upstream chart: `repository chart version`, sorted, ready for a chart mirror. */
export function chartList(upstreamCharts: readonly UpstreamHelmChartProps[]): string[] {
  return [...new Set(upstreamCharts.map((chart) => `${chart.repository} ${chart.chart} ${chart.version}`))].sort();
}

/** An image reference split for reviewers: where it comes from, its tag and its digest when pinned. */
export interface ImageReferenceParts {
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

export function splitImageReference(image: string): ImageReferenceParts {
  const [name, digest] = image.split('@');
  const lastSlash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  const hasTag = colon > lastSlash;
  return { repository: hasTag ? name.slice(0, colon) : name, tag: hasTag ? name.slice(colon + 1) : undefined, digest };
}
