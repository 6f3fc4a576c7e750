import { createHash } from 'node:crypto';
import { stringify } from 'yaml';
import { KIT_VERSION } from '../version';
import type { PackagedChart } from '../../stacks/layer-stack';
import type { RenderedComponent } from './render';
import { CLUSTER_SCOPED_FOLDER } from './manifest';
import { byNamespace } from './write-manifests';
import { toYamlDocuments } from './yaml-files';

/**
 * Helm would read `{{` in our text (scripts, config files) as a template action; this makes it literal.
 * Go templates only start actions at `{{`, so a lone `}}` needs no escaping.
 */
export function escapeHelmTemplates(text: string): string {
  return text.replace(/\{\{/g, '{{ "{{" }}');
}

/**
 * Packages a component as a local Helm chart so Terraform can install it with `helm_release`
 * (atomic install, history, rollback). Namespaces are left out: Terraform creates those itself.
 * The chart version carries a hash of the content, so every change is a new version Helm and
 * Terraform both see; equal content gives an equal version, keeping synthesis deterministic.
 * The chart stays in memory: its stack writes it where Terraform installs it from
 * (stacks/kit-chart-asset.ts). Returns undefined when nothing but namespaces is left to install.
 */
export function packageHelmChart(component: RenderedComponent): PackagedChart | undefined {
  const installable = component.manifests.filter((manifest) => manifest.kind !== 'Namespace');
  if (installable.length === 0) return undefined;

  const templates = [...byNamespace(installable)].map(([folder, manifests]) => ({
    file: `${folder === CLUSTER_SCOPED_FOLDER ? "cluster-scoped" : folder}.yaml`, // Helm skips templates starting with "_"
    text: escapeHelmTemplates(toYamlDocuments(manifests, `Component ${component.component}, ${folder}.`)),
  }));
  const hash = createHash('sha256');
  for (const template of templates) hash.update(template.file).update('\0').update(template.text).update('\0');
  const chartYaml = stringify({
    apiVersion: 'v2',
    name: component.component,
    description: `GovStack kit component ${component.component} (layer ${component.layer})`,
    type: 'application',
    version: `${KIT_VERSION}-c${hash.digest('hex').slice(0, 16)}`,
    appVersion: KIT_VERSION,
  });

  return {
    component: component.component,
    releaseNamespace: component.releaseNamespace,
    files: [{ path: 'Chart.yaml', text: chartYaml }, ...templates.map((template) => ({ path: `templates/${template.file}`, text: template.text }))],
    requires: component.requires,
    waitUntilReady: component.waitUntilReady,
    installedAfter: component.installedAfter,
    holdsData: component.holdsData,
  };
}
