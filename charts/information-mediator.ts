import type { App } from 'cdk8s';
import { namespaceBaseline } from '../constructs/baseline/namespace-sizing';
import { SecureNamespace } from '../constructs/baseline/secure-namespace';
import type { Environment } from '../constructs/environment/schema';
import { E_SERVICES_NAMESPACE, EServicesNamespace, InformationMediator, type InformationMediatorOptions } from '../constructs/information-mediator';
import { ReviewFile } from './review-file';
import { KitChart } from './kit-chart';
import { serviceCatalogueMarkdown } from '../constructs/information-mediator/service-catalogue';

/**
 * The Information Mediator layer, one component per concern so each is its own Helm release:
 * `xroad` (the namespace, generated secrets and the reviewable service catalogue),
 * `xroad-central-server` (sandbox only: NIIS's development central server, a test CA and the
 * bootstrap Job), `xroad-ss-<member>` (one security server per member with its database,
 * network policies and service registration) and `e-services` (the namespace, empty in the kit,
 * where the country deploys its e-services, the consumer members' clients). The X-Road releases do
 * not wait for readiness: a security server is Ready only once registered with the central server,
 * which outside the sandbox is a manual step with the national X-Road operator, and Helm must not
 * roll back a correct install meanwhile.
 */
export function addInformationMediatorCharts(app: App, env: Pick<Environment, 'buildingBlocks' | 'cluster' | 'country' | 'ha' | 'name' | 'platform' | 'registry' | 'stage' | 'xroad'>, options: InformationMediatorOptions = {}): void {
  const mediator = new InformationMediator(env, options);
  const chart = (component: string) =>
    new KitChart(app, { layer: 'information-mediator', component, releaseNamespace: mediator.namespace, waitUntilReady: false });

  const base = chart('xroad');
  const namespace = new SecureNamespace(base, 'Namespace', {
    name: mediator.namespace,
    podSecurity: 'baseline',
    podSecurityExceptionReason:
      'NIIS\'s X-Road images start supervisord as root (upstream Kubernetes security guide: baseline at best); only X-Road servers run as root here, every helper pod is restricted',
    ...namespaceBaseline(env, mediator.footprint),
  });
  mediator.addSecrets(base);
  new ReviewFile(base, 'ServiceCatalogue', { file: 'xroad-service-catalogue.md', content: serviceCatalogueMarkdown(env, mediator.catalogue) });

  if (mediator.development) mediator.addDevelopmentCentralServer(chart('xroad-central-server'));
  for (const member of env.xroad.members) mediator.addSecurityServer(chart(`xroad-ss-${member.name}`), member, namespace);

  const eServices = new KitChart(app, { layer: 'information-mediator', component: E_SERVICES_NAMESPACE, releaseNamespace: E_SERVICES_NAMESPACE });
  new EServicesNamespace(eServices, 'EServices', { env });
}
