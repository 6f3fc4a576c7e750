import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import * as path from 'node:path';
import { onExit } from './processes';

/**
 * A chart mirror folder (a Helm repository: `index.yaml` + packaged charts) served read-only over
 * HTTP on 127.0.0.1, on a port the kernel picks: the stand-in for a data centre's chart mirror,
 * which the environment's own `registry.charts` then points at.
 */
export class ChartServer {
  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly exitHook: { release(): void },
  ) {}

  static async start(folder: string): Promise<ChartServer> {
    const root = path.resolve(folder);
    const server = createServer((req, res) => {
      const name = decodeURIComponent((req.url ?? '/').split('?')[0]).replace(/^\/+/, '');
      const file = path.resolve(root, name);
      // Only files directly in the mirror folder (index.yaml, *.tgz): no traversal, no listing.
      if (req.method !== 'GET' || path.dirname(file) !== root || !existsSync(file) || !statSync(file).isFile()) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': file.endsWith('.yaml') ? 'application/yaml' : 'application/gzip' });
      createReadStream(file).pipe(res);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('the chart server got no port');
    const exitHook = onExit(() => server.close());
    return new ChartServer(server, `http://127.0.0.1:${address.port}`, exitHook);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.exitHook.release();
  }
}
