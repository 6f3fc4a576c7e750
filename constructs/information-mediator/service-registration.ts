import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import type { SecurityServerRef } from './contract';
import { HELPER_UID, quantity, resources, restrictedContainerSecurityContext, restrictedPodSecurityContext } from './pod-security';
import type { ServiceCatalogue } from './service-catalogue';

export interface ServiceRegistrationProps {
  readonly server: SecurityServerRef;
  readonly catalogue: ServiceCatalogue;
  /** An image with Python 3 (NIIS's security server image has it for supervisord). */
  readonly image: string;
  readonly adminUser: string;
  /** Secret holding `admin-password`. */
  readonly credentialsSecret: string;
  /**
   * How often the registration runs; each run changes only what differs from the catalogue.
   * @default every 15 minutes
   */
  readonly schedule?: string;
}

/** What one security server's registration applies: its subsystems and the services they provide. */
export interface RegistrationInput {
  readonly adminUrl: string;
  readonly subsystems: readonly { id: string; memberClass: string; memberCode: string; subsystemCode: string }[];
  readonly services: readonly { provider: string; serviceCode: string; openApiUrl: string; serviceUrl: string; consumers: readonly string[] }[];
}

export function registrationPodLabels(server: SecurityServerRef): Record<string, string> {
  return { 'app.kubernetes.io/name': 'xroad-service-registration', 'govstack.dev/xroad-member': server.member.name };
}

export function registrationInput(server: SecurityServerRef, catalogue: ServiceCatalogue): RegistrationInput {
  const subsystems = catalogue.subsystems[server.member.name] ?? [];
  const hosted = new Set(subsystems.map((subsystem) => subsystem.id));
  return {
    adminUrl: `https://${server.adminService}.${server.namespace}.svc:4000`,
    subsystems: subsystems.map((s) => ({ id: s.id, memberClass: s.member.memberClass, memberCode: s.member.memberCode, subsystemCode: s.subsystemCode })),
    services: catalogue.services
      .filter((service) => hosted.has(service.provider.id))
      .map((service) => ({
        provider: service.provider.id,
        serviceCode: service.serviceCode,
        openApiUrl: service.openApiUrl,
        serviceUrl: service.serviceUrl,
        consumers: service.consumers.map((consumer) => consumer.id),
      })),
  };
}

/**
 * Services as code for one security server: its part of the service catalogue in a ConfigMap and a
 * CronJob that applies it through the admin REST API (session login, a temporary API key with only
 * the roles it needs, revoked at the end). A CronJob rather than a one-off Job because outside the
 * sandbox the server is initialised and its subsystems approved by hand, at a time the deployment
 * cannot know; each run is idempotent, so it also puts back anything changed by hand.
 * `kubectl create job --from=cronjob/<name>` runs it at once.
 */
export class ServiceRegistration extends Construct {
  readonly input: RegistrationInput;
  readonly configMapName: string;

  constructor(scope: Construct, id: string, props: ServiceRegistrationProps) {
    super(scope, id);
    const { server } = props;
    const name = `${server.clientService}-register-services`;
    this.configMapName = name;
    this.input = registrationInput(server, props.catalogue);
    const script = (file: string) => readFileSync(path.join(__dirname, 'scripts', file), 'utf8');

    new k8s.KubeConfigMap(this, 'Input', {
      metadata: { name, namespace: server.namespace },
      data: {
        'input.json': `${JSON.stringify(this.input, null, 2)}\n`,
        'register_services.py': script('register_services.py'),
        'xroad_api.py': script('xroad_api.py'),
      },
    });
    new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name, namespace: server.namespace },
      automountServiceAccountToken: false,
    });
    const labels = registrationPodLabels(server);
    new k8s.KubeCronJob(this, 'Resource', {
      metadata: { name, namespace: server.namespace },
      spec: {
        schedule: props.schedule ?? '*/15 * * * *',
        concurrencyPolicy: 'Forbid',
        startingDeadlineSeconds: 600,
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          spec: {
            backoffLimit: 2,
            activeDeadlineSeconds: 1800,
            template: {
              metadata: { labels },
              spec: {
                serviceAccountName: name,
                automountServiceAccountToken: false,
                restartPolicy: 'Never',
                securityContext: restrictedPodSecurityContext(HELPER_UID),
                containers: [
                  {
                    name: 'register',
                    image: props.image,
                    imagePullPolicy: 'IfNotPresent',
                    command: ['python3', '/input/register_services.py', '/input/input.json'],
                    env: [
                      { name: 'XROAD_ADMIN_USER', value: props.adminUser },
                      { name: 'ADMIN_CREDENTIALS_FILE', value: '/credentials/admin-password' },
                      { name: 'PYTHONDONTWRITEBYTECODE', value: '1' },
                      { name: 'PYTHONPATH', value: '/input' },
                    ],
                    securityContext: restrictedContainerSecurityContext(),
                    resources: resources('50m', '64Mi', '256Mi'),
                    volumeMounts: [
                      { name: 'input', mountPath: '/input', readOnly: true },
                      { name: 'credentials', mountPath: '/credentials', readOnly: true },
                      { name: 'tmp', mountPath: '/tmp' },
                    ],
                  },
                ],
                volumes: [
                  { name: 'input', configMap: { name } },
                  { name: 'credentials', secret: { secretName: props.credentialsSecret, items: [{ key: 'admin-password', path: 'admin-password' }] } },
                  { name: 'tmp', emptyDir: { medium: 'Memory', sizeLimit: quantity('16Mi') } },
                ],
              },
            },
          },
        },
      },
    });
  }
}
