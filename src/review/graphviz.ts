import * as path from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { drawSvg, type GraphvizLayout, type LaidOutDiagram } from './diagram-svg';

export type { LaidOutDiagram } from './diagram-svg';

const LAYOUT_TIMEOUT_MS = 60_000;

/** A Graphviz layout engine loading in a worker thread, until `cancel`. */
export interface DiagramLayout {
  /** Lays out DOT graphs and draws them as SVG, waiting synchronously for the worker; as often as needed. */
  layOut(graphs: readonly string[]): LaidOutDiagram[];
  /** Stops the worker; harmless when already stopped. */
  cancel(): void;
}

/**
 * Starts Graphviz (WebAssembly) in a worker thread, so it loads while the caller prepares the
 * graphs. `render` hands the graphs over a message port and blocks on a shared flag until the
 * worker has posted the layouts, then reads them from the port without returning to the event loop.
 */
export function startDiagramLayout(): DiagramLayout {
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
      if (graphs.length === 0) return [];
      try {
        Atomics.store(signal, 0, 0);
        port1.postMessage(graphs);
        if (Atomics.wait(signal, 0, 0, LAYOUT_TIMEOUT_MS) === 'timed-out') {
          throw new Error(`the diagram layout (Graphviz) did not finish within ${LAYOUT_TIMEOUT_MS / 1000} s`);
        }
        const reply = receiveMessageOnPort(port1)?.message as { layouts?: string[]; error?: string } | undefined;
        if (!reply?.layouts) throw new Error(`the diagram layout (Graphviz) failed: ${reply?.error ?? 'no answer from the layout worker'}`);
        return reply.layouts.map((json) => drawSvg(JSON.parse(json) as GraphvizLayout));
      } catch (error) {
        cancel();
        throw error;
      }
    },
  };
}
