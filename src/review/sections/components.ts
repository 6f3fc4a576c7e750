import { buildingBlockState } from '../../../constructs/building-blocks/lifecycle';
import { catalogueEntry } from '../../../constructs/catalogue/catalogue';
import type { BuildingBlockId } from '../../../constructs/catalogue/types';
import { buildingBlockNamespace } from '../../../constructs/information-mediator/contract';
import { paragraph, table, type Section } from '../document';
import { workloadId } from '../exposure';
import { splitImageReference } from '../offline';
import type { ReviewModel } from '../review-model';
import type { Workload } from '../workloads';

function replicas(workload: Workload): string {
  if (workload.schedule === 'per-node') return 'one per node';
  const notes = [workload.schedule === 'run-to-completion' ? 'run to completion' : undefined, workload.replicasNote].filter(Boolean);
  return notes.length > 0 ? `${workload.replicas} (${notes.join('; ')})` : `${workload.replicas}`;
}

/** `Deployment api ×2`, `DaemonSet agent, one per node`. */
function workloadLine(workload: Workload, withKind = true): string {
  const name = withKind ? `${workload.kind} ${workload.name}` : workload.name;
  return workload.schedule === 'per-node' ? `${name}, one per node` : `${name} ×${replicas(workload)}`;
}

function hostnamesOf(model: ReviewModel, ids: readonly string[]): string[] {
  return [...new Set(model.routes.filter((r) => r.workloads.some((id) => ids.includes(id))).flatMap((r) => r.hostnames))].sort();
}

/** A retired building block runs nothing, but its namespace, database and secrets are still deployed. */
const RETIRED = 'retired: nothing runs; namespace, database and secrets kept until decommissioned';

function buildingBlockRows(model: ReviewModel): string[][] {
  return Object.entries(model.env.buildingBlocks)
    .filter(([, selection]) => buildingBlockState(selection) !== 'decommissioned')
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([id, selection]) => {
      const namespace = buildingBlockNamespace(id);
      const workloads = model.workloads.filter((w) => w.namespace === namespace);
      const retired = buildingBlockState(selection) === 'retired';
      return [
        retired ? `${id} (retired)` : id,
        selection.product,
        selection.version,
        namespace,
        selection.size,
        retired ? RETIRED : workloads.map((w) => workloadLine(w, false)).join('\n'),
        [...new Set(workloads.flatMap((w) => w.images))].sort().join('\n'),
        hostnamesOf(model, workloads.map(workloadId)).join('\n'),
        provenToStart(id as BuildingBlockId, selection.product, selection.version),
      ];
    });
}

/** The catalogue's verification level: whether `npm run products` starts this product, or why it cannot. */
function provenToStart(buildingBlock: BuildingBlockId, product: string, version: string): string {
  const verification = catalogueEntry(buildingBlock, product, version)?.verification;
  if (!verification) return 'unknown';
  return verification.level === 'harness-started'
    ? `started by \`npm run products\` from its real distribution: ${verification.proves}`
    : `not started by the harness: ${verification.reason}`;
}

export function componentsSection(model: ReviewModel): Section {
  const componentRows = model.components.map((component) => {
    const workloads = model.workloads.filter((w) => w.component === component.component);
    const namespaces = [...new Set(component.manifests.map((m) => m.metadata.namespace ?? (m.kind === 'Namespace' ? m.metadata.name : '_cluster')))].sort();
    return [
      component.component,
      component.layer,
      namespaces.join('\n'),
      `${component.manifests.length}`,
      workloads.map((w) => workloadLine(w)).join('\n'),
      hostnamesOf(model, workloads.map(workloadId)).join('\n'),
    ];
  });
  const workloadRows = model.workloads.map((w) => [
    `${w.kind} ${w.name}`,
    w.namespace,
    w.component,
    replicas(w),
    [...new Set(w.images)].map((image) => {
      const parts = splitImageReference(image);
      return `${parts.repository}:${parts.tag ?? '(no tag)'}${parts.digest ? ` @ ${parts.digest}` : ''}`;
    }).join('\n'),
    hostnamesOf(model, [workloadId(w)]).join('\n'),
  ]);
  const upstreamRows = model.upstreamCharts.map((chart) => [
    chart.releaseName,
    chart.chart,
    chart.version,
    chart.repository,
    chart.namespace,
    chart.layer,
    chart.renderedObjects ? renderedCounts(chart.renderedObjects) : `DID NOT RENDER: ${chart.renderError ?? 'not rendered'}`,
    chart.exceptions.map((e) => `${e.check}${e.objects ? ` (${e.objects.join(', ')})` : ' (every object)'}: ${e.reason}`).join('\n'),
    chart.pulledImages.join('\n'),
    chart.reason,
  ]);
  return {
    id: 'components',
    title: 'Building blocks and components',
    blocks: [
      table('building-blocks', ['Building block', 'Product', 'Version', 'Namespace', 'Size', 'Workloads', 'Images', 'Hostnames', 'Proven to start'], buildingBlockRows(model), {
        empty: 'No building block is enabled in this environment.',
      }),
      paragraph('Every component of the kit: one reviewable file per namespace in `manifests/<namespace>/<component>.yaml`, one Helm release.'),
      table('components', ['Component', 'Layer', 'Namespaces', 'Objects', 'Workloads', 'Hostnames'], componentRows),
      paragraph('Every workload, with its replicas and the images it pulls (tag, and digest where the environment pins one).'),
      table('workloads', ['Workload', 'Namespace', 'Component', 'Replicas', 'Images', 'Hostnames'], workloadRows, { empty: 'No workload in this environment yet.' }),
      paragraph('Upstream charts: installed from their pinned upstream version with values the kit sets (upstream chart, values reviewed: see `upstream-charts/<release>.yaml`).'),
      paragraph(
        'Each upstream chart is rendered with Helm at its pinned version with exactly these values, and every object it renders goes through the same checks as the kit\'s own, under the exceptions declared on the chart.',
      ),
      table('upstream-charts', ['Release', 'Chart', 'Version', 'Repository', 'Namespace', 'Layer', 'Rendered objects', 'Declared exceptions', 'Images', 'Why upstream'], upstreamRows, {
        empty: 'No upstream chart in this environment.',
      }),
    ],
  };
}

/** `53 objects: 3 CustomResourceDefinition, 2 Deployment, …`, kinds by count. */
function renderedCounts(objects: readonly { readonly kind: string }[]): string {
  const counts = new Map<string, number>();
  for (const object of objects) counts.set(object.kind, (counts.get(object.kind) ?? 0) + 1);
  const kinds = [...counts].sort(([a, x], [b, y]) => y - x || a.localeCompare(b)).map(([kind, count]) => `${count} ${kind}`);
  return `${objects.length} objects: ${kinds.join(', ')}`;
}
