import { createServer } from 'node:net';
import { HarnessError } from './harness-error';

/** Fails with the port and its role when something on this machine already listens there. */
export async function assertPortFree(port: number, role: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new HarnessError(`port ${port} (${role}) is in use on this machine: stop what listens there (ss -ltnp 'sport = :${port}') and run again; the harness starts products on the pod's own ports`)
          : error,
      ),
    );
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve()));
  });
}
