import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { kitCacheDir, readCachedJson, writeCacheFile } from '../upstream/cache-dir';
import { drawSvg, type GraphvizLayout, type LaidOutDiagram } from './diagram-svg';

export type { LaidOutDiagram } from './diagram-svg';

const LAYOUT_TIMEOUT_MS = 60_000;

/** A Graphviz layout engine, until `cancel`. */
export interface DiagramLayout {
  /** Lays out DOT graphs and draws them as SVG, waiting synchronously for the worker; as often as needed. */
  layOut(graphs: readonly string[]): LaidOutDiagram[];
  /** Stops the worker; harmless when already stopped or never started. */
  cancel(): void;
}

export interface DiagramLayoutOptions {
  /**
   * Where layouts are kept by a hash of their DOT source and the Graphviz build: a graph laid out
   * once is never laid out again (Graphviz is deterministic for one input and one build). Their
   * drawings are kept beside them, in a folder named by how they are drawn (`drawn-<hash>`).
   * @default the kit's cache folder (`diagrams/<@viz-js/viz version>`), which `GOVSTACK_KIT_CACHE` moves
   */
  readonly cacheDir?: string;
}

/** The Graphviz build that lays out the diagrams, for the layout cache's key. */
const VIZ_VERSION = (JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'node_modules', '@viz-js', 'viz', 'package.json'), 'utf8')) as { version: string }).version;

/**
 * What decides a drawing besides its layout: diagram-svg.ts, which imports nothing (a spec keeps it
 * so). Drawings are kept under a hash of its source, so a change in how diagrams are drawn is never
 * shown with an old drawing.
 */
const DRAWER = createHash('sha256').update(readFileSync(require.resolve('./diagram-svg'), 'utf8')).digest('hex').slice(0, 16);

/**
 * Lays out diagrams with Graphviz (WebAssembly) in a worker thread, started only for graphs no earlier
 * run laid out: the same review on the same input (a re-run, the benchmark, a reviewer's second synth)
 * loads no Graphviz at all. `layOut` hands the graphs over a message port and blocks on a shared flag
 * until the worker has posted the layouts, then reads them from the port without returning to the
 * event loop.
 */
export function startDiagramLayout(options: DiagramLayoutOptions = {}): DiagramLayout {
  const cacheDir = options.cacheDir ?? kitCacheDir('diagrams', VIZ_VERSION);
  let engine: GraphvizWorker | undefined;
  return {
    cancel: () => engine?.cancel(),
    layOut(graphs) {
      const keys = graphs.map((dot) => createHash('sha256').update(dot).digest('hex'));
      // A drawing is kept too: drawing a layout costs more than reading the drawing.
      const drawnFiles = keys.map((key) => path.join(cacheDir, `drawn-${DRAWER}`, `${key}.json`));
      const drawings = drawnFiles.map((file) => readCachedJson<LaidOutDiagram>(file));
      const undrawn = drawings.flatMap((drawing, i) => (drawing === undefined ? [i] : []));
      if (undrawn.length > 0) {
        const layoutFiles = undrawn.map((i) => path.join(cacheDir, `${keys[i]}.json`));
        const layouts = layoutFiles.map((file) => readCachedJson<GraphvizLayout>(file));
        const missing = layouts.flatMap((layout, n) => (layout === undefined ? [n] : []));
        if (missing.length > 0) {
          engine ??= startGraphvizWorker();
          const fresh = engine.layOut(missing.map((n) => graphs[undrawn[n]]));
          missing.forEach((n, m) => {
            layouts[n] = JSON.parse(fresh[m]) as GraphvizLayout;
            writeCacheFile(layoutFiles[n], fresh[m]);
          });
        }
        undrawn.forEach((graph, n) => {
          const drawing = drawSvg(layouts[n]!);
          drawings[graph] = drawing;
          writeCacheFile(drawnFiles[graph], JSON.stringify(drawing));
        });
      }
      return drawings as LaidOutDiagram[];
    },
  };
}

interface GraphvizWorker {
  /** Graphviz's JSON layout of each graph. */
  layOut(graphs: readonly string[]): string[];
  cancel(): void;
}

function startGraphvizWorker(): GraphvizWorker {
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(path.join(__dirname, 'graphviz-worker.mjs'), { workerData: { port: port2, signal }, transferList: [port2] });
  worker.unref();
  const cancel = () => {
    port1.close();
    void worker.terminate();
  };
  return {
    cancel,
    layOut(graphs) {
      try {
        Atomics.store(signal, 0, 0);
        port1.postMessage(graphs);
        if (Atomics.wait(signal, 0, 0, LAYOUT_TIMEOUT_MS) === 'timed-out') {
          throw new Error(`the diagram layout (Graphviz) did not finish within ${LAYOUT_TIMEOUT_MS / 1000} s`);
        }
        const reply = receiveMessageOnPort(port1)?.message as { layouts?: string[]; error?: string } | undefined;
        if (!reply?.layouts) throw new Error(`the diagram layout (Graphviz) failed: ${reply?.error ?? 'no answer from the layout worker'}`);
        return reply.layouts;
      } catch (error) {
        cancel();
        throw error;
      }
    },
  };
}
