// Lays out DOT graphs with Graphviz compiled to WebAssembly (@viz-js/viz): no system binary.
// Runs in a worker thread so that synthesis, which is synchronous, can wait for the WebAssembly
// module (loaded asynchronously) without becoming asynchronous itself; see graphviz.ts. The module
// loads as soon as the worker starts, while the main thread is still building the review.
// Each batch of graphs comes back as Graphviz's JSON (positions and drawing operations), and the
// worker waits for the next batch until it is stopped; diagram-svg.ts draws the layouts.
import { workerData } from 'node:worker_threads';

const { port, signal } = workerData;
const loading = import('@viz-js/viz').then(({ instance }) => instance());

port.on('message', async (graphs) => {
  try {
    const viz = await loading;
    port.postMessage({ layouts: graphs.map((dot) => viz.renderString(dot, { format: 'json', engine: 'dot' })) });
  } catch (error) {
    port.postMessage({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  } finally {
    Atomics.store(signal, 0, 1);
    Atomics.notify(signal, 0);
  }
});
// A load failure is reported when the graphs arrive; until then it must not crash the worker.
loading.catch(() => undefined);
