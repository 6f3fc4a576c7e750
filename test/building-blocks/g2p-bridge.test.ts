import { G2P_BRIDGE } from '../../constructs/catalogue/products/g2p-bridge';
import { collectServiceCatalogue } from '../../constructs/information-mediator/service-catalogue';
import { loadEnvironment } from '../../constructs/environment/load';
import type { Manifest } from '../../src/synth/manifest';
import { allowsTraffic } from '../support/network-policy';
import { buildingBlockManifests, canWrite, environmentRunning, literalEnv, synthesisedContainer, type SynthesisedContainer } from '../support/building-blocks';

/**
 * What OpenG2P G2P Bridge 1.0.2 does when it starts, read in OpenG2P/openg2p-g2p-bridge at v1.0.2 and
 * in the PyPI releases its images install (openg2p-fastapi-common 1.1.1):
 * - every Dockerfile-pypi puts main.py in /app and starts from there (`main:app`, `main.celery_app`);
 * - the API image's CMD runs `python3 main.py migrate` (SQLAlchemy create_all) before gunicorn;
 * - gunicorn keeps its workers' heartbeat files in the temporary directory;
 * - `celery worker --beat` writes its schedule file `celerybeat-schedule` into the working directory
 *   unless told another (`--schedule`);
 * - the settings (pydantic-settings) read the Celery broker URL as one string, password included.
 */
const workloadOf = (manifests: readonly Manifest[], name: string) =>
  manifests.find((m) => m.kind === 'Deployment' && m.metadata.name === name) as Manifest & { spec: { replicas: number } };

const envOf = (container: SynthesisedContainer, name: string) => container.env?.find((variable) => variable.name === name);

describe.each(G2P_BRIDGE.stages)('G2P Bridge as the kit runs it in %s', (stage) => {
  const manifests = buildingBlockManifests(environmentRunning(G2P_BRIDGE, stage), G2P_BRIDGE.buildingBlock);
  const api = synthesisedContainer(manifests, 'g2p-bridge-api', 'api');
  const migrate = synthesisedContainer(manifests, 'g2p-bridge-api', 'migrate');
  const worker = synthesisedContainer(manifests, 'g2p-bridge-worker', 'worker');
  const beat = synthesisedContainer(manifests, 'g2p-bridge-beat', 'beat');

  it('creates its tables in an init container, so a failed migration stops the API pod instead of being ignored', () => {
    expect(migrate.command).toEqual(['python3', 'main.py', 'migrate']);
    expect(api.command?.[0]).toBe('gunicorn');
  });

  it('starts every process where the images keep main.py', () => {
    for (const container of [migrate, api, worker, beat]) expect((container as SynthesisedContainer & { workingDir?: string }).workingDir).toBe('/app');
  });

  it('keeps read-only roots and may still write what gunicorn and Celery beat write', () => {
    for (const container of [api, worker, beat]) expect(container.securityContext?.readOnlyRootFilesystem).toBe(true);
    expect(canWrite(api, '/tmp/wgunicorn-heartbeat')).toBe(true);
    const schedule = beat.command![beat.command!.indexOf('--schedule') + 1];
    expect(schedule).toBe('/tmp/celerybeat-schedule');
    expect(canWrite(beat, schedule)).toBe(true);
  });

  it('gives Celery its broker in the building block\'s Valkey without writing the password into the manifest', () => {
    for (const [container, prefix] of [[worker, 'G2P_BRIDGE_CELERY_WORKERS_'], [beat, 'G2P_BRIDGE_CELERY_BEAT_']] as const) {
      const names = container.env!.map((variable) => variable.name);
      const broker = literalEnv(container, `${prefix}CELERY_BROKER_URL`)!;
      expect(broker).toBe('redis://:$(VALKEY_PASSWORD)@$(VALKEY_HOST):$(VALKEY_PORT)/0');
      // The kubelet expands $(NAME) only from variables defined before it.
      for (const name of ['VALKEY_PASSWORD', 'VALKEY_HOST', 'VALKEY_PORT']) expect(names.indexOf(name)).toBeLessThan(names.indexOf(`${prefix}CELERY_BROKER_URL`));
      expect(envOf(container, 'VALKEY_PASSWORD')?.valueFrom).toEqual({ secretKeyRef: { name: 'g2p-bridge-cache-password', key: 'password' } });
      expect(envOf(container, `${prefix}DB_PASSWORD`)?.valueFrom).toEqual({ secretKeyRef: { name: 'g2p-bridge-db-app', key: 'password' } });
    }
  });

  it('pays on an envelope\'s schedule date only', () => {
    expect(literalEnv(beat, 'G2P_BRIDGE_CELERY_BEAT_PROCESS_FUTURE_DISBURSEMENT_SCHEDULES')).toBe('false');
  });

  it('reaches nothing outside the cluster: the sponsor bank\'s connector, and its address, are the country\'s', () => {
    const own = { namespace: 'bb-payments', labels: { 'govstack.dev/product': 'g2p-bridge', 'app.kubernetes.io/name': 'g2p-bridge', 'app.kubernetes.io/component': 'worker' } };
    expect(allowsTraffic(manifests, own, { namespace: 'bb-workflow', labels: {} }, 443)).toBe(false);
    expect(manifests.some((m) => m.kind === 'NetworkPolicy' && m.metadata.name.includes('egress-outside'))).toBe(false);
  });
});

describe('G2P Bridge in production', () => {
  const manifests = buildingBlockManifests(environmentRunning(G2P_BRIDGE, 'production'), G2P_BRIDGE.buildingBlock);

  it('runs the API and the workers replicated, and one scheduler, which would otherwise send every step twice', () => {
    expect(workloadOf(manifests, 'g2p-bridge-api').spec.replicas).toBeGreaterThanOrEqual(2);
    expect(workloadOf(manifests, 'g2p-bridge-worker').spec.replicas).toBeGreaterThanOrEqual(2);
    expect(workloadOf(manifests, 'g2p-bridge-beat').spec.replicas).toBe(1);
  });
});

describe('the payments building block through the Information Mediator', () => {
  const env = loadEnvironment('marenland-staging');
  const disbursement = collectServiceCatalogue(env).services.find((service) => service.buildingBlock === 'payments');

  it('registers the disbursement API from the OpenAPI document FastAPI serves', () => {
    expect(disbursement?.serviceCode).toBe('disbursement-api');
    expect(disbursement?.descriptionType).toBe('OPENAPI3');
    expect(disbursement?.descriptionUrl).toBe('http://g2p-bridge-api.bb-payments.svc:8000/openapi.json');
  });

  it('grants it to the workflow, registration and the e-services only', () => {
    expect(disbursement?.consumers.map((consumer) => consumer.subsystemCode).sort()).toEqual(['E-SERVICES', 'REGISTRATION', 'WORKFLOW']);
  });

  it('is what the workflow engine is told to call, through its own security server', () => {
    const workflow = buildingBlockManifests(env, 'workflow');
    const n8n = synthesisedContainer(workflow, 'n8n-main', 'n8n');
    expect(literalEnv(n8n, 'GOVSTACK_PAYMENTS_URL')).toBe('https://ss-gov-services.xroad.svc:8443/r1/MRN-TEST/GOV/MRN-GOV-01/PAYMENTS/disbursement-api');
    expect(literalEnv(n8n, 'GOVSTACK_PAYMENTS_XROAD_CLIENT')).toBe('MRN-TEST/GOV/MRN-GOV-01/WORKFLOW');
  });
});
