import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { declarePolicyException } from '../baseline/policy-exception';
import type { Environment, XRoadMember } from '../environment/schema';
import { imagePullPolicy, resolveImage } from '../images';
import type { PinConfirmation } from '../pins';
import { gatewayProxyPodLabels, GATEWAYS } from '../platform/contract';
import { XROAD_NAMESPACE } from './contract';
import { AllowTraffic, pods, podsIn } from '../baseline/allow-traffic';
import { BOOTSTRAP_POD_LABELS, CENTRAL_SERVER_PORTS, CENTRAL_SERVER_POD_LABELS } from './pod-labels';
import { port, quantity, helperResources, XROAD_SERVER_EXCEPTIONS, XROAD_SERVER_SCRATCH, xroadServerSecurityContext } from './pod-security';
import { SandboxBootstrap } from './sandbox-bootstrap';
import { script } from './script-files';
import { TestCa } from './test-ca';

export const CENTRAL_SERVER_NAME = 'xroad-central-server';
/** Secret (generated in the cluster) with the development central server's `admin-password` and `token-pin`. */
export const CENTRAL_SERVER_CREDENTIALS = `${CENTRAL_SERVER_NAME}-credentials`;

/**
 * NIIS's development central server image, `niis/xroad-central-server:<ubuntu>-<version>` on Docker
 * Hub ("strictly meant for testing and development"). NIIS builds it from `Docker/centralserver`
 * (Ubuntu noble since 7.5) and announces no tags; `noble-7.7.0` is used in public setups, so the
 * kit pins the same pattern at the security servers' version. UNVERIFIED that `noble-7.8.0` is
 * published: set `registry.digests` or mirror a tag you have checked. The `ghcr.io/nordic-institute/
 * xrddev-*` images are published only as `latest` and deleted after a week, so they cannot be pinned.
 */
export function developmentCentralServerImage(env: Pick<Environment, 'xroad'>): string {
  return `niis/xroad-central-server:noble-${env.xroad.securityServer.version}`;
}

/** Where the development central server image's release can be confirmed (`npm run pins`). */
export const DEVELOPMENT_CENTRAL_SERVER_CONFIRMATION: PinConfirmation = {
  unavailable: 'NIIS announces no tags of its development central server image and publishes X-Road to no registry this kit reaches; the tag follows the pattern of public setups, unverified',
};

export interface DevelopmentCentralServerProps {
  readonly env: Pick<Environment, 'cluster' | 'country' | 'name' | 'registry' | 'stage' | 'xroad'>;
  /** Image with Python 3 and OpenSSL for the test CA and the bootstrap Job. */
  readonly image: string;
  readonly securityServerAdminUser: string;
  readonly credentialsSecret: (member: XRoadMember) => string;
}

/**
 * The sandbox's own X-Road instance: NIIS's development central server with registration requests
 * auto-approved, a test CA with OCSP and TSA, and a Job that configures the instance and registers
 * every member's security server, so the sandbox configures itself after deploy. Never outside the
 * sandbox: the environment schema refuses `centralServer.mode: development` there.
 */
export class DevelopmentCentralServer extends Construct {
  constructor(scope: Construct, id: string, props: DevelopmentCentralServerProps) {
    super(scope, id);
    const { env } = props;
    if (env.stage !== 'sandbox') throw new Error(`the development central server is for the sandbox only, not ${env.stage}`);
    const namespace = XROAD_NAMESPACE;
    const labels = { ...CENTRAL_SERVER_POD_LABELS };
    const address = `${CENTRAL_SERVER_NAME}.${namespace}.svc.cluster.local`;
    const image = resolveImage(env, developmentCentralServerImage(env));
    const ports = Object.entries(CENTRAL_SERVER_PORTS).map(([name, number]) => ({ name, number }));

    new k8s.KubeConfigMap(this, 'Scripts', {
      metadata: { name: CENTRAL_SERVER_NAME, namespace },
      data: { 'start-central-server.sh': script('start-central-server.sh'), 'prepare-volume.sh': script('prepare-volume.sh') },
    });
    new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata: { name: CENTRAL_SERVER_NAME, namespace }, automountServiceAccountToken: false });
    const state = [
      { subPath: 'etc-xroad', mountPath: '/etc/xroad' },
      { subPath: 'var-lib-xroad', mountPath: '/var/lib/xroad' },
      { subPath: 'var-lib-postgresql-16-main', mountPath: '/var/lib/postgresql/16/main' },
    ];
    const statefulSet = new k8s.KubeStatefulSet(this, 'Resource', {
      metadata: { name: CENTRAL_SERVER_NAME, namespace, labels },
      spec: {
        replicas: 1,
        serviceName: CENTRAL_SERVER_NAME,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: CENTRAL_SERVER_NAME,
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
            initContainers: [
              {
                name: 'prepare-volume',
                image,
                imagePullPolicy: imagePullPolicy(image),
                command: ['/bin/bash', '/scripts/prepare-volume.sh'],
                securityContext: xroadServerSecurityContext(),
                resources: helperResources('100m', '128Mi', '512Mi'),
                volumeMounts: [
                  { name: 'scripts', mountPath: '/scripts', readOnly: true },
                  { name: 'data', mountPath: '/data' },
                ],
              },
            ],
            containers: [
              {
                name: 'central-server',
                image,
                imagePullPolicy: imagePullPolicy(image),
                command: ['/bin/bash', '/scripts/start-central-server.sh'],
                ports: ports.map((p) => ({ name: p.name, containerPort: p.number })),
                startupProbe: { tcpSocket: { port: port(CENTRAL_SERVER_PORTS.admin) }, periodSeconds: 10, failureThreshold: 60 },
                readinessProbe: { httpGet: { path: '/', port: port(CENTRAL_SERVER_PORTS.admin), scheme: 'HTTPS' }, periodSeconds: 10 },
                livenessProbe: { tcpSocket: { port: port(CENTRAL_SERVER_PORTS.admin) }, periodSeconds: 20, failureThreshold: 5 },
                securityContext: xroadServerSecurityContext(),
                resources: helperResources('250m', '2Gi', '3Gi', '2', XROAD_SERVER_SCRATCH),
                volumeMounts: [
                  { name: 'scripts', mountPath: '/scripts', readOnly: true },
                  { name: 'credentials', mountPath: '/credentials', readOnly: true },
                  ...state.map((s) => ({ name: 'data', ...s })),
                ],
              },
            ],
            volumes: [
              { name: 'scripts', configMap: { name: CENTRAL_SERVER_NAME } },
              { name: 'credentials', secret: { secretName: CENTRAL_SERVER_CREDENTIALS, items: ['admin-password', 'token-pin'].map((key) => ({ key, path: key })) } },
            ],
          },
        },
        volumeClaimTemplates: [
          {
            metadata: { name: 'data' },
            spec: { accessModes: ['ReadWriteOnce'], storageClassName: env.cluster.storageClasses.data, resources: { requests: { storage: quantity('10Gi') } } },
          },
        ],
      },
    });
    for (const [check, reason] of Object.entries(XROAD_SERVER_EXCEPTIONS)) declarePolicyException(statefulSet, check, reason);

    new k8s.KubeService(this, 'Service', {
      metadata: { name: CENTRAL_SERVER_NAME, namespace },
      spec: {
        selector: labels,
        publishNotReadyAddresses: true,
        ports: ports.map((p) => ({ name: p.name, port: p.number, targetPort: port(p.number), protocol: 'TCP' })),
      },
    });
    new AllowTraffic(this, 'Ingress', {
      name: CENTRAL_SERVER_NAME,
      namespace,
      pods: labels,
      ingress: [
        {
          peers: [pods({ 'app.kubernetes.io/name': 'xroad-security-server' })],
          ports: [CENTRAL_SERVER_PORTS.http, CENTRAL_SERVER_PORTS.https, CENTRAL_SERVER_PORTS.registration, CENTRAL_SERVER_PORTS.management],
        },
        { peers: [pods(BOOTSTRAP_POD_LABELS), podsIn(GATEWAYS.internal.namespace, gatewayProxyPodLabels('internal'))], ports: [CENTRAL_SERVER_PORTS.admin] },
      ],
    });

    const testCa = new TestCa(this, 'TestCa', { env, namespace, image: props.image });
    new SandboxBootstrap(this, 'Bootstrap', {
      env,
      namespace,
      image: props.image,
      centralServer: { address, adminUrl: `https://${address}:${CENTRAL_SERVER_PORTS.admin}`, credentialsSecret: CENTRAL_SERVER_CREDENTIALS },
      testCa,
      securityServerAdminUser: props.securityServerAdminUser,
      credentialsSecret: props.credentialsSecret,
    });
  }
}
