import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { imagePullPolicy } from '../images';
import type { Environment } from '../environment/schema';
import { AllowTraffic, pods } from '../baseline/allow-traffic';
import { BOOTSTRAP_POD_LABELS, TEST_CA_PORTS, TEST_CA_POD_LABELS } from './pod-labels';
import { HELPER_UID, port, quantity, helperResources } from './pod-security';
import { script } from './script-files';
import { restrictedContainerSecurity, restrictedPodSecurity } from '../baseline/restricted-pod';

export interface TestCaProps {
  readonly env: Pick<Environment, 'cluster' | 'country'>;
  readonly namespace: string;
  /** An image with Python 3 and OpenSSL. */
  readonly image: string;
}

export const TEST_CA_NAME = 'xroad-test-ca';

/**
 * The sandbox's certification authority, OCSP responder and time-stamping authority: OpenSSL behind
 * a small HTTP front (`scripts/test_ca.py`), as NIIS's test CA is. NIIS publishes its own only as
 * `ghcr.io/nordic-institute/xrddev-testca:latest`, deleted after a week, which cannot be pinned.
 * Runs at Pod Security restricted; its keys stay on its volume.
 */
export class TestCa extends Construct {
  readonly caUrl: string;
  readonly tsaUrl: string;

  constructor(scope: Construct, id: string, props: TestCaProps) {
    super(scope, id);
    const { env, namespace } = props;
    const host = `${TEST_CA_NAME}.${namespace}.svc.cluster.local`;
    this.caUrl = `http://${host}:${TEST_CA_PORTS.caAndOcsp}`;
    this.tsaUrl = `http://${host}:${TEST_CA_PORTS.tsa}`;
    const labels = { ...TEST_CA_POD_LABELS };

    new k8s.KubeConfigMap(this, 'Script', { metadata: { name: TEST_CA_NAME, namespace }, data: { 'test_ca.py': script('test_ca.py') } });
    new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata: { name: TEST_CA_NAME, namespace }, automountServiceAccountToken: false });
    new k8s.KubeStatefulSet(this, 'Resource', {
      metadata: { name: TEST_CA_NAME, namespace, labels },
      spec: {
        replicas: 1,
        serviceName: TEST_CA_NAME,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: TEST_CA_NAME,
            automountServiceAccountToken: false,
            securityContext: restrictedPodSecurity(HELPER_UID),
            containers: [
              {
                name: 'test-ca',
                image: props.image,
                imagePullPolicy: imagePullPolicy(props.image),
                command: ['python3', '/script/test_ca.py'],
                env: [
                  { name: 'CA_HOME', value: '/ca' },
                  { name: 'CA_ORGANIZATION', value: `${env.country.name} X-Road Sandbox Test CA` },
                  { name: 'HOME', value: '/tmp' },
                  { name: 'PYTHONDONTWRITEBYTECODE', value: '1' },
                ],
                ports: [
                  { name: 'ca-ocsp', containerPort: TEST_CA_PORTS.caAndOcsp },
                  { name: 'tsa', containerPort: TEST_CA_PORTS.tsa },
                ],
                startupProbe: { httpGet: { path: '/testca/certs/ca.pem', port: port(TEST_CA_PORTS.caAndOcsp) }, periodSeconds: 5, failureThreshold: 60 },
                readinessProbe: { httpGet: { path: '/testca/certs/ca.pem', port: port(TEST_CA_PORTS.caAndOcsp) }, periodSeconds: 10 },
                livenessProbe: { tcpSocket: { port: port(TEST_CA_PORTS.tsa) }, periodSeconds: 20, failureThreshold: 3 },
                securityContext: restrictedContainerSecurity(),
                resources: helperResources('50m', '128Mi', '512Mi'),
                volumeMounts: [
                  { name: 'script', mountPath: '/script', readOnly: true },
                  { name: 'ca', mountPath: '/ca' },
                  { name: 'tmp', mountPath: '/tmp' },
                ],
              },
            ],
            volumes: [
              { name: 'script', configMap: { name: TEST_CA_NAME } },
              { name: 'tmp', emptyDir: { medium: 'Memory', sizeLimit: quantity('32Mi') } },
            ],
          },
        },
        volumeClaimTemplates: [
          {
            metadata: { name: 'ca' },
            spec: { accessModes: ['ReadWriteOnce'], storageClassName: env.cluster.storageClasses.data, resources: { requests: { storage: quantity('1Gi') } } },
          },
        ],
      },
    });
    new k8s.KubeService(this, 'Service', {
      metadata: { name: TEST_CA_NAME, namespace },
      spec: {
        selector: labels,
        ports: [
          { name: 'ca-ocsp', port: TEST_CA_PORTS.caAndOcsp, targetPort: port(TEST_CA_PORTS.caAndOcsp), protocol: 'TCP' },
          { name: 'tsa', port: TEST_CA_PORTS.tsa, targetPort: port(TEST_CA_PORTS.tsa), protocol: 'TCP' },
        ],
      },
    });
    new AllowTraffic(this, 'Ingress', {
      name: TEST_CA_NAME,
      namespace,
      pods: labels,
      ingress: [
        { peers: [pods({ 'app.kubernetes.io/name': 'xroad-security-server' })], ports: [TEST_CA_PORTS.caAndOcsp, TEST_CA_PORTS.tsa] },
        { peers: [pods(BOOTSTRAP_POD_LABELS)], ports: [TEST_CA_PORTS.caAndOcsp] },
      ],
    });
  }
}
