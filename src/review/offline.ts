import type { Environment } from '../../constructs/environment/schema';
import { resolveImage, withoutRegistry } from '../../constructs/images';
import type { UpstreamHelmChartProps } from '../../constructs/releases/upstream-helm-chart';
import type { Workload } from './workloads';

/**
 * The image an upstream chart pulls, as the cluster will pull it: through the environment's mirror
 * (and digest) like every image the kit renders, unless the chart's list already names the mirror.
 */
export function upstreamImage(env: Environment, image: string): string {
  const mirror = env.registry.mirror;
  if (mirror && image.startsWith(`${mirror}/`)) return image;
  if (image.includes('@')) return mirror ? `${mirror}/${withoutRegistry(image)}` : image;
  return resolveImage(env, image);
}

/** Every image the environment pulls, from its manifests and its upstream charts: deduplicated, sorted. */
export function imageList(env: Environment, workloads: readonly Workload[], upstreamCharts: readonly UpstreamHelmChartProps[]): string[] {
  const images = new Set<string>(workloads.flatMap((w) => w.images));
  for (const chart of upstreamCharts) for (const image of chart.images) images.add(upstreamImage(env, image));
  return [...images].sort();
}

/** One line per upstream chart: `repository chart version`, sorted, ready for a chart mirror. */
export function chartList(upstreamCharts: readonly UpstreamHelmChartProps[]): string[] {
  return [...new Set(upstreamCharts.map((chart) => `${chart.repository} ${chart.chart} ${chart.version}`))].sort();
}

/** An image reference split for reviewers: where it comes from, its tag and its digest when pinned. */
export interface ImageParts {
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

export function imageParts(image: string): ImageParts {
  const [name, digest] = image.split('@');
  const lastSlash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  const hasTag = colon > lastSlash;
  return { repository: hasTag ? name.slice(0, colon) : name, tag: hasTag ? name.slice(colon + 1) : undefined, digest };
}
