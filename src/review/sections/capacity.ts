import type { CapacityFigures } from '../capacity-figures';
import { notice, paragraph, table, type Block, type Section } from '../document';
import { formatBytes, formatCores } from '../../../constructs/baseline/quantity';
import type { ReviewModel } from '../review-model';

const FIGURE_COLUMNS = ['CPU requests', 'CPU limits', 'Memory requests', 'Memory limits', 'Storage', 'Pods', 'Load balancers'];

function storageText(storage: CapacityFigures['storage']): string {
  return Object.entries(storage).map(([storageClass, size]) => `${formatBytes(size)} ${storageClass}`).join('\n');
}

function figureCells(figures: CapacityFigures): string[] {
  const limit = (value: number, unlimitedPods: number, format: (n: number) => string) =>
    `${format(value)}${unlimitedPods > 0 ? ` + ${unlimitedPods} pod(s) without limit` : ''}`;
  return [
    formatCores(figures.cpuRequests),
    limit(figures.cpuLimits, figures.podsWithoutCpuLimit, formatCores),
    formatBytes(figures.memoryRequests),
    limit(figures.memoryLimits, figures.podsWithoutMemoryLimit, formatBytes),
    storageText(figures.storage),
    `${figures.pods}`,
    `${figures.loadBalancers}`,
  ];
}

/** What the headline counts, so that a reader sees nothing was left out: every release, and per-node pods on every node. */
function countedText(model: ReviewModel): string {
  const bill = model.capacity;
  const rendered = model.upstreamCharts.filter((chart) => chart.renderedObjects).length;
  const operated = bill.workloads.filter((w) => w.startedBy).reduce((sum, w) => sum + w.pods, 0);
  const perNode = bill.workloads.filter((w) => w.schedule === 'per-node');
  return (
    `It carries ${formatCores(bill.total.cpuRequests)} CPU and ${formatBytes(bill.total.memoryRequests)} of requests in ${bill.total.pods} pods: ` +
    `the kit's workloads, all ${model.upstreamCharts.length} upstream releases (${rendered} as Helm renders them${rendered < model.upstreamCharts.length ? `, ${model.upstreamCharts.length - rendered} estimated from values` : ''}), ` +
    `${operated} pod(s) their operators start, and ${perNode.length} per-node workload(s) on each of the ${bill.nodes.total} node(s).`
  );
}

function nodeBlocks(model: ReviewModel): Block[] {
  const { nodes, stage } = model.capacity;
  const size = nodes.nodeSize;
  return [
    notice(
      'info',
      `Worker nodes to buy: ${nodes.total} of ${size.cpu} CPU / ${size.memoryGiB} GiB` +
        (nodes.failureHeadroom > 0 ? ` (${nodes.needed} needed + ${nodes.failureHeadroom} spare so the loss of one node leaves enough capacity).` : ` (${stage}: no spare node for failures).`) +
        ` ${countedText(model)}`,
    ),
    table(
      'node-sizing',
      ['Basis', 'Nodes'],
      [
        ['CPU requests', `${nodes.byCpu}`],
        ['Memory requests', `${nodes.byMemory}`],
        ['Pods', `${nodes.byPods}`],
        ['Replicas that must not share a node', `${nodes.byDistinctNodes}`],
        ['Needed (largest of the above, at least 1)', `${nodes.needed}`],
        ['Spare for one node failure', `${nodes.failureHeadroom}`],
        ['To buy', `${nodes.total}`],
      ],
      { numeric: [1] },
    ),
    paragraph(
      `Sizing plans ${Math.round(nodes.schedulableFraction * 100)} % of each node's allocatable CPU and memory for pods (the rest absorbs bin-packing losses and cluster add-ons), ` +
        `less what per-node workloads take on every node (${formatCores(nodes.perNode.cpuRequests)} CPU, ${formatBytes(nodes.perNode.memoryRequests)}), ` +
        `and adds the largest run-to-completion pod${model.capacity.largestJobPod ? ` (${model.capacity.largestJobPod.workload})` : ' (none)'}. Node sizes come from \`cluster.nodeSize\`.`,
    ),
  ];
}

export function capacitySection(model: ReviewModel): Section {
  const bill = model.capacity;
  const namespaceRows = bill.namespaces.map((ns) => [
    ns.namespace,
    ...figureCells(ns),
    ns.quota ? (ns.quota.fits ? 'fits' : 'EXCEEDS QUOTA') : '',
  ]);
  const totalRows = [
    ['Kit manifests and rendered upstream charts (exact)', ...figureCells(bill.manifests), ''],
    ['Upstream charts that did not render (estimated from values)', ...figureCells(bill.upstreamCharts), ''],
    ['Total', ...figureCells(bill.total), ''],
  ];
  const lb = bill.loadBalancer;
  const lbText =
    lb.kind === 'metallb'
      ? `${lb.addressesNeeded} load-balancer address(es) needed; the MetalLB pool holds ${lb.poolSize}.`
      : lb.kind === 'cloud'
        ? `${lb.addressesNeeded} cloud load balancer(s).`
        : `${lb.addressesNeeded} Service(s) of type LoadBalancer, but this environment has no load balancer: they would get no address.`;
  const overQuota = bill.namespaces.filter((ns) => ns.quota && !ns.quota.fits);
  return {
    id: 'capacity',
    title: 'Capacity bill of materials',
    blocks: [
      ...nodeBlocks(model),
      paragraph('Per namespace, from the manifests (containers × replicas, init containers as the scheduler counts them, PostgreSQL instances, volume claim templates); CPU in cores.'),
      table('capacity-namespaces', ['Namespace', ...FIGURE_COLUMNS, 'Quota'], [...namespaceRows, ...totalRows], { numeric: [1, 2, 3, 4, 6, 7] }),
      ...(overQuota.length > 0 ? [notice('warning', `Over the namespace quota (pods would be refused): ${overQuota.map((ns) => ns.namespace).join(', ')}.`)] : []),
      paragraph(`Persistent storage by class: ${storageText(bill.total.storage).replace(/\n/g, ', ') || 'none'}. ${lbText}`),
      paragraph(
        'Upstream charts are counted from what Helm renders with the kit\'s values (containers without resources get their namespace\'s LimitRange defaults, as the API server gives them). ' +
          'So are the pods operators start from what is rendered: Envoy Gateway\'s proxies for each Gateway (and their LoadBalancer Service), Prometheus and Alertmanager, ' +
          'and Longhorn\'s instance managers (their `guaranteedInstanceManagerCPU` share of every node\'s CPU), CSI driver and engine image. ' +
          'A chart that did not render is estimated from the `resources` its values set, below; its containers that set none are not included.',
      ),
      table(
        'capacity-upstream',
        ['Release', 'Namespace', 'CPU requests', 'Memory requests', 'Pods', 'Counted from values'],
        bill.upstreamEstimates.map((e) => [e.release, e.namespace, formatCores(e.cpuRequests), formatBytes(e.memoryRequests), `${e.pods}`, e.basis.join('\n') || 'no resources in values: chart defaults, not included']),
        { numeric: [2, 3, 4], empty: 'Every upstream chart rendered: none is estimated.' },
      ),
      table(
        'capacity-workloads',
        ['Workload', 'Namespace', 'Pods', 'CPU requests', 'Memory requests', 'Storage'],
        bill.workloads.map((w) => [`${w.kind} ${w.name}${w.startedBy ? ` (started by ${w.startedBy})` : ''}`, w.namespace, `${w.replicas}`, formatCores(w.cpuRequests), formatBytes(w.memoryRequests), storageText(w.storage)]),
        { numeric: [2, 3, 4], empty: 'No long-running workload.' },
      ),
    ],
  };
}
