// Lays out DOT graphs with Graphviz compiled to WebAssembly (@viz-js/viz): no system binary.
// Runs in a worker thread so that synthesis, which is synchronous, can wait for the WebAssembly
// module (loaded asynchronously) without becoming asynchronous itself; see graphviz.ts.
import { workerData } from 'node:worker_threads';

const { port, signal, graphs } = workerData;
try {
  const { instance } = await import('@viz-js/viz');
  const viz = await instance();
  port.postMessage({ svgs: graphs.map((dot) => viz.renderString(dot, { format: 'svg', engine: 'dot' })) });
} catch (error) {
  port.postMessage({ error: error instanceof Error ? error.stack ?? error.message : String(error) });
} finally {
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
}
