import { upstreamImage } from '../../../constructs/images';
import type { Environment } from '../../../constructs/environment/schema';
import type { Manifest } from '../../synth/manifest';
import { renderedReleaseOf, type RenderedRelease } from '../../upstream/render';
import { podTemplateOf } from '../../validation/network-policy';
import type { PolicyContext } from '../types';
import type { PolicyCheck } from '../types';

/**
 * Upstream charts as Helm renders them: they render at all, their custom resources reach the
 * cluster after the CRDs that define them, and the images they pull are the ones they declare
 * (which the offline bundle and the mirror are built from).
 */
export const UPSTREAM_CHECKS: readonly PolicyCheck[] = [
  {
    id: 'UPS-01',
    title: 'every upstream chart renders with the values the kit gives it',
    severity: 'H',
    sources: 'helm template at the pinned chart version; issue: the kit must find what the chart refuses',
    evaluate: (context) =>
      context.upstreamCharts.map((chart) => {
        const release = renderedReleaseOf(context.rendered, chart);
        const violations = !release ? ['was not rendered'] : release.error ? [`Helm refuses its values: ${release.error}`] : [];
        return { subject: context.subjectOfChart(chart), violations };
      }),
  },
  {
    id: 'UPS-02',
    title: 'custom resources are installed after the release that brings their CRD (and some release does)',
    severity: 'H',
    sources: 'Helm/Terraform install order: a custom resource whose CRD is not yet installed is rejected ("no matches for kind")',
    evaluate: (context) => {
      const providers = crdProviders(context.rendered);
      return context.manifests.flatMap((manifest) => {
        const group = groupOf(manifest.apiVersion);
        const bringing = providers.get(`${group}/${manifest.kind}`);
        if (!bringing) {
          // Not a CRD of any release: it must be one of the API server's own kinds.
          if (BUILT_IN_GROUPS.has(group)) return [];
          return [{ subject: context.subjectOf(manifest), violations: [`is a ${manifest.kind} (${manifest.apiVersion}), which no release of the environment installs a CRD for: the API server would refuse it`] }];
        }
        const before = installedBefore(context, manifest);
        if (before === undefined) return [];
        const ok = bringing.some((release) => before.has(releaseKey(release)));
        const names = bringing.map((release) => release.releaseName).join(' or ');
        return [{ subject: context.subjectOf(manifest), violations: ok ? [] : [`is a ${manifest.kind} (${manifest.apiVersion}), whose CRD ${names} installs, but nothing makes ${names} install first`] }];
      });
    },
  },
  {
    id: 'UPS-03',
    title: 'an upstream chart declares every image it renders',
    severity: 'M',
    sources: 'GS 6.2 req-4 (offline installation): images.txt and the mirror are built from the declaration',
    evaluate: (context) =>
      context.upstreamCharts.flatMap((chart) => {
        const release = renderedReleaseOf(context.rendered, chart);
        if (!release || release.error) return [];
        const declared = new Set(chart.images.map((image) => pulledAs(context.env, image)));
        const rendered = new Set(release.objects.flatMap(imagesOf));
        // The declaration may name more: images its operator starts at run time (a proxy, a sidecar) render nowhere.
        const violations = [...rendered].filter((image) => !declared.has(image)).map((image) => `renders ${image}, which it does not declare`);
        return [{ subject: context.subjectOfChart(chart), violations }];
      }),
  },
];

/** A declared image as the cluster pulls it; one without a usable tag as it is (IMG-01 names it). */
function pulledAs(env: Environment, image: string): string {
  try {
    return upstreamImage(env, image);
  } catch {
    return image;
  }
}

/** API groups the Kubernetes API server serves itself (the kit's supported versions). */
const BUILT_IN_GROUPS = new Set([
  '',
  'apps',
  'batch',
  'autoscaling',
  'policy',
  'rbac.authorization.k8s.io',
  'networking.k8s.io',
  'storage.k8s.io',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'apiregistration.k8s.io',
  'scheduling.k8s.io',
  'coordination.k8s.io',
  'certificates.k8s.io',
  'discovery.k8s.io',
  'node.k8s.io',
  'flowcontrol.apiserver.k8s.io',
  'events.k8s.io',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'resource.k8s.io',
  'storagemigration.k8s.io',
  'internal.apiserver.k8s.io',
]);

const releaseKey = (release: Pick<RenderedRelease, 'stack' | 'address'>) => `${release.stack} ${release.address}`;

function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : '';
}

/** `group/Kind` → the releases whose CRDs define it. */
function crdProviders(rendered: readonly RenderedRelease[]): Map<string, RenderedRelease[]> {
  const providers = new Map<string, RenderedRelease[]>();
  for (const release of rendered) {
    for (const crd of release.objects.filter((o) => o.kind === 'CustomResourceDefinition')) {
      const spec = crd.spec as { group: string; names: { kind: string } };
      const kind = `${spec.group}/${spec.names.kind}`;
      providers.set(kind, [...(providers.get(kind) ?? []), release]);
    }
  }
  return providers;
}

/**
 * The releases installed before (or with) the release that holds `manifest`: earlier stacks whole,
 * and what its release depends on in its own stack, transitively. Undefined when the object is in
 * no release the Terraform JSON shows (then there is no order to judge).
 */
function installedBefore(context: PolicyContext, manifest: Manifest): Set<string> | undefined {
  const upstream = context.upstreamReleaseOf(manifest);
  const component = manifest.metadata.labels?.['govstack.dev/component'];
  const holder = upstream
    ? renderedReleaseOf(context.rendered, upstream)
    : component
      ? kitRelease(context, component)
      : undefined;
  if (!holder) return undefined;
  const stacks = Object.keys(context.terraform);
  const earlier = new Set(stacks.slice(0, stacks.indexOf(holder.stack)));
  const found = new Set<string>([releaseKey(holder)]);
  for (const release of context.rendered) if (earlier.has(release.stack)) found.add(releaseKey(release));
  const visit = (addresses: readonly string[]) => {
    for (const address of addresses) {
      const key = `${holder.stack} ${address}`;
      if (found.has(key)) continue;
      found.add(key);
      visit(dependsOnOf(context, holder.stack, address));
    }
  };
  visit(holder.dependsOn);
  return found;
}

function helmReleases(context: PolicyContext, stack: string): Record<string, { name?: string; depends_on?: string[] }> {
  return ((context.terraform[stack]?.resource as { helm_release?: Record<string, { name?: string; depends_on?: string[] }> } | undefined)?.helm_release ?? {});
}

function dependsOnOf(context: PolicyContext, stack: string, address: string): string[] {
  const block = helmReleases(context, stack)[address.replace(/^helm_release\./, '')];
  return (block?.depends_on ?? []).filter((d) => d.startsWith('helm_release.'));
}

/** The kit's own release of a component, found in whichever stack installs it. */
function kitRelease(context: PolicyContext, component: string): { stack: string; address: string; dependsOn: string[] } | undefined {
  for (const stack of Object.keys(context.terraform)) {
    for (const [id, block] of Object.entries(helmReleases(context, stack))) {
      if (block.name === component) return { stack, address: `helm_release.${id}`, dependsOn: dependsOnOf(context, stack, `helm_release.${id}`) };
    }
  }
  return undefined;
}

/** Every image a rendered object's pod template pulls. */
export function imagesOf(object: Manifest): string[] {
  const spec = podTemplateOf<{ containers?: { image?: string }[]; initContainers?: { image?: string }[] }>(object)?.spec;
  return [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])].flatMap((container) => (container.image ? [container.image] : []));
}
