import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { G2P_BRIDGE } from '../../constructs/catalogue/products/g2p-bridge';
import { G2P_BRIDGE_DISTRIBUTION } from '../../src/products/distributions/g2p-bridge';
import { containerArgv } from '../../src/products/start-product';
import { buildingBlockManifests, environmentRunning, synthesisedContainer } from '../support/building-blocks';

const manifests = buildingBlockManifests(environmentRunning(G2P_BRIDGE, 'staging'), G2P_BRIDGE.buildingBlock);
const pods = { api: ['g2p-bridge-api', 'api'], worker: ['g2p-bridge-worker', 'worker'], beat: ['g2p-bridge-beat', 'beat'] } as const;

describe('the G2P Bridge distribution the product harness starts', () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'g2p-bridge-distribution-'));
  // A folder laid out already (its marker written): the mapping, without a download.
  writeFileSync(path.join(folder, '.installed'), 'installed\n');
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('is the catalogue\'s G2P Bridge version', () => {
    expect(G2P_BRIDGE_DISTRIBUTION.version).toBe(G2P_BRIDGE.version);
  });

  it('runs every container of the synthesised G2P Bridge pods', () => {
    for (const [workload, container] of Object.values(pods)) {
      expect(G2P_BRIDGE_DISTRIBUTION.containers).toContain(synthesisedContainer(manifests, workload, container).name);
    }
  });

  it('lays out the Python where the images keep it, and the running component\'s own main.py in /app', async () => {
    for (const component of Object.keys(pods)) {
      const image = await G2P_BRIDGE_DISTRIBUTION.install(folder, () => undefined, component);
      expect(image.imagePaths).toEqual({ '/opt/bitnami/python': path.join(folder, 'python'), '/app': path.join(folder, `app-${component}`) });
      expect(image.workingDir).toBe('/app');
      expect(image.imageEnv.PATH.split(':')[0]).toBe('/opt/bitnami/python/bin');
    }
  });

  it('starts what the pods command, not the images\' shell CMD, which ignores a failed migration', async () => {
    const image = await G2P_BRIDGE_DISTRIBUTION.install(folder, () => undefined, 'api');
    const api = synthesisedContainer(manifests, 'g2p-bridge-api', 'api') as Parameters<typeof containerArgv>[0];
    expect(containerArgv(api, image)[0]).toBe('gunicorn');
    expect(image.cmd?.join(' ')).toMatch(/main\.py migrate; gunicorn/);
  });
});
