import type { StartableContainer } from './pod-workloads';
import type { TestValues } from './test-values';

/** What the kubelet fills in for fieldRef variables; the harness's pod is one pod on loopback. */
export interface FieldRefIdentity {
  readonly name: string;
  readonly namespace: string;
}

/**
 * A container's environment as the kubelet builds it: the runtime's HOSTNAME, the image's environment, then `envFrom`, then
 * `env` in order, with `$(NAME)` references to variables defined before expanded and `$$` kept literal.
 */
export function containerEnvironment(container: StartableContainer, imageEnv: Readonly<Record<string, string>>, values: TestValues, pod: FieldRefIdentity): Record<string, string> {
  // The container runtime sets HOSTNAME to the pod's name, under the image's and the pod's own variables.
  const env: Record<string, string> = { HOSTNAME: pod.name, ...imageEnv };
  for (const source of container.envFrom ?? []) {
    const data = source.configMapRef ? values.configMapData(source.configMapRef.name) : source.secretRef ? values.secretData(source.secretRef.name) : {};
    for (const [key, value] of Object.entries(data)) env[`${source.prefix ?? ''}${key}`] = value;
  }
  for (const variable of container.env ?? []) {
    const from = variable.valueFrom;
    if (from?.secretKeyRef) env[variable.name] = values.secretValue(from.secretKeyRef.name, from.secretKeyRef.key);
    else if (from?.configMapKeyRef) env[variable.name] = values.configMapValue(from.configMapKeyRef.name, from.configMapKeyRef.key);
    else if (from?.fieldRef) env[variable.name] = fieldValue(from.fieldRef.fieldPath, pod);
    else if (from?.resourceFieldRef) env[variable.name] = '1';
    else env[variable.name] = expand(variable.value ?? '', env);
  }
  return env;
}

/** Kubernetes' `$(VAR)` expansion in env values, command and args (`$$(VAR)` escapes). */
export function expand(text: string, env: Readonly<Record<string, string>>): string {
  return text.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (match, name: string | undefined) => {
    if (match === '$$') return '$';
    return name !== undefined && env[name] !== undefined ? env[name] : match;
  });
}

function fieldValue(fieldPath: string, pod: FieldRefIdentity): string {
  switch (fieldPath) {
    case 'metadata.name':
      return pod.name;
    case 'metadata.namespace':
      return pod.namespace;
    case 'status.podIP':
    case 'status.hostIP':
      return '127.0.0.1';
    default:
      return '';
  }
}
