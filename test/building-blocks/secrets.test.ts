import { App } from 'cdk8s';
import { KitChart } from '../../charts/kit-chart';
import { BuildingBlock } from '../../constructs/building-blocks/building-block';
import { N8N } from '../../constructs/catalogue/products/n8n';
import type { CatalogueEntry, ContainerEntry } from '../../constructs/catalogue/types';
import { environmentRunning } from '../support/building-blocks';

/** Synthesises n8n with its container changed as given. */
function n8nWith(change: (container: ContainerEntry) => ContainerEntry): () => void {
  const env = environmentRunning(N8N, 'sandbox');
  const entry: CatalogueEntry = { ...N8N, components: N8N.components.map((c) => ({ ...c, containers: c.containers.map(change) })) };
  const chart = new KitChart(new App(), { layer: 'building-blocks', component: 'bb-workflow', releaseNamespace: 'bb-workflow' });
  return () => new BuildingBlock(chart, 'workflow', { env, entry, selection: env.buildingBlocks.workflow! });
}

describe('secrets in a catalogue entry', () => {
  it('refuses a secret passed through the environment without the product\'s reason, naming the variable', () => {
    const withPasswordInEnv = n8nWith((c) => ({ ...c, env: (ctx) => ({ ...c.env!(ctx), DB_POSTGRESDB_PASSWORD: { database: 'password' } }) }));
    expect(withPasswordInEnv).toThrow(/n8n container n8n passes DB_POSTGRESDB_PASSWORD through its environment: give each as a file/);
  });

  it('refuses a reason for secrets in the environment where none is passed there', () => {
    expect(n8nWith((c) => ({ ...c, secretsInEnvironment: 'n8n would read them from its environment' }))).toThrow(/gives a reason .* but passes none there/);
  });

  it('accepts the entry as it is: every secret read from a file', () => {
    expect(n8nWith((c) => c)).not.toThrow();
  });
});
