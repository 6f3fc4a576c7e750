import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import type { Environment, XRoadMember } from '../environment/schema';
import { providerMember, securityServer, securityServerAddress, securityServerCode, securityServerNodeLabels, XROAD_PORTS } from './contract';
import { AllowTraffic, pods } from '../baseline/allow-traffic';
import { BOOTSTRAP_POD_LABELS, CENTRAL_SERVER_PORTS, CENTRAL_SERVER_POD_LABELS, TEST_CA_PORTS, TEST_CA_POD_LABELS } from './pod-labels';
import { contentHash } from './pod-security';
import { scriptPod } from './script-pod';
import { script } from './script-files';
import type { TestCa } from './test-ca';

export interface SandboxBootstrapProps {
  readonly env: Pick<Environment, 'country' | 'name' | 'xroad'>;
  readonly namespace: string;
  readonly image: string;
  readonly centralServer: { readonly address: string; readonly adminUrl: string; readonly credentialsSecret: string };
  readonly testCa: TestCa;
  readonly securityServerAdminUser: string;
  readonly credentialsSecret: (member: XRoadMember) => string;
}

/** NIIS's certificate profile of its own test setup: CSR subject fields as `setup.hurl` sends them. */
const CERTIFICATE_PROFILE = 'ee.ria.xroad.common.certificateprofile.impl.FiVRKCertificateProfileInfoProvider';
const NAME = 'xroad-bootstrap';

/**
 * The Job that turns the freshly deployed sandbox into a working X-Road instance
 * (`scripts/bootstrap_sandbox.py`). Its input is plain data in a ConfigMap; credentials are files
 * from the generated Secrets. The provider's security server also serves the operator's
 * management services, as the management security server of the instance.
 */
export class SandboxBootstrap extends Construct {
  constructor(scope: Construct, id: string, props: SandboxBootstrapProps) {
    super(scope, id);
    const { env, namespace } = props;
    const member = (m: { name: string; memberClass: string; memberCode: string }) => ({ name: m.name, memberClass: m.memberClass, memberCode: m.memberCode });
    const operator = { name: `${env.xroad.instance} operator`, ...env.xroad.operator };
    const management = providerMember(env);
    const plan = {
      instance: env.xroad.instance,
      country: env.country.code,
      memberClasses: env.xroad.memberClasses,
      adminUser: props.securityServerAdminUser,
      certificateProfile: CERTIFICATE_PROFILE,
      testCaUrl: props.testCa.caUrl,
      tsaUrl: props.testCa.tsaUrl,
      centralServer: {
        address: props.centralServer.address,
        adminUrl: props.centralServer.adminUrl,
        passwordFile: '/credentials/central-server/admin-password',
        pinFile: '/credentials/central-server/token-pin',
      },
      members: [member(operator), ...env.xroad.members.map(member)],
      management: {
        id: [env.xroad.instance, operator.memberClass, operator.memberCode, 'MANAGEMENT'].join(':'),
        memberClass: operator.memberClass,
        memberCode: operator.memberCode,
        subsystem: 'MANAGEMENT',
        operator: member(operator),
      },
      securityServers: env.xroad.members.map((m) => ({
        code: securityServerCode(m),
        owner: member(m),
        address: securityServerAddress(m),
        adminUrl: `https://${securityServer(m).adminService}.${namespace}.svc:${XROAD_PORTS.admin}`,
        passwordFile: `/credentials/${m.name}/admin-password`,
        pinFile: `/credentials/${m.name}/token-pin`,
        management: m.name === management.name,
      })),
    };
    const input = `${JSON.stringify(plan, null, 2)}\n`;
    const scripts = { 'bootstrap_sandbox.py': script('bootstrap_sandbox.py'), 'xroad_api.py': script('xroad_api.py') };

    new k8s.KubeConfigMap(this, 'Input', { metadata: { name: NAME, namespace }, data: { 'input.json': input, ...scripts } });
    new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata: { name: NAME, namespace }, automountServiceAccountToken: false });
    const credentials = [
      { name: 'central-server', secret: props.centralServer.credentialsSecret },
      ...env.xroad.members.map((m) => ({ name: m.name, secret: props.credentialsSecret(m) })),
    ];
    new k8s.KubeJob(this, 'Resource', {
      // A new name whenever the plan or the scripts change: Jobs cannot be updated in place.
      metadata: { name: `${NAME}-${contentHash(input + Object.values(scripts).join(''))}`, namespace },
      spec: {
        backoffLimit: 5,
        activeDeadlineSeconds: 3 * 3600,
        template: scriptPod({
          serviceAccountName: NAME,
          labels: BOOTSTRAP_POD_LABELS,
          image: props.image,
          configMap: NAME,
          script: 'bootstrap_sandbox.py',
          mounts: credentials.map((c) => ({ mountPath: `/credentials/${c.name}`, volume: { name: `credentials-${c.name}`, secret: { secretName: c.secret } } })),
        }),
      },
    });
    new AllowTraffic(this, 'Egress', {
      name: NAME,
      namespace,
      pods: BOOTSTRAP_POD_LABELS,
      egress: [
        { peers: [pods(CENTRAL_SERVER_POD_LABELS)], ports: [CENTRAL_SERVER_PORTS.admin] },
        { peers: env.xroad.members.map((m) => pods(securityServerNodeLabels(securityServer(m), configRole(env)))), ports: [XROAD_PORTS.admin] },
        { peers: [pods(TEST_CA_POD_LABELS)], ports: [TEST_CA_PORTS.caAndOcsp] },
      ],
    });
  }
}

function configRole(env: Pick<Environment, 'xroad'>): 'single' | 'primary' {
  return env.xroad.securityServer.topology === 'single' ? 'single' : 'primary';
}
