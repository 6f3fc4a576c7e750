import * as path from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';

const LAYOUT_TIMEOUT_MS = 60_000;

/**
 * Renders DOT graphs to SVG with Graphviz (WebAssembly, in a worker thread) and waits for the
 * result synchronously: the worker posts the SVGs on a message port and then wakes this thread,
 * which reads the port without returning to the event loop. One worker serves every graph of a run.
 */
export function renderDotToSvg(graphs: readonly string[]): string[] {
  if (graphs.length === 0) return [];
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(path.join(__dirname, 'graphviz-worker.mjs'), {
    workerData: { port: port2, signal, graphs },
    transferList: [port2],
  });
  try {
    if (Atomics.wait(signal, 0, 0, LAYOUT_TIMEOUT_MS) === 'timed-out') {
      throw new Error(`the diagram layout (Graphviz) did not finish within ${LAYOUT_TIMEOUT_MS / 1000} s`);
    }
    const reply = receiveMessageOnPort(port1)?.message as { svgs?: string[]; error?: string } | undefined;
    if (!reply?.svgs) throw new Error(`the diagram layout (Graphviz) failed: ${reply?.error ?? 'no answer from the layout worker'}`);
    return reply.svgs;
  } finally {
    port1.close();
    void worker.terminate();
  }
}
