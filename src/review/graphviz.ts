import * as path from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';

const LAYOUT_TIMEOUT_MS = 60_000;

/** A Graphviz layout engine loading in a worker thread; `render` once, then it is gone. */
export interface DiagramLayout {
  /** Renders DOT graphs to SVG, waiting synchronously for the worker. */
  render(graphs: readonly string[]): string[];
  /** Stops the worker without rendering (when the graphs could not be made); harmless after `render`. */
  cancel(): void;
}

/**
 * Starts Graphviz (WebAssembly) in a worker thread, so it loads while the caller prepares the
 * graphs. `render` hands the graphs over a message port and blocks on a shared flag until the
 * worker has posted the SVGs, then reads them from the port without returning to the event loop.
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
    render(graphs) {
      try {
        port1.postMessage(graphs);
        if (Atomics.wait(signal, 0, 0, LAYOUT_TIMEOUT_MS) === 'timed-out') {
          throw new Error(`the diagram layout (Graphviz) did not finish within ${LAYOUT_TIMEOUT_MS / 1000} s`);
        }
        const reply = receiveMessageOnPort(port1)?.message as { svgs?: string[]; error?: string } | undefined;
        if (!reply?.svgs) throw new Error(`the diagram layout (Graphviz) failed: ${reply?.error ?? 'no answer from the layout worker'}`);
        return reply.svgs;
      } finally {
        cancel();
      }
    },
  };
}

/** Renders DOT graphs to SVG with Graphviz, synchronously. */
export function renderDotToSvg(graphs: readonly string[]): string[] {
  return startDiagramLayout().render(graphs);
}
