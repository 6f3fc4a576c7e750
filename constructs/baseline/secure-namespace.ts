import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { AllowTraffic, podsIn } from './allow-traffic';
import { declarePolicyException } from './policy-exception';

export type PodSecurityLevel = 'restricted' | 'baseline' | 'privileged';

export interface NamespaceQuota {
  /** Total CPU requests allowed in the namespace, e.g. `4`. */
  readonly cpu: string;
  /** Total memory requests allowed, e.g. `8Gi`. */
  readonly memory: string;
  /** Total persistent storage requested by claims, e.g. `50Gi`. */
  readonly storage: string;
  readonly pods: number;
}

/** The most one container may ask for: nothing larger than a node can ever be scheduled. */
export interface ContainerCeiling {
  /** e.g. `4`. */
  readonly maxCpu: string;
  /** e.g. `16Gi`. */
  readonly maxMemory: string;
}

export interface SecureNamespaceProps {
  readonly name: string;
  /** Size it from the environment with `namespaceBaseline(env, size or computed quota)`. */
  readonly quota: NamespaceQuota;
  /**
   * Upper bound of one container's limits (LimitRange `max`). Required: the README promises it for
   * every namespace the kit creates; `namespaceBaseline` gives the node-size ceiling.
   */
  readonly containerLimits: ContainerCeiling;
  /**
   * Extra labels, e.g. the label that has the platform deliver backup credentials here.
   * @default none
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Pod Security level enforced on the namespace.
   * @default 'restricted'
   */
  readonly podSecurity?: PodSecurityLevel;
  /**
   * Required when `podSecurity` is not `restricted`: why this namespace cannot be. Shown to reviewers.
   * @default none (a namespace that is not `restricted` without a reason is an error)
   */
  readonly podSecurityExceptionReason?: string;
  /** Kubernetes minor version whose Pod Security rules apply, e.g. `1.33`. */
  readonly kubernetesVersion: string;
}


/**
 * A namespace with the security baseline applied: Pod Security enforced, all traffic denied
 * except DNS, and a quota plus default container limits. Everything else must be allowed explicitly
 * by the component that lives here.
 */
export class SecureNamespace extends Construct {
  readonly name: string;
  readonly podSecurity: PodSecurityLevel;
  private readonly namespace: k8s.KubeNamespace;

  constructor(scope: Construct, id: string, props: SecureNamespaceProps) {
    super(scope, id);
    this.name = props.name;
    this.podSecurity = props.podSecurity ?? 'restricted';
    if (this.podSecurity !== 'restricted' && !props.podSecurityExceptionReason) {
      throw new Error(`namespace "${props.name}" relaxes Pod Security to ${this.podSecurity} without a declared reason`);
    }

    const namespace = (this.namespace = new k8s.KubeNamespace(this, 'Resource', {
      metadata: {
        name: props.name,
        labels: {
          ...props.labels,
          'pod-security.kubernetes.io/enforce': this.podSecurity,
          'pod-security.kubernetes.io/enforce-version': `v${props.kubernetesVersion}`,
          // Audit and warn at restricted everywhere, so a relaxed namespace still reports what it relaxes.
          'pod-security.kubernetes.io/audit': 'restricted',
          'pod-security.kubernetes.io/warn': 'restricted',
        },
      },
    }));
    if (props.podSecurityExceptionReason) {
      declarePolicyException(namespace, 'NS-01', props.podSecurityExceptionReason);
    }

    // Nothing in or out but what a policy of its own allows; every pod may ask the cluster's DNS.
    new AllowTraffic(this, 'DefaultDeny', { name: 'default-deny', namespace: props.name, pods: {}, ingress: [], egress: [] });
    new AllowTraffic(this, 'AllowDns', {
      name: 'allow-dns',
      namespace: props.name,
      pods: {},
      egress: [{ peers: [podsIn('kube-system', { 'k8s-app': 'kube-dns' })], ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] }],
    });

    new k8s.KubeResourceQuota(this, 'Quota', {
      metadata: { name: 'quota', namespace: props.name },
      spec: {
        hard: {
          'requests.cpu': k8s.Quantity.fromString(props.quota.cpu),
          'requests.memory': k8s.Quantity.fromString(props.quota.memory),
          'requests.storage': k8s.Quantity.fromString(props.quota.storage),
          pods: k8s.Quantity.fromNumber(props.quota.pods),
        },
      },
    });
    new k8s.KubeLimitRange(this, 'Limits', {
      metadata: { name: 'container-defaults', namespace: props.name },
      spec: {
        limits: [
          {
            type: 'Container',
            defaultRequest: { cpu: k8s.Quantity.fromString('50m'), memory: k8s.Quantity.fromString('64Mi') },
            default: { cpu: k8s.Quantity.fromString('500m'), memory: k8s.Quantity.fromString('512Mi') },
            max: {
              cpu: k8s.Quantity.fromString(props.containerLimits.maxCpu),
              memory: k8s.Quantity.fromString(props.containerLimits.maxMemory),
            },
          },
        ],
      },
    });
  }

  /** Labels other parts of the platform select this namespace by, added by the construct that needs them. */
  addLabels(labels: Readonly<Record<string, string>>): void {
    for (const [key, value] of Object.entries(labels)) this.namespace.metadata.addLabel(key, value);
  }
}
