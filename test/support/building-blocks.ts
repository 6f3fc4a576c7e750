import { loadEnvironment } from '../../constructs/environment/load';
import type { BuildingBlockSelection, Environment, Stage } from '../../constructs/environment/schema';
import type { CatalogueEntry } from '../../constructs/catalogue/types';
import { buildingBlockNamespace } from '../../constructs/information-mediator/contract';
import type { Manifest } from '../../src/synth/manifest';
import { renderComponents } from '../../src/synth/render';
import { assembleCountry } from '../../stacks/country';

/** A shipped environment of each stage, to place a product in. */
const SHIPPED_BY_STAGE: Readonly<Record<Stage, string>> = {
  sandbox: 'sandbox',
  staging: 'marenland-staging',
  production: 'veloria-production',
};

export function shippedEnvironmentOfStage(stage: Stage): Environment {
  return loadEnvironment(SHIPPED_BY_STAGE[stage]);
}

/** The shipped environment of `stage` running `entry` (and nothing else) for its building block. */
export function environmentRunning(entry: CatalogueEntry, stage: Stage, size: BuildingBlockSelection['size'] = 'small'): Environment {
  const base = shippedEnvironmentOfStage(stage);
  const selection: BuildingBlockSelection = {
    enabled: true,
    product: entry.product,
    version: entry.version,
    size,
    ...(entry.acceptsRealms ? { realms: [{ name: 'test', displayName: 'Test realm' }] } : {}),
  };
  return { ...base, buildingBlocks: { ...base.buildingBlocks, [entry.buildingBlock]: selection } };
}

/** The manifests of every building-block component of an environment, or of one building block. */
export function buildingBlockManifests(env: Environment, buildingBlock?: string): Manifest[] {
  const assembly = assembleCountry(env);
  // Only the charts asked for are rendered: the platform's and the Information Mediator's are most of an environment.
  const charts = assembly.charts.filter((chart) => chart.layer === 'building-blocks' && (!buildingBlock || chart.component === buildingBlockNamespace(buildingBlock)));
  return renderComponents({ ...assembly, charts }).flatMap((component) => [...component.manifests]);
}

/** One container of a building block's workload as synthesised, with what its pod gives it. */
export interface SynthesisedContainer {
  readonly name: string;
  readonly image: string;
  readonly command?: string[];
  readonly args?: string[];
  readonly env?: { name: string; value?: string; valueFrom?: unknown }[];
  readonly volumeMounts?: { name: string; mountPath: string; readOnly?: boolean; subPath?: string }[];
  readonly securityContext?: { readOnlyRootFilesystem?: boolean; allowPrivilegeEscalation?: boolean };
}

/** The container `container` of the workload `workload` (Deployment or StatefulSet) among `manifests`. */
export function synthesisedContainer(manifests: readonly Manifest[], workload: string, container: string): SynthesisedContainer {
  const object = manifests.find((m) => (m.kind === 'Deployment' || m.kind === 'StatefulSet') && m.metadata.name === workload);
  if (!object) throw new Error(`no workload ${workload} among ${manifests.map((m) => `${m.kind}/${m.metadata.name}`).join(', ')}`);
  const pod = (object.spec as { template: { spec: { containers: SynthesisedContainer[]; initContainers?: SynthesisedContainer[] } } }).template.spec;
  const found = [...(pod.initContainers ?? []), ...pod.containers].find((c) => c.name === container);
  if (!found) throw new Error(`workload ${workload} has no container ${container}`);
  return found;
}

/** The literal value of an environment variable of a container (undefined when unset or from a reference). */
export function literalEnv(container: SynthesisedContainer, name: string): string | undefined {
  return container.env?.find((variable) => variable.name === name)?.value;
}

/**
 * Whether a process in the container may write at `path`: the root filesystem is writable, or a
 * writable volume is mounted at the path or one of its parents.
 */
export function canWrite(container: SynthesisedContainer, path: string): boolean {
  if (container.securityContext?.readOnlyRootFilesystem !== true) return true;
  return (container.volumeMounts ?? []).some(
    (mount) => !mount.readOnly && !mount.subPath && (path === mount.mountPath || path.startsWith(`${mount.mountPath.replace(/\/$/, '')}/`)),
  );
}
