import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { KitChart, type LayerName } from '../../charts/kit-chart';
import { parseEnvironment } from '../../constructs/environment/load';
import type { Environment } from '../../constructs/environment/schema';
import { UpstreamHelmChart } from '../../constructs/releases/upstream-helm-chart';
import { evaluatePolicies, policyInputOf } from '../../src/policy';
import type { ReviewSubject } from '../../src/review/inputs';
import type { Manifest } from '../../src/synth/manifest';
import type { RenderedComponent } from '../../src/synth/render';
import type { EnvironmentSynthesis } from '../../src/synth/synthesize';

/** The hand-made fixture components: file name = component, layer as a reviewer would expect. */
const FIXTURE_COMPONENTS: readonly { readonly component: string; readonly layer: LayerName }[] = [
  { component: 'registry', layer: 'building-blocks' },
  { component: 'xroad', layer: 'information-mediator' },
  { component: 'node-agents', layer: 'platform' },
];

export function fixtureManifests(file: string): Manifest[] {
  const text = readFileSync(path.join(__dirname, 'fixtures', `${file}.yaml`), 'utf8');
  return parseAllDocuments(text).map((doc) => doc.toJS() as Manifest);
}

export function fixtureComponents(): RenderedComponent[] {
  return FIXTURE_COMPONENTS.map(({ component, layer }) => ({ component, layer, releaseNamespace: component, requires: [], waitUntilReady: true, installedAfter: [], holdsData: false, manifests: fixtureManifests(component) }));
}

/** An upstream gateway chart whose values size 2 replicas of 100m / 256Mi (limit 1Gi). */
export function fixtureUpstreamCharts(): UpstreamHelmChart[] {
  const chart = new KitChart(new App(), { layer: 'platform', component: 'gateway', releaseNamespace: 'envoy-gateway-system' });
  return [
    new UpstreamHelmChart(chart, 'Gateway', {
      releaseName: 'envoy-gateway',
      namespace: 'envoy-gateway-system',
      repository: 'oci://docker.io/envoyproxy',
      chart: 'gateway-helm',
      version: '1.5.0',
      values: { deployment: { replicas: 2, envoyGateway: { image: { repository: 'docker.io/envoyproxy/gateway' } }, resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '1Gi' } } } },
      images: ['docker.io/envoyproxy/gateway:v1.5.0'],
      reason: 'Envoy Gateway is installed with its own chart, which also installs its CRDs.',
    }),
  ];
}

/** The fixtures' own production environment (`fixtures/environment.yaml`). */
export function fixtureEnvironment(): Environment {
  const file = path.join(__dirname, 'fixtures', 'environment.yaml');
  return parseEnvironment(readFileSync(file, 'utf8'), file, 'fixtures-production');
}

/** The fixture as one environment's synthesis, judged by the policy suite. */
export function fixtureSubject(env: Environment = fixtureEnvironment()): ReviewSubject {
  const synthesis: EnvironmentSynthesis = {
    env,
    assembly: { env, charts: [], upstreamCharts: fixtureUpstreamCharts() },
    components: fixtureComponents(),
    stacks: [],
    terraform: {},
    manifestFiles: [],
    rendered: [],
  };
  return { synthesis, policy: evaluatePolicies(policyInputOf(synthesis)) };
}
