import type { BuildingBlockSelection, Environment } from '../../constructs/environment/schema';
import { buildingBlockNamespace } from '../../constructs/information-mediator/contract';
import { collectServiceCatalogue } from '../../constructs/information-mediator/service-catalogue';
import type { Manifest } from '../../src/synth/manifest';
import { evaluatePolicies, upstreamChartFacts, type PolicyReport } from '../../src/policy';
import { holdsData, type RenderedComponent } from '../../src/synth/render';
import { shippedEnvironments } from '../support/shipped';
import { synthCountry } from '../support/stacks';

type Block = Record<string, unknown>;

/**
 * A Terraform resource that keeps data: every namespace (deleting one deletes everything in it) and
 * every Helm release with prevent_destroy. Keyed by stack and address; `identity` holds the
 * attributes whose change forces Terraform to replace the resource, which would destroy it too.
 */
interface DataResource {
  readonly identity: string;
  readonly preventDestroy: boolean;
}

function dataResources(stacks: Record<string, string>): Map<string, DataResource> {
  const found = new Map<string, DataResource>();
  for (const [layer, text] of Object.entries(stacks)) {
    const resources = (JSON.parse(text).resource ?? {}) as Record<string, Record<string, Block>>;
    for (const [type, byName] of Object.entries(resources)) {
      for (const [name, resource] of Object.entries(byName)) {
        const preventDestroy = (resource.lifecycle as Block | undefined)?.prevent_destroy === true;
        const identity =
          type === 'kubernetes_namespace_v1'
            ? `namespace ${String((resource.metadata as Block).name)}`
            : type === 'helm_release'
              ? `release ${String(resource.namespace)}/${String(resource.name)}`
              : undefined;
        if (identity && (type === 'kubernetes_namespace_v1' || preventDestroy)) found.set(`${layer}: ${type}.${name}`, { identity, preventDestroy });
      }
    }
  }
  return found;
}

/** Every Helm release, by stack and address, with the namespace it installs into. */
function releases(stacks: Record<string, string>): Map<string, string> {
  return new Map(
    Object.entries(stacks).flatMap(([layer, text]) =>
      Object.entries((JSON.parse(text).resource?.helm_release ?? {}) as Record<string, Block>).map(([name, release]) => [
        `${layer}: helm_release.${name}`,
        String(release.namespace),
      ]),
    ),
  );
}

/** Objects that keep data or a value generated once, which a retired building block must render unchanged. */
const DATA_KINDS = new Set(['Cluster', 'ScheduledBackup', 'ObjectStore', 'PersistentVolumeClaim', 'ExternalSecret', 'Password', 'SSHKey']);
const keepsData = (manifest: Manifest) => DATA_KINDS.has(manifest.kind) || (holdsData(manifest) && manifest.kind !== 'StatefulSet');
const RUNNING_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Pod', 'HTTPRoute', 'GRPCRoute', 'TLSRoute']);
const BASELINE = (manifest: Manifest) => ['ResourceQuota', 'LimitRange'].includes(manifest.kind) || ['default-deny', 'allow-dns'].includes(manifest.metadata.name);

const manifestsOf = (components: readonly RenderedComponent[], component: string) =>
  components.find((c) => c.component === component)?.manifests ?? [];

function withSelection(env: Environment, id: string, change: Partial<BuildingBlockSelection>): Environment {
  return { ...env, buildingBlocks: { ...env.buildingBlocks, [id]: { ...env.buildingBlocks[id], ...change } } };
}

/** The policy suite's failures for a synthesis of `env`. */
function policyFailures(env: Environment, synthesis: ReturnType<typeof synthCountry>): string[] {
  const report: PolicyReport = evaluatePolicies({
    env,
    manifests: synthesis.components.flatMap((component) => component.manifests),
    upstreamCharts: synthesis.assembly.upstreamCharts.map(upstreamChartFacts),
    // Charts are not rendered here (UPS-01 says so for each, retired or not): the kit's own objects are compared.
    rendered: [],
    terraform: Object.fromEntries(Object.entries(synthesis.stacks).map(([layer, json]) => [`${env.name}-${layer}`, JSON.parse(json)])),
  });
  return report.results.filter((result) => result.status === 'fail').map((result) => `${result.check} ${result.object}: ${result.detail ?? ''}`);
}

const enabledIds = (env: Environment) => Object.keys(env.buildingBlocks).filter((id) => env.buildingBlocks[id].enabled).sort();

describe.each(shippedEnvironments().map((env) => [env.name, env] as const))('turning a building block off in %s', (_name, env) => {
  const before = synthCountry(env);
  const dataBefore = dataResources(before.stacks);

  describe.each(enabledIds(env))('(enabled: false for %s)', (id) => {
    const retired = withSelection(env, id, { enabled: false });
    const after = synthCountry(retired);
    const dataAfter = dataResources(after.stacks);
    const namespace = buildingBlockNamespace(id);

    it('plans no destroy or replacement of any namespace or any release that keeps data', () => {
      expect(dataBefore.size).toBeGreaterThan(0);
      for (const [address, resource] of dataBefore) {
        const kept = dataAfter.get(address);
        if (!kept && address === `building-blocks: helm_release.release-${namespace}`) {
          // Its only data were its StatefulSets' claims (Apprise's stored configurations without a
          // database): they stay in the namespace (Retain), outside the release, which stays installed.
          expect(manifestsOf(before.components, namespace).filter(holdsData).map((m) => m.kind)).toEqual(expect.arrayContaining(['StatefulSet']));
          expect(manifestsOf(before.components, namespace).filter((m) => holdsData(m) && m.kind !== 'StatefulSet')).toEqual([]);
          expect(releases(after.stacks).get(address)).toBe(namespace);
          continue;
        }
        expect({ address, ...kept }).toEqual({ address, ...resource, preventDestroy: true });
      }
    });

    it('keeps the building block\'s namespace and its own release, which carries its database and secrets', () => {
      expect(dataAfter.get(`platform: kubernetes_namespace_v1.namespace-${namespace}`)).toEqual({ identity: `namespace ${namespace}`, preventDestroy: true });
      expect(releases(after.stacks).get(`building-blocks: helm_release.release-${namespace}`)).toBe(namespace);
    });

    it('renders every object that keeps data or a generated value unchanged, and the namespace\'s security baseline', () => {
      const kept = manifestsOf(before.components, namespace).filter((m) => keepsData(m) || BASELINE(m));
      expect(manifestsOf(after.components, namespace)).toEqual(expect.arrayContaining(kept));
    });

    it('leaves the claims of its StatefulSets in place when they go (retention policy Retain)', () => {
      for (const set of manifestsOf(before.components, namespace).filter((m) => m.kind === 'StatefulSet')) {
        expect(set.spec).toMatchObject({ persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' } });
      }
    });

    it('runs nothing of it: no workload, route or upstream release, and no X-Road service', () => {
      expect(manifestsOf(after.components, namespace).filter((m) => RUNNING_KINDS.has(m.kind))).toEqual([]);
      const ownReleases = [...releases(after.stacks)].filter(([, ns]) => ns === namespace).map(([address]) => address);
      expect(ownReleases).toEqual([`building-blocks: helm_release.release-${namespace}`]);
      expect(collectServiceCatalogue(retired).services.filter((service) => service.buildingBlock === id)).toEqual([]);
    });
  });

  describe('with every building block retired', () => {
    const retired = enabledIds(env).reduce((current, id) => withSelection(current, id, { enabled: false }), env);

    it('passes the policy suite wherever the running environment does', () => {
      const running = new Set(policyFailures(env, before));
      expect(policyFailures(retired, synthCountry(retired)).filter((failure) => !running.has(failure))).toEqual([]);
    });
  });

  describe('with every building block decommissioned (enabled: false, decommission: true)', () => {
    // Without a `removed` block, Terraform would destroy a namespace whose block is gone, prevent_destroy or not.
    const decommissioned = enabledIds(env).reduce((current, id) => withSelection(current, id, { enabled: false, decommission: true }), env);
    const after = synthCountry(decommissioned);
    const namespaces = enabledIds(env).map(buildingBlockNamespace);

    it('has Terraform forget their namespaces and own releases without destroying them (removed, destroy = false)', () => {
      const forgotten = (layer: string) => JSON.parse(after.stacks[layer]).removed as unknown[];
      const destroyFalse = (from: string) => ({ from, lifecycle: { destroy: false } });
      expect(forgotten('platform')).toEqual(namespaces.map((ns) => destroyFalse(`kubernetes_namespace_v1.namespace-${ns}`)));
      expect(forgotten('building-blocks')).toEqual(namespaces.map((ns) => destroyFalse(`helm_release.release-${ns}`)));
      expect(JSON.parse(before.stacks.platform).removed).toBeUndefined();
    });

    it('removes their namespaces and releases from the Terraform JSON and nothing else that keeps data', () => {
      const dataAfter = dataResources(after.stacks);
      for (const [address, resource] of dataBefore) {
        const ofBuildingBlock = namespaces.some((ns) => resource.identity === `namespace ${ns}` || resource.identity.startsWith(`release ${ns}/`));
        expect({ address, kept: dataAfter.has(address) }).toEqual({ address, kept: !ofBuildingBlock });
      }
      expect([...releases(after.stacks).values()].filter((ns) => namespaces.includes(ns))).toEqual([]);
      expect(after.components.filter((c) => c.layer === 'building-blocks')).toEqual([]);
    });
  });
});
