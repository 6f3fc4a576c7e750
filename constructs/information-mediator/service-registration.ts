import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { declarePolicyException } from '../baseline/policy-exception';
import { registrationServiceAccount, XROAD_CLIENT_CERTIFICATE, type SecurityServerRef } from './contract';
import { scriptPod } from './script-pod';
import { script } from './script-files';
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
   * Joining an external instance: the anchor in the cluster and the identity to initialise with.
   * Without it (the sandbox) the bootstrap Job initialises the server.
   * @default the bootstrap Job initialises the server itself (sandbox)
   */
  readonly initialise?: RegistrationInitialisation;
  /**
   * How often the registration runs; each run changes only what differs from the catalogue.
   * @default every 15 minutes
   */
  readonly schedule?: string;
}

/** How a security server joining an external instance is initialised (anchor import, owner, server code). */
export interface RegistrationInitialisation {
  /** Where the operator put the instance's configuration anchor, in the security server's namespace. */
  readonly anchor: { readonly kind: 'ConfigMap' | 'Secret'; readonly name: string; readonly key: string };
  readonly ownerMemberClass: string;
  readonly ownerMemberCode: string;
  readonly serverCode: string;
  /** Address to register the authentication certificate with (a manual step; shown in the log). */
  readonly address: string;
}

const ANCHOR_DIR = '/anchor';
/** Where the server's generated credentials (`admin-password`, `token-pin`) are mounted as files. */
const LOGIN_FILES_DIR = '/credentials';

/** What one security server's registration applies: its subsystems and the services they provide. */
export interface RegistrationInput {
  readonly adminUrl: string;
  readonly adminUser: string;
  /** File holding the admin user's password. */
  readonly passwordFile: string;
  readonly initialise?: {
    readonly anchorFile: string;
    /** File holding the token PIN the server is initialised with (autologin uses the same one). */
    readonly pinFile: string;
    readonly anchorSource: string;
    readonly ownerMemberClass: string;
    readonly ownerMemberCode: string;
    readonly serverCode: string;
    readonly address: string;
  };
  readonly subsystems: readonly RegisteredSubsystem[];
  readonly services: readonly { provider: string; serviceCode: string; descriptionType: 'OPENAPI3' | 'REST'; descriptionUrl: string; serviceUrl: string; consumers: readonly string[] }[];
}

/** A subsystem as the registration applies it: always connection type HTTPS, with the client certificate its namespace was issued. */
export interface RegisteredSubsystem {
  readonly id: string;
  readonly memberClass: string;
  readonly memberCode: string;
  readonly subsystemCode: string;
  readonly connectionType: 'HTTPS';
  /** The cert-manager Certificate whose issued certificates (never its key) become the subsystem's internal TLS certificates. */
  readonly clientCertificate: { readonly namespace: string; readonly name: string };
}

export function registrationPodLabels(server: SecurityServerRef): Record<string, string> {
  return { 'app.kubernetes.io/name': 'xroad-service-registration', 'govstack.dev/xroad-member': server.member.name };
}

export function registrationInput(
  server: SecurityServerRef,
  catalogue: ServiceCatalogue,
  adminUser: string,
  initialise?: RegistrationInitialisation,
): RegistrationInput {
  const subsystems = catalogue.subsystems[server.member.name] ?? [];
  const hosted = new Set(subsystems.map((subsystem) => subsystem.id));
  return {
    adminUrl: `https://${server.adminService}.${server.namespace}.svc:4000`,
    adminUser,
    passwordFile: `${LOGIN_FILES_DIR}/admin-password`,
    ...(initialise
      ? {
          initialise: {
            anchorFile: `${ANCHOR_DIR}/${initialise.anchor.key}`,
            pinFile: `${LOGIN_FILES_DIR}/token-pin`,
            anchorSource: `${initialise.anchor.kind} ${initialise.anchor.name} (key ${initialise.anchor.key})`,
            ownerMemberClass: initialise.ownerMemberClass,
            ownerMemberCode: initialise.ownerMemberCode,
            serverCode: initialise.serverCode,
            address: initialise.address,
          },
        }
      : {}),
    subsystems: subsystems.map((s) => ({
      id: s.id,
      memberClass: s.member.memberClass,
      memberCode: s.member.memberCode,
      subsystemCode: s.subsystemCode,
      connectionType: 'HTTPS',
      clientCertificate: { namespace: s.namespace, name: XROAD_CLIENT_CERTIFICATE.name },
    })),
    services: catalogue.services
      .filter((service) => hosted.has(service.provider.id))
      .map((service) => ({
        provider: service.provider.id,
        serviceCode: service.serviceCode,
        descriptionType: service.descriptionType,
        descriptionUrl: service.descriptionUrl,
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
    const name = registrationServiceAccount(server.member);
    this.configMapName = name;
    this.input = registrationInput(server, props.catalogue, props.adminUser, props.initialise);
    const anchor = props.initialise?.anchor;
    // Optional: until the operator has put the anchor in the cluster, each run says what is missing.
    const anchorVolume: k8s.Volume[] = !anchor
      ? []
      : anchor.kind === 'ConfigMap'
        ? [{ name: 'anchor', configMap: { name: anchor.name, optional: true, items: [{ key: anchor.key, path: anchor.key }] } }]
        : [{ name: 'anchor', secret: { secretName: anchor.name, optional: true, items: [{ key: anchor.key, path: anchor.key }] } }];

    new k8s.KubeConfigMap(this, 'Input', {
      metadata: { name, namespace: server.namespace },
      data: {
        'input.json': `${JSON.stringify(this.input, null, 2)}\n`,
        'register_services.py': script('register_services.py'),
        'xroad_api.py': script('xroad_api.py'),
        'kubernetes_api.py': script('kubernetes_api.py'),
      },
    });
    new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name, namespace: server.namespace },
      automountServiceAccountToken: false,
    });
    const labels = registrationPodLabels(server);
    const cronJob = new k8s.KubeCronJob(this, 'Resource', {
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
            template: scriptPod({
              serviceAccountName: name,
              labels,
              image: props.image,
              configMap: name,
              script: 'register_services.py',
              kubernetesApi: true,
              mounts: [
                { mountPath: LOGIN_FILES_DIR, volume: { name: 'credentials', secret: { secretName: props.credentialsSecret } } },
                ...anchorVolume.map((volume) => ({ mountPath: ANCHOR_DIR, volume })),
              ],
            }),
          },
        },
      },
    });
    declarePolicyException(
      cronJob,
      'RBAC-04',
      'it reads each client namespace\'s issued X-Road client certificate from cert-manager\'s CertificateRequests (public certificates only: its Roles grant list on certificaterequests in those namespaces and nothing else) to register it with the security server',
    );
  }
}
