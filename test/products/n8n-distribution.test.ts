import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { N8N } from '../../constructs/catalogue/products/n8n';
import { N8N_DISTRIBUTION, writeEntrypoint } from '../../src/products/distributions/n8n';
import { containerArgv } from '../../src/products/start-product';
import { buildingBlockManifests, environmentRunning, literalEnv, synthesisedContainer } from '../support/building-blocks';

/** The n8n container the kit synthesises in each stage it ships n8n to. */
const containers = N8N.stages.map((stage) => synthesisedContainer(buildingBlockManifests(environmentRunning(N8N, stage), N8N.buildingBlock), 'n8n-main', 'n8n'));

/** install() on a folder laid out already (its marker written): the mapping, without a download. */
async function laidOut(): Promise<{ folder: string; image: Awaited<ReturnType<typeof N8N_DISTRIBUTION.install>> }> {
  const folder = mkdtempSync(path.join(tmpdir(), 'n8n-distribution-'));
  writeFileSync(path.join(folder, '.installed'), 'installed\n');
  return { folder, image: await N8N_DISTRIBUTION.install(folder, () => undefined, 'n8n') };
}

describe('the n8n distribution the product harness starts', () => {
  const folders: string[] = [];
  afterAll(() => {
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });

  it('is the catalogue\'s n8n version', () => {
    expect(N8N_DISTRIBUTION.version).toBe(N8N.version);
  });

  it('runs the container the synthesised n8n pods name', () => {
    for (const container of containers) expect(N8N_DISTRIBUTION.containers).toContain(container.name);
  });

  it('lays n8n out where the image keeps it: the image\'s /usr/local (node, n8n) and its entrypoint, in the home of user node', async () => {
    const { folder, image } = await laidOut();
    folders.push(folder);
    expect(Object.keys(image.imagePaths).sort()).toEqual(['/docker-entrypoint.sh', '/usr/local']);
    expect(image.imagePaths['/usr/local']).toBe(path.join(folder, 'usr-local'));
    expect(image.workingDir).toBe('/home/node');
    expect(image.imageEnv).toMatchObject({ NODE_ENV: 'production', HOME: '/home/node', SHELL: '/bin/sh' });
    expect(image.imageEnv.PATH.split(':')[1]).toBe('/usr/local/bin');
  });

  it('starts the image\'s entrypoint for the pod, which gives n8n no command or args of its own', async () => {
    const { folder, image } = await laidOut();
    folders.push(folder);
    for (const container of containers) expect(containerArgv(container, image)).toEqual(['/docker-entrypoint.sh']);
  });

  it('has an entrypoint that hands over to n8n with the container\'s args, as the image\'s does', () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'n8n-entrypoint-'));
    folders.push(folder);
    const bin = path.join(folder, 'bin');
    mkdirSync(bin);
    writeFileSync(path.join(bin, 'n8n'), '#!/bin/sh\necho "n8n $*"\n', { mode: 0o755 });
    writeEntrypoint(path.join(folder, 'docker-entrypoint.sh'));
    const output = execFileSync(path.join(folder, 'docker-entrypoint.sh'), ['worker', '--concurrency=5'], { env: { PATH: `${bin}:/usr/bin:/bin` }, encoding: 'utf8' });
    expect(output).toBe('n8n worker --concurrency=5\n');
  });

  it('keeps n8n\'s home where the pod\'s N8N_USER_FOLDER and volumes put it', async () => {
    const { folder, image } = await laidOut();
    folders.push(folder);
    for (const container of containers) {
      expect(literalEnv(container, 'N8N_USER_FOLDER')).toBe(image.imageEnv.HOME);
      expect((container.volumeMounts ?? []).map((m) => m.mountPath)).toEqual(expect.arrayContaining([`${image.imageEnv.HOME}/.n8n`, `${image.imageEnv.HOME}/.cache`]));
    }
  });
});
