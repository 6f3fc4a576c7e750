import { App } from 'cdk8s';
import { addInformationMediatorCharts } from '../../charts/information-mediator';
import { KitChart } from '../../charts/kit-chart';
import { ReviewFile } from '../../charts/review-file';
import type { CatalogueEntry, ComponentEntry } from '../../constructs/catalogue';
import { loadEnvironment } from '../../constructs/environment/load';
import type { Environment } from '../../constructs/environment/schema';
import type { Manifest } from '../../src/synth/manifest';

/** A component of a fixture product: only what the Information Mediator reads (name and ports). */
function component(name: string, port: number): ComponentEntry {
  return { name, containers: [{ name, ports: [{ name: 'http', port }] }] } as unknown as ComponentEntry;
}

/** Two fixture products declaring APIs, standing in for the catalogue the building blocks fill. */
export const FIXTURE_ENTRIES: readonly CatalogueEntry[] = [
  {
    buildingBlock: 'digital-registries',
    product: 'fixture-registry',
    components: [component('api', 8080)],
    apis: [
      { serviceCode: 'registry-data', openApiPath: '/openapi.json', basePath: '/api/v1', component: 'api', allowedCallers: ['registration', 'e-services'] },
      { serviceCode: 'registry-admin', withoutOpenApi: 'the fixture serves no OpenAPI document for its admin API', basePath: '/admin', component: 'api', allowedCallers: [] },
    ],
  },
  {
    buildingBlock: 'registration',
    product: 'fixture-registration',
    components: [component('server', 8000)],
    apis: [
      {
        serviceCode: 'applications',
        openApiPath: 'https://docs.registration.example/openapi.yaml',
        basePath: '/api',
        component: 'server',
        allowedCallers: ['digital-registries', 'workflow', 'e-services'],
      },
    ],
  },
].map((entry) => entry as unknown as CatalogueEntry);

/** A shipped environment with the fixture products enabled (the loader would refuse products the catalogue lacks). */
export function environmentWithFixtures(name: string): Environment {
  const env = loadEnvironment(name);
  const selection = (product: string) => ({ enabled: true, product, version: '1.0.0', size: 'small' as const });
  return {
    ...env,
    buildingBlocks: { 'digital-registries': selection('fixture-registry'), registration: selection('fixture-registration') },
  };
}

export interface MediatorOutput {
  readonly manifests: Manifest[];
  readonly charts: KitChart[];
  readonly documents: Map<string, string>;
}

/** The Information Mediator layer of an environment, rendered. */
export function informationMediator(env: Environment, entries: readonly CatalogueEntry[] = FIXTURE_ENTRIES): MediatorOutput {
  const app = new App({ outdir: 'unused', recordConstructMetadata: false });
  addInformationMediatorCharts(app, env, { catalogueEntries: entries });
  const charts = app.node.findAll().filter(KitChart.isKitChart);
  const documents = new Map(app.node.findAll().filter(ReviewFile.isReviewFile).map((d) => [d.file, d.content]));
  return { manifests: charts.flatMap((chart) => chart.toJson() as Manifest[]), charts, documents };
}

export function find(manifests: readonly Manifest[], kind: string, name: string): Manifest & Record<string, any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const found = manifests.find((m) => m.kind === kind && m.metadata.name === name);
  if (!found) throw new Error(`no ${kind}/${name}; have ${manifests.map((m) => `${m.kind}/${m.metadata.name}`).join(', ')}`);
  return found as Manifest & Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function containerOf(workload: Record<string, any>, name?: string): Record<string, any> {
  const containers = workload.spec.template.spec.containers;
  return name ? containers.find((c: { name: string }) => c.name === name) : containers[0];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function envVar(container: Record<string, any>, name: string): Record<string, any> | undefined {
  return container.env?.find((e: { name: string }) => e.name === name);
}
