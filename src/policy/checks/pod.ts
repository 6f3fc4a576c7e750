import type { PolicyCheck } from '../types';
import { effective } from '../workloads';
import { perContainer, perPod } from './helpers';

const RESTRICTED_VOLUME_TYPES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);
/** SELinux types Pod Security baseline allows. */
const ALLOWED_SELINUX_TYPES = new Set(['container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);
/** Sysctls Pod Security baseline calls safe (Kubernetes 1.29+). */
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
]);
const MIN_ID = 10000;

/** Pod and container security settings (Pod Security Standards baseline and restricted, CIS 5.2). */
export const POD_CHECKS: readonly PolicyCheck[] = [
  {
    id: 'POD-01',
    title: 'hostNetwork, hostPID, hostIPC unset or false; no host in probes or lifecycle handlers',
    severity: 'H',
    sources: 'PSS-B (host namespaces; probe or lifecycle host, Kubernetes 1.34+); CIS 5.2.3-5; CK 17-19; PO; KSC C-0038/0041',
    evaluate: (context) =>
      perPod(context, (pod) => [
        ...(['hostNetwork', 'hostPID', 'hostIPC'] as const).filter((key) => pod.spec[key] === true).map((key) => `${key} is true`),
        // Pod Security's "probe or lifecycle host": a probe or hook aimed at another host than the pod's own.
        ...perContainer(pod, ({ container }) => {
          const hosts = probeAndLifecycleHosts(container as unknown as Record<string, unknown>);
          return hosts.length > 0 ? `probes or lifecycle handlers aim at host ${hosts.join(', ')}` : undefined;
        }),
      ]),
  },
  {
    id: 'POD-02',
    title: 'privileged not true',
    severity: 'H',
    sources: 'PSS-B; CIS 5.2.2; CK 16; PO; KSC C-0057',
    evaluate: (context) => perPod(context, (pod) => perContainer(pod, ({ container }) => (container.securityContext?.privileged ? 'runs privileged' : undefined))),
  },
  {
    id: 'POD-03',
    title: 'allowPrivilegeEscalation: false set explicitly',
    severity: 'H',
    sources: 'PSS-R; CIS 5.2.6; CK 20; PO',
    evaluate: (context) =>
      perPod(context, (pod) =>
        perContainer(pod, ({ container }) =>
          container.securityContext?.allowPrivilegeEscalation === false ? undefined : 'allowPrivilegeEscalation is not set to false',
        ),
      ),
  },
  {
    id: 'POD-04',
    title: 'runAsNonRoot: true (pod or every container); runAsUser never 0',
    severity: 'H',
    sources: 'PSS-R; CIS 5.2.7; CK 23; PO',
    evaluate: (context) =>
      perPod(context, (pod) => [
        ...(pod.spec.securityContext?.runAsUser === 0 ? ['the pod sets runAsUser 0'] : []),
        ...perContainer(pod, ({ container }) => {
          if (container.securityContext?.runAsUser === 0) return 'runAsUser is 0';
          return effective(pod.spec, container, 'runAsNonRoot') === true ? undefined : 'runAsNonRoot is not true';
        }),
      ]),
  },
  {
    id: 'POD-05',
    title: 'runAsUser and runAsGroup ≥ 10000',
    severity: 'L',
    sources: 'KS; CK 40',
    evaluate: (context) =>
      perPod(context, (pod) =>
        perContainer(pod, ({ container }) => {
          const problems = (['runAsUser', 'runAsGroup'] as const)
            .map((key) => [key, effective(pod.spec, container, key)] as const)
            .filter(([, id]) => id === undefined || id < MIN_ID)
            .map(([key, id]) => (id === undefined ? `${key} is not set` : `${key} is ${id}`));
          return problems.length > 0 ? `${problems.join(', ')} (expected ≥ ${MIN_ID})` : undefined;
        }),
      ),
  },
  {
    id: 'POD-06',
    title: 'seccompProfile RuntimeDefault or Localhost (pod or every container)',
    severity: 'H',
    sources: 'PSS-R; CK 31; KSC C-0210',
    evaluate: (context) =>
      perPod(context, (pod) =>
        perContainer(pod, ({ container }) => {
          const type = effective(pod.spec, container, 'seccompProfile')?.type;
          return type === 'RuntimeDefault' || type === 'Localhost' ? undefined : `seccompProfile is ${type ?? 'not set'}`;
        }),
      ),
  },
  {
    id: 'POD-07',
    title: 'capabilities drop ALL; add only NET_BIND_SERVICE',
    severity: 'H',
    sources: 'PSS-R; CIS 5.2.8-10; CK 28/37/39; KSC C-0046',
    evaluate: (context) =>
      perPod(context, (pod) =>
        perContainer(pod, ({ container }) => {
          const capabilities = container.securityContext?.capabilities;
          const added = (capabilities?.add ?? []).filter((c) => c !== 'NET_BIND_SERVICE');
          const problems = [
            ...((capabilities?.drop ?? []).includes('ALL') ? [] : ['does not drop ALL capabilities']),
            ...(added.length > 0 ? [`adds ${added.join(', ')}`] : []),
          ];
          return problems.length > 0 ? problems.join(' and ') : undefined;
        }),
      ),
  },
  {
    id: 'POD-08',
    title: 'only restricted volume types',
    severity: 'H',
    sources: 'PSS-R; CIS 5.2.12; CK 27',
    evaluate: (context) =>
      perPod(context, ({ spec }) =>
        (spec.volumes ?? []).flatMap((volume) => {
          const types = Object.keys(volume).filter((key) => key !== 'name');
          const bad = types.filter((type) => !RESTRICTED_VOLUME_TYPES.has(type));
          return bad.length > 0 ? [`volume ${String(volume.name)} is of type ${bad.join(', ')}`] : [];
        }),
      ),
  },
  {
    id: 'POD-09',
    title: 'no hostPort',
    severity: 'M',
    sources: 'PSS-B; CIS 5.2.13; CK 26',
    evaluate: (context) =>
      perPod(context, (pod) =>
        perContainer(pod, ({ container }) => {
          const ports = (container.ports ?? []).filter((port) => port.hostPort).map((port) => port.hostPort);
          return ports.length > 0 ? `uses hostPort ${ports.join(', ')}` : undefined;
        }),
      ),
  },
  {
    id: 'POD-10',
    title: 'readOnlyRootFilesystem: true',
    severity: 'M',
    sources: 'NSA; CK 22; PO; KS',
    evaluate: (context) =>
      perPod(context, (pod) =>
        perContainer(pod, ({ container }) => (container.securityContext?.readOnlyRootFilesystem === true ? undefined : 'root filesystem is writable')),
      ),
  },
  {
    id: 'POD-11',
    title: 'no custom SELinux type, procMount, unsafe sysctls or hostProcess',
    severity: 'M',
    sources: 'PSS-B; CIS 5.2.11',
    evaluate: (context) =>
      perPod(context, (pod) => [
        ...(pod.spec.securityContext?.sysctls ?? []).filter((s) => !SAFE_SYSCTLS.has(s.name)).map((s) => `unsafe sysctl ${s.name}`),
        ...specialSettings('the pod', pod.spec.securityContext),
        ...perContainer(pod, ({ container }) => specialSettings('it', container.securityContext).join(', ') || undefined),
      ]),
  },
];

function specialSettings(who: string, context: Parameters<typeof effective>[1]['securityContext']): string[] {
  const problems: string[] = [];
  const type = context?.seLinuxOptions?.type;
  if (type && !ALLOWED_SELINUX_TYPES.has(type)) problems.push(`${who} sets SELinux type ${type}`);
  if (context?.procMount && context.procMount !== 'Default') problems.push(`${who} sets procMount ${context.procMount}`);
  if (context?.windowsOptions?.hostProcess) problems.push(`${who} runs as a Windows host process`);
  return problems;
}

/** The `host` of each httpGet/tcpSocket handler of a container's probes and lifecycle hooks that sets one. */
function probeAndLifecycleHosts(container: Record<string, unknown>): string[] {
  const lifecycle = (container.lifecycle ?? {}) as Record<string, unknown>;
  const handlers = [container.livenessProbe, container.readinessProbe, container.startupProbe, lifecycle.postStart, lifecycle.preStop] as (
    | { httpGet?: { host?: string }; tcpSocket?: { host?: string } }
    | undefined
  )[];
  return [...new Set(handlers.flatMap((handler) => [handler?.httpGet?.host, handler?.tcpSocket?.host]).filter((host): host is string => Boolean(host)))];
}
