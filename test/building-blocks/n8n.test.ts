import { mebibytes } from '../../constructs/building-blocks/namespace-quota';
import { N8N } from '../../constructs/catalogue/products/n8n';
import { buildingBlockManifests, canWrite, environmentRunning, literalEnv, synthesisedContainer } from '../support/building-blocks';

/**
 * What n8n 2.23.4 writes when it starts, read in its own packages at that release:
 * - @n8n/config 2.22.0 utils/utils.js: its folder is `<N8N_USER_FOLDER or HOME>/.n8n` (settings file,
 *   event log, crash journal, binary data storage);
 * - n8n-core 2.23.1 instance-settings/instance-settings.js: the static cache is `<that home>/.cache/n8n/public`;
 * - n8n 2.23.4 commands/start.js (generateStaticAssets) and services/frontend.service.js: every start
 *   writes the editor's index.html, scripts and styles and the node type descriptions into the static
 *   cache; a write that fails there ends the process.
 */
describe.each(N8N.stages)('n8n as the kit runs it in %s', (stage) => {
  const n8n = synthesisedContainer(buildingBlockManifests(environmentRunning(N8N, stage), N8N.buildingBlock), 'n8n-main', 'n8n');
  const home = literalEnv(n8n, 'N8N_USER_FOLDER');

  it('names its home explicitly, so its paths do not depend on the HOME the runtime sets for uid 1000', () => {
    expect(home).toBe('/home/node');
  });

  it('keeps a read-only root filesystem and may still write everything n8n writes at start', () => {
    expect(n8n.securityContext?.readOnlyRootFilesystem).toBe(true);
    for (const path of [`${home}/.n8n/config`, `${home}/.n8n/crash.journal`, `${home}/.n8n/storage`, `${home}/.cache/n8n/public/index.html`, `${home}/.cache/n8n/public/types/nodes.json`, '/tmp']) {
      expect([path, canWrite(n8n, path)]).toEqual([path, true]);
    }
  });
});

/**
 * Node.js sizes V8's old generation from the container's memory limit (a quarter of it, twice that
 * on 64-bit). Under 512Mi that is 256 MiB, and n8n 2.23.4 ran out of heap while loading its nodes
 * at start when the product harness gave it that limit; with 1Gi's it started and peaked at 657 MiB.
 */
describe.each(['small', 'medium', 'large'] as const)('n8n\'s memory at size %s', (size) => {
  const n8n = synthesisedContainer(buildingBlockManifests(environmentRunning(N8N, 'sandbox', size), N8N.buildingBlock), 'n8n-main', 'n8n') as { resources?: { requests?: Record<string, string>; limits?: Record<string, string> } };

  it('is at least the 1Gi n8n needs to start, requested and limited alike', () => {
    for (const quantity of [n8n.resources?.requests?.memory, n8n.resources?.limits?.memory]) expect(mebibytes(quantity ?? '0Mi')).toBeGreaterThanOrEqual(1024);
  });
});
