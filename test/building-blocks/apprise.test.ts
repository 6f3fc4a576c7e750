import { APPRISE } from '../../constructs/catalogue/products/apprise';
import { collectServiceCatalogue } from '../../constructs/information-mediator/service-catalogue';
import type { Manifest } from '../../src/synth/manifest';
import { allowsTraffic } from '../support/network-policy';
import { buildingBlockManifests, canWrite, environmentRunning, literalEnv, shippedEnvironmentOfStage, synthesisedContainer } from '../support/building-blocks';

/**
 * What Apprise API 1.5.2 writes and reads when it starts, read in caronc/apprise-api at v1.5.2:
 * - supervisord-startup: as a non-root user it writes its nginx snippets into /tmp/apprise and
 *   creates /config/store; supervisord.conf keeps its pid file in /tmp/apprise, gunicorn.conf.py its
 *   socket there, and nginx.conf its temporary files under /tmp;
 * - api/utils.py healthcheck: /status answers 417 unless the configuration and attachment directories
 *   (APPRISE_CONFIG_DIR, APPRISE_ATTACH_DIR) and the persistent store (<config>/store) are writable;
 * - gunicorn.conf.py: without APPRISE_WORKER_COUNT it starts 2 × the node's CPUs + 1 workers.
 */
describe.each(APPRISE.stages)('Apprise API as the kit runs it in %s', (stage) => {
  const manifests = buildingBlockManifests(environmentRunning(APPRISE, stage), APPRISE.buildingBlock);
  const apprise = synthesisedContainer(manifests, 'apprise-api', 'apprise');

  it('keeps a read-only root filesystem and may still write everything Apprise API writes at start and in its health check', () => {
    expect(apprise.securityContext?.readOnlyRootFilesystem).toBe(true);
    const config = literalEnv(apprise, 'APPRISE_CONFIG_DIR')!;
    const attach = literalEnv(apprise, 'APPRISE_ATTACH_DIR')!;
    for (const path of ['/tmp/apprise/nginx-listen-port.conf', '/tmp/apprise/gunicorn.sock', '/tmp/nginx_client_temp', `${config}/store/.tmp_hc`, `${config}/sms.yml`, `${attach}/.tmp_hc`]) {
      expect([path, canWrite(apprise, path)]).toEqual([path, true]);
    }
  });

  it('fetches no attachment from inside the cluster and keeps uploads within its scratch volume', () => {
    expect(literalEnv(apprise, 'APPRISE_ATTACH_REJECT_URL')).toBe('internal');
    const workload = manifests.find((m) => m.metadata.name === 'apprise-api' && ['Deployment', 'StatefulSet'].includes(m.kind)) as Manifest;
    const volumes = (workload.spec as { template: { spec: { volumes: { name: string; emptyDir?: { sizeLimit: string } }[] } } }).template.spec.volumes;
    const attachMiB = Number(/^(\d+)Mi$/.exec(volumes.find((volume) => volume.name === 'attach')!.emptyDir!.sizeLimit)![1]);
    // APPRISE_MAX_ATTACHMENTS defaults to 6 (core/settings at v1.5.2); APPRISE_ATTACH_SIZE is in MB.
    expect(Number(literalEnv(apprise, 'APPRISE_ATTACH_SIZE')) * 6).toBeLessThanOrEqual(attachMiB);
  });

  it('sizes its workers itself instead of from the node\'s CPUs', () => {
    expect(literalEnv(apprise, 'APPRISE_WORKER_COUNT')).toBe('2');
  });

  it('replaces the Django secret key published in its source with one generated in the cluster', () => {
    expect(apprise.env?.find((variable) => variable.name === 'SECRET_KEY')?.valueFrom).toEqual({ secretKeyRef: { name: 'apprise-django', key: 'secret-key' } });
  });

  it('keeps its stored configurations on a claim that outlives the pods', () => {
    const workload = manifests.find((m) => m.metadata.name === 'apprise-api' && ['Deployment', 'StatefulSet'].includes(m.kind)) as Manifest;
    const claims = manifests.filter((m) => m.kind === 'PersistentVolumeClaim').map((m) => m.metadata.name);
    const templates = ((workload.spec as { volumeClaimTemplates?: { metadata: { name: string } }[] }).volumeClaimTemplates ?? []).map((t) => t.metadata.name);
    expect([...claims, ...templates].some((name) => name.includes('config'))).toBe(true);
  });
});

describe('the messaging building block through the Information Mediator', () => {
  const env = shippedEnvironmentOfStage('production');
  const notify = collectServiceCatalogue(env).services.find((service) => service.buildingBlock === 'messaging');

  it('registers only the sending endpoints, so callers never read the stored delivery credentials', () => {
    expect(notify?.serviceUrl).toBe('http://apprise-api.bb-messaging.svc:8000/notify');
    expect(notify?.descriptionType).toBe('REST');
  });

  it('grants sending to the workflow and the e-services only', () => {
    expect(notify?.consumers.map((consumer) => consumer.subsystemCode).sort()).toEqual(['E-SERVICES', 'WORKFLOW']);
  });

  it('is what the workflow engine is told to call, through its own security server', () => {
    const workflow = buildingBlockManifests(env, 'workflow');
    const engine = synthesisedContainer(workflow, 'camunda-engine', 'camunda');
    expect(literalEnv(engine, 'GOVSTACK_MESSAGING_URL')).toMatch(/^https:\/\/ss-gov-platform\.xroad\.svc:8443\/r1\/VELORIA\/GOV\/7000002\/MESSAGING\/notify$/);
    expect(literalEnv(engine, 'GOVSTACK_MESSAGING_XROAD_CLIENT')).toBe('VELORIA/GOV/7000002/WORKFLOW');
  });
});

describe('delivery outside the cluster', () => {
  const outsidePolicy = (manifests: readonly Manifest[]) => manifests.find((m) => m.kind === 'NetworkPolicy' && m.metadata.name === 'allow-apprise-egress-outside');
  const own = { namespace: 'bb-messaging', labels: { 'govstack.dev/product': 'apprise', 'app.kubernetes.io/name': 'apprise', 'app.kubernetes.io/component': 'api' } };

  it('reaches any address only on the e-mail, SMS and HTTPS ports it delivers on, never the metadata service', () => {
    const spec = outsidePolicy(buildingBlockManifests(environmentRunning(APPRISE, 'production'), 'messaging'))!.spec as {
      egress: { to: { ipBlock: { cidr: string; except?: string[] } }[]; ports: { port: number }[] }[];
    };
    expect(spec.egress).toHaveLength(1);
    expect(spec.egress[0].to).toEqual([{ ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.169.254/32'] } }]);
    expect(spec.egress[0].ports.map((port) => port.port)).toEqual([443, 465, 587, 2775]);
  });

  it('declares why outside the sandbox, where NET-06 asks', () => {
    for (const stage of ['staging', 'production'] as const) {
      const annotations = outsidePolicy(buildingBlockManifests(environmentRunning(APPRISE, stage), 'messaging'))!.metadata.annotations ?? {};
      expect(annotations['policy.govstack.dev/exception.NET-06']).toMatch(/e-mail relay, SMS centre or push service/);
    }
  });

  it('still reaches no other building block', () => {
    const manifests = buildingBlockManifests(environmentRunning(APPRISE, 'production'), 'messaging');
    expect(allowsTraffic(manifests, own, { namespace: 'bb-workflow', labels: {} }, 443)).toBe(false);
  });
});
