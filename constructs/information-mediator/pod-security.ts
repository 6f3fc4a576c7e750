import { createHash } from 'node:crypto';
import { k8s } from 'cdk8s-plus-28';

/**
 * Security contexts of the Information Mediator's pods. Helper pods (Jobs, the test CA) run at
 * Pod Security `restricted` (`baseline/restricted-pod.ts`); only the X-Road servers themselves need
 * the relaxed context below.
 */

/** Non-root uid for helper pods whose image needs no particular user. */
export const HELPER_UID = 10001;

/**
 * Capabilities NIIS's X-Road images use as root: the entrypoints create users and chown the
 * configuration (CHOWN, FOWNER, FSETID, DAC_OVERRIDE), supervisord and sudo switch to the `xroad`
 * and `postgres` users (SETUID, SETGID, AUDIT_WRITE) and signal them (KILL), sshd on the primary
 * chroots and binds port 22 (SYS_CHROOT, NET_BIND_SERVICE). All are within Pod Security baseline.
 */
const XROAD_ROOT_CAPABILITIES = ['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'SETGID', 'SETUID', 'SYS_CHROOT', 'NET_BIND_SERVICE'];

/** Container context of an X-Road server container: root with the capabilities it needs and nothing else. */
export function xroadServerSecurityContext(): k8s.SecurityContext {
  return {
    runAsNonRoot: false,
    runAsUser: 0,
    // sudo: the admin UI runs configuration backups and restores through sudo from the xroad user.
    allowPrivilegeEscalation: true,
    readOnlyRootFilesystem: false,
    capabilities: { drop: ['ALL'], add: XROAD_ROOT_CAPABILITIES },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

export const XROAD_SERVER_EXCEPTIONS = {
  'POD-03': 'sudo is how the X-Road admin UI runs configuration backups and restores as root; no_new_privs would break them',
  'POD-04': 'NIIS\'s X-Road images start supervisord as root, which then runs each X-Road service as the xroad user (upstream: "cannot be run as non-root user for now")',
  'POD-05': 'runs as root, see POD-04; the X-Road services themselves run as the image\'s xroad user (uid 999)',
  'POD-07': 'root needs CHOWN/FOWNER/SETUID/SETGID/KILL/AUDIT_WRITE (and SYS_CHROOT/NET_BIND_SERVICE for sshd on the primary) to set up and supervise the X-Road services; all other capabilities are dropped',
  'POD-10': 'the X-Road entrypoint writes users, generated TLS keys and package configuration across the image at every start',
} as const;

/** A short, stable hash of some text, for names that must change when their content does (immutable Jobs). */
export function contentHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}

export function quantity(value: string): k8s.Quantity {
  return k8s.Quantity.fromString(value);
}

export function port(value: number): k8s.IntOrString {
  return k8s.IntOrString.fromNumber(value);
}

/** Scratch space of a container: its writable layer, logs and emptyDirs. */
export interface ScratchSpace {
  readonly request: string;
  readonly limit: string;
}

const HELPER_SCRATCH: ScratchSpace = { request: '256Mi', limit: '2Gi' };
/** X-Road servers write logs, temporary files and (secondaries) the synced configuration into the image's layer. */
export const XROAD_SERVER_SCRATCH: ScratchSpace = { request: '1Gi', limit: '8Gi' };

/** requests and limits in one place; limits CPU only when asked (throttling hurts JVMs more than it protects). */
export function helperResources(cpu: string, memory: string, memoryLimit: string, cpuLimit?: string, scratch: ScratchSpace = HELPER_SCRATCH): k8s.ResourceRequirements {
  return {
    requests: { cpu: quantity(cpu), memory: quantity(memory), 'ephemeral-storage': quantity(scratch.request) },
    limits: { memory: quantity(memoryLimit), 'ephemeral-storage': quantity(scratch.limit), ...(cpuLimit ? { cpu: quantity(cpuLimit) } : {}) },
  };
}
