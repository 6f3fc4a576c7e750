import { k8s } from 'cdk8s-plus-28';
import { imagePullPolicy } from '../images';
import { HELPER_UID, quantity, helperResources } from './pod-security';
import { restrictedContainerSecurity, restrictedPodSecurity } from '../baseline/restricted-pod';

export interface ScriptPodProps {
  readonly serviceAccountName: string;
  readonly labels: Readonly<Record<string, string>>;
  /** An image with Python 3; NIIS's X-Road images have it (supervisord is written in Python). */
  readonly image: string;
  /** ConfigMap holding the script, its modules and `input.json`, mounted at `/input`. */
  readonly configMap: string;
  /** The script file in the ConfigMap. */
  readonly script: string;
  /**
   * Environment variables of the script, before the two every script gets (`PYTHONDONTWRITEBYTECODE`, `PYTHONPATH`).
   * @default none but those two
   */
  readonly env?: readonly k8s.EnvVar[];
  /**
   * Whether the script calls the Kubernetes API with its service account's token.
   * @default false
   */
  readonly kubernetesApi?: boolean;
  /**
   * Secrets and other volumes the script reads, with where to mount them (read-only).
   * @default none besides the script's ConfigMap at `/input`
   */
  readonly mounts?: readonly { readonly mountPath: string; readonly volume: k8s.Volume }[];
}

/**
 * The pod of one of the Information Mediator's Python Jobs: the script and its input from a
 * ConfigMap, credentials as files, Pod Security restricted, no Kubernetes API access unless asked for.
 */
export function scriptPod(props: ScriptPodProps): k8s.PodTemplateSpec {
  const mounts = props.mounts ?? [];
  return {
    metadata: { labels: { ...props.labels } },
    spec: {
      serviceAccountName: props.serviceAccountName,
      automountServiceAccountToken: props.kubernetesApi ?? false,
      restartPolicy: 'Never',
      securityContext: restrictedPodSecurity(HELPER_UID),
      containers: [
        {
          name: 'script',
          image: props.image,
          imagePullPolicy: imagePullPolicy(props.image),
          command: ['python3', `/input/${props.script}`, '/input/input.json'],
          env: [...(props.env ?? []), { name: 'PYTHONDONTWRITEBYTECODE', value: '1' }, { name: 'PYTHONPATH', value: '/input' }],
          securityContext: restrictedContainerSecurity(),
          resources: helperResources('50m', '64Mi', '256Mi'),
          volumeMounts: [
            { name: 'input', mountPath: '/input', readOnly: true },
            ...mounts.map((m) => ({ name: m.volume.name, mountPath: m.mountPath, readOnly: true })),
            { name: 'tmp', mountPath: '/tmp' },
          ],
        },
      ],
      volumes: [
        { name: 'input', configMap: { name: props.configMap } },
        ...mounts.map((m) => m.volume),
        { name: 'tmp', emptyDir: { medium: 'Memory', sizeLimit: quantity('16Mi') } },
      ],
    },
  };
}
