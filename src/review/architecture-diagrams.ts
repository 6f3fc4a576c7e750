import type { LayerName } from '../../charts/kit-chart';
import { detailDot, type DetailStyle } from './detail-diagram';
import { drawnNetwork, namespacesOf, type DiagramInput } from './diagram';
import type { LaidOutDiagram } from './graphviz';
import { overviewDot } from './overview-diagram';
import { fitsPrintedPage, printedLabelPx } from './printed-page';

/** One way of drawing a diagram, and what its caption says of it. */
export interface DiagramVersion {
  readonly dot: string;
  readonly caption: string;
  /** How much it says (2: ports on the arrows; 1: not; 0: other namespaces grouped by role); versions come most first. */
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
/** A layer of more parts than this is too dense to print whole, in any version. */
const WHOLE_LAYER_PARTS = 2;
const MOST_DETAIL = 2;
/** The ways to draw a detailed diagram; what each leaves to the flows table. */
const STYLES: readonly { readonly style: DetailStyle; readonly says: string; readonly detail: number }[] = (['TB', 'LR'] as const).flatMap((rankdir) => [
  { style: { rankdir, ports: true, neighbours: 'namespace' as const }, detail: MOST_DETAIL, says: 'and the flows their NetworkPolicies allow (ports on the arrows)' },
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
  // Most diagrams print legibly in the version that says most, so the others' DOT is made only when tried.
  const detail = (group: readonly string[], title: string, caption: string): DiagramVersion[] =>
    [...STYLES]
      .sort((a, b) => b.detail - a.detail)
      .map(({ style, says, detail }) => madeWhenRead(() => detailDot(input, group, title, style), `${caption}, ${says}`, detail));
  const layers = LAYER_ORDER.flatMap((layer) => {
    const inLayer = namespaces.filter((namespace) => layerOf(namespace) === layer);
    if (inLayer.length === 0) return [];
    const title = LAYER_TITLE[layer];
    const grouped = groups(inLayer, size, PART_ENDPOINTS);
    // A layer is shown whole only with its ports; without, its parts say more. A layer of one part is its part.
    const wholeVersions = detail(inLayer, `${input.environment} ${layer}`, `${title} of ${input.environment}: each namespace with its pods, databases and upstream charts`);
    const whole = { file: `architecture-${layer}.svg`, versions: grouped.length === 1 ? wholeVersions : wholeVersions.filter((v) => v.detail === MOST_DETAIL) };
    const parts = grouped.map((group, i) => ({
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

/** A version whose DOT is made the first time it is read. */
function madeWhenRead(make: () => string, caption: string, detail: number): DiagramVersion {
  let dot: string | undefined;
  return {
    get dot() {
      dot ??= make();
      return dot;
    },
    caption,
    detail,
  };
}

/**
 * Consecutive namespaces packed into groups of at most `budget` endpoints (a larger namespace
 * alone); namespaces without workloads join the last group rather than make a diagram of their own.
 */
function groups(namespaces: readonly string[], size: (namespace: string) => number, budget: number): string[][] {
  const result: string[][] = [];
  let used = Infinity;
  for (const namespace of namespaces.filter((n) => size(n) > 0)) {
    if (used + size(namespace) > budget) {
      result.push([]);
      used = 0;
    }
    result[result.length - 1].push(namespace);
    used += size(namespace);
  }
  const empty = namespaces.filter((n) => size(n) === 0);
  if (empty.length > 0) {
    if (result.length === 0) result.push([]);
    result[result.length - 1].push(...empty);
  }
  return result.map((group) => [...group].sort());
}

/** A layout engine: DOT graphs in, laid-out diagrams out, in the same order (graphviz.ts). */
export type LayOut = (graphs: readonly string[]) => LaidOutDiagram[];

interface Tried {
  readonly version: DiagramVersion;
  readonly layout: LaidOutDiagram;
}

/**
 * Lays out each diagram in the first of its versions that prints legibly (or, failing all, the one
 * that prints largest), a round of layouts at a time across all the plans: most diagrams fit in the
 * version that says most, so most are laid out once.
 */
function decide(diagrams: readonly PlannedDiagram[], layOut: LayOut): Map<PlannedDiagram, Tried> {
  const chosen = new Map<PlannedDiagram, Tried>();
  let open = diagrams.map((planned) => ({ planned, tried: [] as Tried[] }));
  while (open.length > 0) {
    const versions = open.map((trial) => trial.planned.versions[trial.tried.length]);
    const layouts = layOut(versions.map((version) => version.dot));
    open.forEach((trial, i) => {
      trial.tried.push({ version: versions[i], layout: layouts[i] });
      if (fitsPrintedPage(layouts[i], SMALLEST_FONT_PT)) chosen.set(trial.planned, trial.tried[trial.tried.length - 1]);
      else if (trial.tried.length === trial.planned.versions.length) {
        chosen.set(trial.planned, trial.tried.reduce((a, b) => (printedLabelPx(b.layout, SMALLEST_FONT_PT) > printedLabelPx(a.layout, SMALLEST_FONT_PT) ? b : a)));
      }
    });
    open = open.filter((trial) => !chosen.has(trial.planned));
  }
  return chosen;
}

/**
 * The diagrams to show for each plan: the overview, then each layer whole where it prints legibly,
 * else its parts. A layer of more than WHOLE_LAYER_PARTS parts is not tried whole: it never fits.
 */
export function drawDiagrams(plans: readonly DiagramPlan[], layOut: LayOut): Diagram[][] {
  const tryWhole = (layer: DiagramPlan['layers'][number]) => layer.parts.length <= WHOLE_LAYER_PARTS;
  const first = decide(
    plans.flatMap((plan) => [plan.overview, ...plan.layers.filter(tryWhole).map((layer) => layer.whole)]),
    layOut,
  );
  const wholeFits = (layer: DiagramPlan['layers'][number]) => {
    const whole = first.get(layer.whole);
    return whole !== undefined && (layer.parts.length === 1 || fitsPrintedPage(whole.layout, SMALLEST_FONT_PT));
  };
  const second = decide(
    plans.flatMap((plan) => plan.layers.filter((layer) => !wholeFits(layer)).flatMap((layer) => layer.parts)),
    layOut,
  );
  const shown = (planned: PlannedDiagram): Diagram => {
    const { version, layout } = first.get(planned) ?? second.get(planned)!;
    return { file: planned.file, caption: version.caption, svg: layout.svg };
  };
  return plans.map((plan) => [shown(plan.overview), ...plan.layers.flatMap((layer) => (wholeFits(layer) ? [shown(layer.whole)] : layer.parts.map(shown)))]);
}
