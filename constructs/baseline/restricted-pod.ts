/**
 * Pod Security `restricted`, spelled once for every pod the kit writes and every upstream chart it
 * gives a security context: the kit's product workloads, Valkey, the Information Mediator's helper
 * pods, and the platform's and MOSIP's chart values. A pod that cannot meet it (X-Road's servers,
 * Velero's node agent) writes its own context next to the policy exception that says why.
 *
 * Plain objects, so that the same value fits a cdk8s pod spec and a chart's values.
 */

/** The container runtime's default seccomp profile, which `restricted` asks for. */
const RUNTIME_DEFAULT = { type: 'RuntimeDefault' };

/** The distroless images' `nonroot` user, which most platform images run as. */
export const DISTROLESS_NONROOT_UID = 65532;

export interface RestrictedPodSecurity {
  readonly runAsNonRoot: true;
  readonly runAsUser: number;
  readonly runAsGroup: number;
  readonly fsGroup: number;
  readonly seccompProfile: { type: string };
}

export interface RestrictedContainerSecurity {
  readonly allowPrivilegeEscalation: false;
  readonly capabilities: { drop: string[] };
  readonly readOnlyRootFilesystem: boolean;
  readonly runAsNonRoot: true;
  readonly seccompProfile: { type: string };
}

/**
 * The pod's context: a numeric non-root user and group (an image whose `USER` is a name fails
 * `runAsNonRoot` at admission), volumes owned by the group, the runtime's seccomp profile.
 */
export function restrictedPodSecurity(uid: number = DISTROLESS_NONROOT_UID, gid: number = uid): RestrictedPodSecurity {
  return { runAsNonRoot: true, runAsUser: uid, runAsGroup: gid, fsGroup: gid, seccompProfile: { ...RUNTIME_DEFAULT } };
}

export interface RestrictedContainerOptions {
  /**
   * The product writes into its own image (MOSIP's services into their working directories): the one
   * relaxation `restricted` allows, which policy check POD-10 asks the entry to explain.
   * @default false
   */
  readonly writableRootFilesystem?: boolean;
}

/** A container's context: no privilege escalation, no capabilities, a read-only root filesystem. */
export function restrictedContainerSecurity(options: RestrictedContainerOptions = {}): RestrictedContainerSecurity {
  return {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    readOnlyRootFilesystem: !options.writableRootFilesystem,
    runAsNonRoot: true,
    seccompProfile: { ...RUNTIME_DEFAULT },
  };
}
