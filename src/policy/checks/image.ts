import { chartMirrorOf, qualified, resolveImage } from '../../../constructs/images';
import type { Environment } from '../../../constructs/environment/schema';
import type { PolicyContext } from '../types';
import type { Evaluation, PolicyCheck } from '../types';
import { containerLabel } from './helpers';
import { isCloudNativePgCluster } from '../../../constructs/data/cloudnative-pg';

/** Every image reference the environment pulls, with where it is named. */
interface ImageUse {
  readonly evaluationOf: (violations: string[]) => Evaluation;
  readonly uses: readonly { readonly where: string; readonly image: string; readonly pullPolicy?: string }[];
}

function imageUses(context: PolicyContext): ImageUse[] {
  const inPods: ImageUse[] = context.pods.map((pod) => ({
    evaluationOf: (violations) => ({ subject: context.subjectOf(pod.owner), violations }),
    uses: pod.containers
      .filter(({ container }) => container.image)
      .map((entry) => ({
        where: containerLabel(entry),
        image: entry.container.image!,
        // A chart decides its own pull policy (IMG-04 judges the kit's pod templates); its images are still checked.
        pullPolicy: context.upstreamReleaseOf(pod.owner) ? 'chart' : entry.container.imagePullPolicy,
      })),
  }));
  // Operators run these images for the kit's custom resources (CloudNativePG's `imageName`).
  const inResources: ImageUse[] = context
    .ofKind('Cluster')
    .filter((m) => isCloudNativePgCluster(m) && (m.spec as { imageName?: string }).imageName)
    .map((cluster) => ({
      evaluationOf: (violations) => ({ subject: context.subjectOf(cluster), violations }),
      uses: [{ where: 'imageName', image: (cluster.spec as { imageName: string }).imageName, pullPolicy: 'operator' }],
    }));
  // Every chart is also judged by the images it declares: all a chart that did not render is known
  // by, and for one that did, the images its operators start at run time besides those it renders.
  const inCharts: ImageUse[] = context.upstreamCharts.map((chart) => ({
    evaluationOf: (violations) => ({ subject: context.subjectOfChart(chart), violations }),
    uses: chart.images.map((image) => ({ where: 'image list', image, pullPolicy: 'chart' })),
  }));
  return [...inPods, ...inResources, ...inCharts];
}

function perImage(context: PolicyContext, violationOf: (image: string, pullPolicy: string | undefined) => string | undefined): Evaluation[] {
  return imageUses(context).map((use) =>
    use.evaluationOf(
      use.uses.flatMap(({ where, image, pullPolicy }) => {
        const violation = violationOf(image, pullPolicy);
        return violation ? [`${where}: ${violation}`] : [];
      }),
    ),
  );
}

const tagOf = (image: string): string | undefined => /:([^/@]+)(@|$)/.exec(image)?.[1];
const pinned = (image: string): boolean => /@sha256:[a-f0-9]{64}$/.test(image);
const registryOf = (image: string): string => qualified(image.split('@')[0]).split('/')[0];

/** Images the environment supplies digests for, as the cluster pulls them (without the digest). */
function digestedImages(env: Environment): Set<string> {
  return new Set(Object.keys(env.registry.digests).map((image) => resolveImage(env, image).split('@')[0]));
}

function allowedRegistryViolation(env: Environment, image: string): string | undefined {
  const mirror = env.registry.mirror;
  if (mirror) return qualified(image).startsWith(`${mirror}/`) ? undefined : `${image} is not pulled through the registry mirror ${mirror}`;
  const registry = registryOf(image);
  return env.registry.allowed.includes(registry) ? undefined : `registry ${registry} is not among the allowed registries (${env.registry.allowed.join(', ')})`;
}

/** Images: tagged, pinned where digests are known, from trusted registries (GovStack 6.2 req-4). */
export const IMAGE_CHECKS: readonly PolicyCheck[] = [
  {
    id: 'IMG-01',
    title: 'explicit image tag, never latest',
    severity: 'H',
    sources: 'KS; CK 14; PO',
    evaluate: (context) =>
      perImage(context, (image) => {
        const tag = tagOf(image);
        if (!tag) return `${image} has no tag`;
        return tag === 'latest' ? `${image} uses the latest tag` : undefined;
      }),
  },
  {
    id: 'IMG-02',
    title: 'image pinned by digest where the environment supplies digests',
    severity: 'M',
    sources: 'CK 43; KSC C-0306; GS 6.2 req-4',
    evaluate: (context) => {
      const digested = digestedImages(context.env);
      return perImage(context, (image) => (digested.has(image.split('@')[0]) && !pinned(image) ? `${image} is not pinned by the digest the environment lists` : undefined));
    },
  },
  {
    id: 'IMG-03',
    title: 'image and chart registries on the allow-list, or rewritten to the mirror',
    severity: 'H',
    sources: 'KSC C-0078; GS 6.2 req-4',
    evaluate: (context) => [
      ...perImage(context, (image) => allowedRegistryViolation(context.env, image)),
      ...context.upstreamCharts.map((chart) => {
        const expected = chartMirrorOf(context.env);
        const violations = expected && chart.repository !== expected ? [`chart ${chart.chart} comes from ${chart.repository}, not from the mirror ${expected}`] : [];
        return { subject: context.subjectOfChart(chart), violations };
      }),
    ],
  },
  {
    id: 'IMG-04',
    title: 'imagePullPolicy Always unless pinned by digest',
    severity: 'L',
    sources: 'KS; CK 15',
    evaluate: (context) =>
      perImage(context, (image, pullPolicy) => {
        // Charts and operators decide their own pull policy; only the kit's pod templates are checked.
        if (pullPolicy === 'chart' || pullPolicy === 'operator' || pinned(image)) return undefined;
        return pullPolicy === 'Always' ? undefined : `${image} is neither pinned by digest nor pulled Always (imagePullPolicy ${pullPolicy ?? 'unset'})`;
      }),
  },
];
