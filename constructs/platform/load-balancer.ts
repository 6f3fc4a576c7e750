import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { namespaceBaseline } from '../baseline/namespace-sizing';
import { SecureNamespace } from '../baseline/secure-namespace';
import type { Environment } from '../environment/schema';
import { repositoryImageValues as image } from '../images';
import { AllowTraffic, apiServer, podsIn } from '../baseline/allow-traffic';
import { METALLB_POOL, MONITORING, PLATFORM_RELEASES } from './contract';
import { PINNED_CHARTS } from './pinned-charts';
import { PinnedRelease } from '../releases/pinned-release';
import { chartResources } from './workload-defaults';
import { restrictedPodSecurity } from '../baseline/restricted-pod';

export const METALLB_NAMESPACE = 'metallb-system';
const CONTROLLER = { 'app.kubernetes.io/name': 'metallb', 'app.kubernetes.io/instance': PLATFORM_RELEASES.metallb, 'app.kubernetes.io/component': 'controller' };
const SPEAKER = { 'app.kubernetes.io/name': 'metallb', 'app.kubernetes.io/instance': PLATFORM_RELEASES.metallb, 'app.kubernetes.io/component': 'speaker' };
const WEBHOOK_PORT = 9443;
const METRICS_PORT = 9120;

export interface LoadBalancerProps {
  readonly env: Pick<Environment, 'cluster' | 'platform' | 'registry'>;
}

/**
 * MetalLB for on-prem clusters: Services of type LoadBalancer (the gateways) get addresses from
 * the environment's pool, announced on the local network (layer 2). FRR and BGP stay off: a pool
 * on the data centre's own segment needs no routers configured.
 */
export class LoadBalancer extends Construct {
  constructor(scope: Construct, id: string, props: LoadBalancerProps) {
    super(scope, id);
    const { env } = props;
    new SecureNamespace(this, 'Namespace', {
      name: METALLB_NAMESPACE,
      // A speaker on every node: the pod count grows with the cluster.
      ...namespaceBaseline(env, 'large'),
      podSecurity: 'privileged',
      podSecurityExceptionReason:
        'the MetalLB speaker answers ARP for the pool\'s addresses: it needs the host network and NET_RAW (MetalLB installation docs); nothing else runs here',
    });
    const SPEAKER_DAEMONSET = `DaemonSet/${METALLB_NAMESPACE}/metallb-speaker`;
    const CONTROLLER_DEPLOYMENT = `Deployment/${METALLB_NAMESPACE}/metallb-controller`;
    new PinnedRelease(this, 'Release', {
      env,
      chart: PINNED_CHARTS.metallb,
      releaseName: PLATFORM_RELEASES.metallb,
      namespace: METALLB_NAMESPACE,
      reason: 'MetalLB gives on-prem LoadBalancer Services their addresses; its chart is the supported install',
      providesCrds: true,
      values: (images) => ({
        crds: { enabled: true },
        frrk8s: { enabled: false },
        controller: { image: image(images.controller), resources: chartResources('50m', '64Mi', '256Mi'), securityContext: restrictedPodSecurity(65534) },
        speaker: {
          image: image(images.speaker),
          frr: { enabled: false },
          resources: chartResources('50m', '64Mi', '256Mi'),
          securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
        },
      }),
      workloads: [
        { name: 'controller', podLabels: CONTROLLER, ports: [{ name: 'metricshttps', port: METRICS_PORT }, { name: 'webhook-server', port: WEBHOOK_PORT }] },
        { name: 'speaker', podLabels: SPEAKER, ports: [], hostNetwork: true },
      ],
      exceptions: {
        'POD-01': 'the speaker answers ARP for the pool\'s addresses on the host network; it runs in its own privileged namespace',
        'POD-04': {
          reason: 'the speaker sends ARP replies through a raw socket, which needs NET_RAW in effect, and Linux gives a non-root process no added capability: it runs as root with only NET_RAW, in its own privileged namespace',
          objects: [SPEAKER_DAEMONSET],
        },
        'POD-05': {
          reason: 'the speaker sends ARP replies through a raw socket, which needs NET_RAW in effect, and Linux gives a non-root process no added capability: it runs as root with only NET_RAW, in its own privileged namespace',
          objects: [SPEAKER_DAEMONSET],
        },
        'POD-07': {
          reason: 'the speaker sends ARP replies through a raw socket, which needs NET_RAW in effect, and Linux gives a non-root process no added capability: it runs as root with only NET_RAW, in its own privileged namespace',
          objects: [SPEAKER_DAEMONSET],
        },
        'RBAC-01': {
          reason: 'the chart grants the speaker "*" on the status resources it reports into (metallb.io servicel2statuses, servicebgpstatuses, configurationstates; templates/rbac.yaml at 0.16.1) with no narrower setting',
          objects: ['ClusterRole/metallb:speaker', `Role/${METALLB_NAMESPACE}/metallb-pod-lister`],
        },
        'RBAC-04': {
          reason: 'the controller assigns addresses to Services and the speaker watches Services, nodes and MetalLB\'s resources, both through the API',
          objects: [SPEAKER_DAEMONSET, CONTROLLER_DEPLOYMENT],
        },
        'REL-01': {
          reason: 'the chart runs one controller and offers no replica setting (templates/controller.yaml); assigned addresses keep being announced by the speakers while it restarts',
          objects: [CONTROLLER_DEPLOYMENT],
        },
        'SEC-01': {
          reason: 'METALLB_ML_SECRET_NAME and METALLB_ML_SECRET_KEY_PATH hold the name of the memberlist Secret and the path it is mounted at, not the key (templates/controller.yaml, speaker.yaml)',
          objects: [SPEAKER_DAEMONSET, CONTROLLER_DEPLOYMENT],
        },
      },
    });
    new AllowTraffic(this, 'Controller', {
      namespace: METALLB_NAMESPACE,
      pods: CONTROLLER,
      ingress: [
        { peers: apiServer(env).peers, ports: [WEBHOOK_PORT] },
        ...(env.platform.observability.enabled ? [{ peers: [podsIn(MONITORING.namespace, MONITORING.prometheusPodLabels)], ports: [METRICS_PORT] }] : []),
      ],
      egress: [apiServer(env)],
    });
    new ApiObject(this, 'Pool', {
      apiVersion: 'metallb.io/v1beta1',
      kind: 'IPAddressPool',
      metadata: { name: METALLB_POOL, namespace: METALLB_NAMESPACE },
      spec: { addresses: [...env.cluster.loadBalancer.addresses] },
    });
    new ApiObject(this, 'Advertisement', {
      apiVersion: 'metallb.io/v1beta1',
      kind: 'L2Advertisement',
      metadata: { name: METALLB_POOL, namespace: METALLB_NAMESPACE },
      spec: { ipAddressPools: [METALLB_POOL] },
    });
  }
}
