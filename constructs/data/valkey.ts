import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { declarePolicyException } from '../baseline/policy-exception';
import { SecretFiles } from '../baseline/secret-files';
import type { Environment } from '../environment/schema';
import { imagePullPolicy, resolveImage } from '../images';
import type { PinConfirmation } from '../pins';
import { AllowTraffic } from '../baseline/allow-traffic';
import { GeneratedSecret } from './generated-secret';
import { resilience } from '../environment/resilience';
import { restrictedContainerSecurity, restrictedPodSecurity } from '../baseline/restricted-pod';

/** Valkey (the Linux Foundation's BSD-licensed Redis fork), from its official image: no Bitnami. */
export const VALKEY_IMAGE = 'docker.io/valkey/valkey:8.1.10-alpine';
/** Where the image's Valkey release can be confirmed (`npm run pins`). */
export const VALKEY_IMAGE_CONFIRMATION: PinConfirmation = {
  unavailable: 'Valkey (C) is on no package registry this kit reaches: the image builds release tag 8.1.10 of valkey-io/valkey from source',
};
export const VALKEY_PORT = 6379;
/** Any non-root uid: the official image runs valkey-server as whoever starts it, writing only to /data. */
const VALKEY_UID = 10001;

export interface ValkeyProps {
  readonly env: Pick<Environment, 'ha' | 'platform' | 'registry' | 'stage'>;
  /** Deployment, Service and password Secret are named after it. */
  readonly name: string;
  readonly namespace: string;
  readonly resources: { readonly cpu: string; readonly cpuLimit: string; readonly memory: string; readonly ephemeralStorage: string };
  /** Pods allowed to connect (in the same namespace). */
  readonly clientPodLabels: Readonly<Record<string, string>>;
  /** What the product keeps in it; shown to reviewers because nothing in Valkey is backed up. */
  readonly holds: string;
}

/**
 * A password-protected Valkey for one building block's caches and task queues, in that building
 * block's namespace and reachable only from its pods. It keeps nothing on disk and is not backed up:
 * products use it for data they can lose on a restart (sessions in flight, queued jobs), which the
 * `holds` annotation states for reviewers. One replica: a restart is seconds, and a replicated Valkey
 * (Sentinel) would be a second system to operate for data that is disposable.
 */
export class Valkey extends Construct {
  readonly host: string;
  readonly port = VALKEY_PORT;
  readonly passwordSecret: { readonly name: string; readonly key: string };
  readonly podLabels: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: ValkeyProps) {
    super(scope, id);
    const { env, name, namespace } = props;
    this.host = `${name}.${namespace}.svc`;
    this.podLabels = { 'app.kubernetes.io/name': 'valkey', 'app.kubernetes.io/instance': name };
    const password = new ValkeyPassword(this, 'Password', { valkey: name, namespace });
    this.passwordSecret = { name: password.secretName, key: 'password' };

    const memoryMiB = toMiB(props.resources.memory);
    const files = new SecretFiles();
    const passwordFile = files.path(password.secretName, 'password');
    // valkey-cli takes the password from REDISCLI_AUTH, set for that one command from the file.
    const ping = ['/bin/sh', '-c', `REDISCLI_AUTH="$(cat ${passwordFile})" valkey-cli ping | grep -q PONG`];
    new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name, namespace },
      automountServiceAccountToken: false,
    });
    const deployment = new k8s.KubeDeployment(this, 'Resource', {
      metadata: { name, namespace, labels: this.podLabels, annotations: { 'govstack.dev/holds': props.holds } },
      spec: {
        replicas: 1,
        revisionHistoryLimit: 5,
        // Recreate: two Valkeys behind one Service would split the queue.
        strategy: { type: 'Recreate' },
        selector: { matchLabels: this.podLabels },
        template: {
          metadata: { labels: this.podLabels },
          spec: {
            serviceAccountName: name,
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: restrictedPodSecurity(VALKEY_UID),
            containers: [
              {
                name: 'valkey',
                image: resolveImage(env, VALKEY_IMAGE),
                imagePullPolicy: imagePullPolicy(resolveImage(env, VALKEY_IMAGE)),
                // The password reaches Valkey as configuration on its standard input (`valkey-server -`),
                // read from the mounted Secret: never in the environment or on a command line.
                command: ['/bin/sh', '-c', `exec valkey-server - "$@" <<EOF\nrequirepass $(cat ${passwordFile})\nEOF\n`, 'valkey-server'],
                args: [
                  '--save', '',
                  '--appendonly', 'no',
                  '--dir', '/data',
                  '--maxmemory', `${Math.floor(memoryMiB * 0.8)}mb`,
                  '--maxmemory-policy', 'noeviction',
                ],
                ports: [{ name: 'valkey', containerPort: VALKEY_PORT }],
                startupProbe: { tcpSocket: { port: k8s.IntOrString.fromString('valkey') }, periodSeconds: 5, failureThreshold: 12 },
                readinessProbe: { exec: { command: ping }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
                livenessProbe: { tcpSocket: { port: k8s.IntOrString.fromString('valkey') }, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 3 },
                resources: {
                  requests: {
                    cpu: k8s.Quantity.fromString(props.resources.cpu),
                    memory: k8s.Quantity.fromString(props.resources.memory),
                    'ephemeral-storage': k8s.Quantity.fromString(props.resources.ephemeralStorage),
                  },
                  limits: {
                    cpu: k8s.Quantity.fromString(props.resources.cpuLimit),
                    memory: k8s.Quantity.fromString(props.resources.memory),
                    'ephemeral-storage': k8s.Quantity.fromString(props.resources.ephemeralStorage),
                  },
                },
                securityContext: restrictedContainerSecurity(),
                volumeMounts: [{ name: 'data', mountPath: '/data' }, ...files.mounts()],
              },
            ],
            volumes: [{ name: 'data', emptyDir: { sizeLimit: k8s.Quantity.fromString('64Mi') } }, ...files.volumes()],
          },
        },
      },
    });
    if (resilience(env).singleReplicaIsException) {
      declarePolicyException(deployment, 'REL-01', `one Valkey holds ${props.holds}; a replicated Valkey would add Sentinel for data the product can lose`);
    }

    new k8s.KubeService(this, 'Service', {
      metadata: { name, namespace, labels: this.podLabels },
      spec: {
        selector: this.podLabels,
        ports: [{ name: 'valkey', port: VALKEY_PORT, targetPort: k8s.IntOrString.fromString('valkey') }],
      },
    });
    new AllowTraffic(this, `${name}-clients`, {
      namespace,
      pods: this.podLabels,
      ingress: [{ peers: [{ podSelector: { matchLabels: { ...props.clientPodLabels } } }], ports: [VALKEY_PORT] }],
    });
  }
}

export interface ValkeyPasswordProps {
  /** Name of the Valkey the password is for. */
  readonly valkey: string;
  readonly namespace: string;
}

/**
 * The generated password of a Valkey (`<valkey>-password`, key `password`). Its own construct so a
 * retired building block can keep the value without running the Valkey.
 */
export class ValkeyPassword extends GeneratedSecret {
  constructor(scope: Construct, id: string, props: ValkeyPasswordProps) {
    super(scope, id, { name: `${props.valkey}-password`, namespace: props.namespace, keys: ['password'] });
  }
}

function toMiB(quantity: string): number {
  const match = /^(\d+(?:\.\d+)?)(Mi|Gi)$/.exec(quantity);
  if (!match) throw new Error(`Valkey memory "${quantity}" must be given in Mi or Gi`);
  return Number(match[1]) * (match[2] === 'Gi' ? 1024 : 1);
}
