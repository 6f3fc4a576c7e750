import type { LayerName } from '../../charts/kit-chart';
import { detailDot, type DetailStyle } from './detail-diagram';
import { drawnNetwork, namespacesOf, type DiagramInput } from './diagram';
import { renderDiagrams, type LaidOutDiagram } from './graphviz';
import { overviewDot } from './overview-diagram';
import { fitsPrintedPage, printedLabelPx } from './printed-page';

/** One way of drawing a diagram, and what its caption says of it. */
export interface DiagramVersion {
  readonly dot: string;
  readonly caption: string;
  /** Versions that say more (ports on the arrows) come first among those that print legibly. */
  readonly detail: number;
}

/**
 * A diagram to lay out: the file it is written to and the ways it may be drawn (top-down or
 * left-to-right, with or without ports). Which prints legibly depends on the shape of the graph,
 * known only once Graphviz has laid it out.
 */
export interface PlannedDiagram {
  readonly file: string;
  readonly versions: readonly DiagramVersion[];
}

/** A diagram as the review shows it. */
export interface Diagram {
  readonly file: string;
  readonly caption: string;
  readonly svg: string;
}

/**
 * The architecture as a set of diagrams that print legibly: an overview of layers and namespaces,
 * then each layer in detail, or, where a layer is too dense to print at a readable size, its
 * namespaces in smaller groups.
 */
export interface DiagramPlan {
  readonly overview: PlannedDiagram;
  readonly layers: readonly { readonly whole: PlannedDiagram; readonly parts: readonly PlannedDiagram[] }[];
}

const LAYER_ORDER: readonly LayerName[] = ['building-blocks', 'information-mediator', 'platform'];
const LAYER_TITLE: Readonly<Record<LayerName, string>> = {
  'building-blocks': 'Building blocks',
  'information-mediator': 'Information Mediator',
  platform: 'Platform',
};
/** The smallest font of every diagram (diagram.ts). */
const SMALLEST_FONT_PT = 10;
/** Pods and databases per part of a dense layer: enough for a building block, few enough to print. */
const PART_ENDPOINTS = 4;
/** The ways to draw a detailed diagram, from the one that says most; what each leaves to the flows table. */
const STYLES: readonly { readonly style: DetailStyle; readonly says: string; readonly detail: number }[] = (['TB', 'LR'] as const).flatMap((rankdir) => [
  { style: { rankdir, ports: true, neighbours: 'namespace' as const }, detail: 2, says: 'and the flows their NetworkPolicies allow (ports on the arrows)' },
  {
    style: { rankdir, ports: false, neighbours: 'namespace' as const },
    detail: 1,
    says: 'and the flows their NetworkPolicies allow (too many to print their ports legibly: see the flows table)',
  },
  {
    style: { rankdir, ports: false, neighbours: 'role' as const },
    detail: 0,
    says: 'and the flows their NetworkPolicies allow (other namespaces grouped by role, to print legibly: see the flows table for ports and namespaces)',
  },
]);

export function planDiagrams(input: DiagramInput): DiagramPlan {
  const { endpoints } = drawnNetwork(input);
  // Namespaces only named by policies (kube-system) belong to the platform.
  const layerOf = (namespace: string): LayerName => input.namespaceLayers.get(namespace) ?? 'platform';
  const namespaces = namespacesOf(input, endpoints);
  const size = (namespace: string) => endpoints.filter((e) => e.namespace === namespace).length;
  const detail = (group: readonly string[], title: string, caption: string) =>
    STYLES.map(({ style, says, detail }) => ({ dot: detailDot(input, group, title, style), caption: `${caption}, ${says}`, detail }));
  const layers = LAYER_ORDER.flatMap((layer) => {
    const inLayer = namespaces.filter((namespace) => layerOf(namespace) === layer);
    if (inLayer.length === 0) return [];
    const title = LAYER_TITLE[layer];
    const whole = {
      file: `architecture-${layer}.svg`,
      versions: detail(inLayer, `${input.environment} ${layer}`, `${title} of ${input.environment}: each namespace with its pods, databases and upstream charts`),
    };
    const parts = groups(inLayer, size, PART_ENDPOINTS).map((group, i) => ({
      file: `architecture-${layer}-${i + 1}.svg`,
      versions: detail(group, `${input.environment} ${layer} ${i + 1}`, `${title} of ${input.environment}, ${group.join(', ')}: pods, databases and upstream charts`),
    }));
    return [{ whole, parts }];
  });
  return {
    overview: {
      file: 'architecture.svg',
      versions: (['LR', 'TB'] as const).map((rankdir) => ({
        dot: overviewDot(input, `${input.environment} overview`, rankdir),
        caption: `Overview of ${input.environment}: namespaces by role, and an arrow wherever the NetworkPolicies allow some pod of one to reach the other`,
        detail: 0,
      })),
    },
    layers,
  };
}

/** Consecutive namespaces packed into groups of at most `budget` endpoints (a larger namespace alone). */
function groups(namespaces: readonly string[], size: (namespace: string) => number, budget: number): string[][] {
  const result: string[][] = [];
  let used = Infinity;
  for (const namespace of namespaces) {
    const n = Math.max(1, size(namespace));
    if (used + n > budget) {
      result.push([]);
      used = 0;
    }
    result[result.length - 1].push(namespace);
    used += n;
  }
  return result;
}

function plannedDiagrams(plan: DiagramPlan): PlannedDiagram[] {
  return [plan.overview, ...plan.layers.flatMap((layer) => [layer.whole, ...layer.parts])];
}

/** Every graph of the plan, in the order `chooseDiagrams` expects their layouts. */
export function plannedGraphs(plan: DiagramPlan): string[] {
  return plannedDiagrams(plan).flatMap((diagram) => diagram.versions.map((version) => version.dot));
}

/** The diagrams to show: each layer whole where it prints legibly, else its parts; each in the orientation that prints larger. */
export function chooseDiagrams(plan: DiagramPlan, laidOut: readonly LaidOutDiagram[]): Diagram[] {
  const best = new Map<PlannedDiagram, { version: DiagramVersion; layout: LaidOutDiagram }>();
  let next = 0;
  for (const planned of plannedDiagrams(plan)) {
    const versions = planned.versions.map((version, i) => ({ version, layout: laidOut[next + i] }));
    next += planned.versions.length;
    const fitting = versions.filter((v) => fitsPrintedPage(v.layout, SMALLEST_FONT_PT));
    const mostDetail = Math.max(...fitting.map((v) => v.version.detail));
    const candidates = fitting.length > 0 ? fitting.filter((v) => v.version.detail === mostDetail) : versions;
    const larger = (a: (typeof versions)[number], b: (typeof versions)[number]) =>
      printedLabelPx(b.layout, SMALLEST_FONT_PT) > printedLabelPx(a.layout, SMALLEST_FONT_PT) ? b : a;
    best.set(planned, candidates.reduce(larger));
  }
  const shown = (planned: PlannedDiagram): Diagram => {
    const { version, layout } = best.get(planned)!;
    return { file: planned.file, caption: version.caption, svg: layout.svg };
  };
  return [
    shown(plan.overview),
    ...plan.layers.flatMap(({ whole, parts }) => (fitsPrintedPage(best.get(whole)!.layout, SMALLEST_FONT_PT) || parts.length === 1 ? [shown(whole)] : parts.map(shown))),
  ];
}

/** Lays out and chooses the diagrams of one plan at once (the bundle lays out every environment's together). */
export function drawDiagrams(plan: DiagramPlan): Diagram[] {
  return chooseDiagrams(plan, renderDiagrams(plannedGraphs(plan)));
}
