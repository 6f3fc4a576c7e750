import { createServer, type Server } from 'node:net';
import { freePorts } from '../../src/prove/free-port';

describe('free loopback ports for etcd and kube-apiserver', () => {
  let taken: Server;
  let takenPort: number;

  beforeAll(async () => {
    taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', () => resolve()));
    takenPort = (taken.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => taken.close(() => resolve())));

  it('returns distinct ports, none of them one that is already taken', async () => {
    for (let round = 0; round < 5; round++) {
      const ports = await freePorts(3);
      expect(new Set(ports).size).toBe(3);
      expect(ports).not.toContain(takenPort);
    }
  });

  it('returns ports that can be bound right away', async () => {
    const [port] = await freePorts(1);
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});
