import { Testing } from 'cdktf';
import type { Environment } from '../../constructs/environment/schema';
import { addCountryStacks, assembleCountry, type CountryAssembly } from '../../stacks/country';
import type { LayerStack, NamespaceManifest } from '../../stacks/layer-stack';
import { packageHelmChart } from '../../src/synth/helm-chart';
import { renderComponents, type RenderedComponent } from '../../src/synth/render';

/** An environment's assembly, its rendered components and the Terraform JSON of each of its stacks, by layer. */
export function synthCountry(env: Environment): { assembly: CountryAssembly; components: RenderedComponent[]; stacks: Record<string, string> } {
  const assembly = assembleCountry(env);
  const components = renderComponents(assembly);
  const packaged = components.flatMap((component) => {
    const chart = packageHelmChart(component);
    return chart ? [{ ...chart, layer: component.layer }] : [];
  });
  const namespaces = components.flatMap((c) => c.manifests).filter((m) => m.kind === 'Namespace') as NamespaceManifest[];
  const stacks: LayerStack[] = addCountryStacks(Testing.app(), assembly, namespaces, packaged);
  return { assembly, components, stacks: Object.fromEntries(stacks.map((stack) => [stack.layer, Testing.synth(stack)])) };
}

/** The Terraform JSON of each of an environment's stacks, by layer, via cdktf's testing helpers. */
export function synthStacks(env: Environment): Record<string, string> {
  return synthCountry(env).stacks;
}
