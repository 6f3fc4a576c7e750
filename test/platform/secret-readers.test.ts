import { PLATFORM_RELEASES } from '../../constructs/platform';
import type { Manifest } from '../../src/synth/manifest';
import { containersOf, environmentsWith, renderShipped } from '../support/upstream-render';

type Rule = { apiGroups?: string[]; resources?: string[]; verbs?: string[] };
const environments = environmentsWith(PLATFORM_RELEASES.alloy);

/** What the rendered roles of a release grant on Secrets, `Kind/name: verbs`. */
function secretGrants(objects: readonly Manifest[], roleName: (name: string) => boolean): string[] {
  return objects
    .filter((o) => ['ClusterRole', 'Role'].includes(o.kind) && roleName(o.metadata.name))
    .flatMap((role) =>
      ((role as unknown as { rules?: Rule[] }).rules ?? [])
        .filter((rule) => (rule.resources ?? []).some((resource) => resource === 'secrets' || resource === '*'))
        .map((rule) => `${role.kind}/${role.metadata.name}: ${(rule.verbs ?? []).join(',')}`),
    );
}

/**
 * kube-state-metrics (inside kube-prometheus-stack) and Alloy list every Secret of the cluster with
 * their charts' defaults; neither needs to. The kit's values turn that off, checked here against the
 * charts rendered with Helm at their pinned versions.
 */
describe('no chart-default reader of every Secret', () => {
  it('monitoring and logs run in every shipped environment', () => {
    expect(environments.map((env) => env.name).sort()).toEqual(['marenland-staging', 'sandbox', 'veloria-production']);
  });

  it.each(environments.map((env) => [env.name, env] as const))('in %s, kube-state-metrics neither reads Secrets nor exports metrics about them', async (_name, env) => {
    const stack = (await renderShipped(env)).find((shipped) => shipped.release.releaseName === PLATFORM_RELEASES.monitoring)!;
    expect(secretGrants(stack.objects, (name) => name.includes('kube-state-metrics'))).toEqual([]);
    const ksm = containersOf(stack.objects).find(({ container }) => container.name === 'kube-state-metrics')!.container;
    const resources = (ksm.args as string[]).find((arg) => arg.startsWith('--resources='))!;
    expect(resources.split('=')[1].split(',')).not.toContain('secrets');
  });

  it.each(environments.map((env) => [env.name, env] as const))('in %s, Alloy reads no Secret', async (_name, env) => {
    const alloy = (await renderShipped(env)).find((shipped) => shipped.release.releaseName === PLATFORM_RELEASES.alloy)!;
    expect(alloy.objects.some((o) => o.kind === 'ClusterRole')).toBe(true);
    expect(secretGrants(alloy.objects, () => true)).toEqual([]);
  });
});
