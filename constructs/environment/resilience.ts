import type { Environment } from './schema';

/** The topology key pods spread over: nodes, or zones where the environment has them. */
export type SpreadKey = 'kubernetes.io/hostname' | 'topology.kubernetes.io/zone';

/**
 * Every decision the stage and the HA level make for the constructs, resolved once per environment.
 * Constructs read this block and never `env.stage` or `env.ha.level` for a safety or availability
 * choice, so that one rule holds everywhere and a reviewer finds it in one file:
 * - the HA level decides how many copies run and where they spread (`single`: one of each;
 *   `replicated`: over nodes; `multi-zone`: over zones);
 * - the stage decides how strict the rules are (production: spreading is required and a single
 *   replica is an exception to declare; the sandbox: no continuous backups, no reasons for egress).
 */
export interface Resilience {
  /** Controllers with leader election and stateless services: a standby beside the leader unless `single`. */
  readonly controllerReplicas: 1 | 2;
  /** Quorum-based stores (Raft) and replicated volumes: three members unless `single`. */
  readonly quorumReplicas: 1 | 3;
  /** Instances of each PostgreSQL cluster: a primary and two replicas unless `single` (a quorum, as above). */
  readonly databaseInstances: 1 | 3;
  /** Whether replicas spread at all (anything but `single`). */
  readonly spreads: boolean;
  /** The widest topology replicas spread over. */
  readonly spreadKey: SpreadKey;
  /** Every topology a workload spreads over, nodes first. */
  readonly spreadKeys: readonly SpreadKey[];
  /** Production: replicas must not share a node (or zone); elsewhere they are spread when possible. */
  readonly spreadIsRequired: boolean;
  /** Production: a workload that runs a single replica declares why (policy check REL-01). */
  readonly singleReplicaIsException: boolean;
  /** Databases archive WAL and take base backups off the cluster: not in a sandbox, and only with backups on. */
  readonly databaseBackups: boolean;
  /** Outside the sandbox, egress to any address states its reason (policy check NET-06). */
  readonly egressAnywhereNeedsReason: boolean;
  /** Size of the metrics and log volumes: small in a sandbox. */
  readonly observabilityVolume: '5Gi' | '50Gi';
}

// Keyed by the environment object: each construct asks, the decisions are made once.
const RESOLVED = new WeakMap<object, Resilience>();

/** The environment's resolved stage and HA decisions. */
export function resilience(env: Pick<Environment, 'ha' | 'platform' | 'stage'>): Resilience {
  const known = RESOLVED.get(env);
  if (known) return known;
  const single = env.ha.level === 'single';
  const multiZone = env.ha.level === 'multi-zone';
  const resolved: Resilience = {
    controllerReplicas: single ? 1 : 2,
    quorumReplicas: single ? 1 : 3,
    databaseInstances: single ? 1 : 3,
    spreads: !single,
    spreadKey: multiZone ? 'topology.kubernetes.io/zone' : 'kubernetes.io/hostname',
    spreadKeys: multiZone ? ['kubernetes.io/hostname', 'topology.kubernetes.io/zone'] : ['kubernetes.io/hostname'],
    spreadIsRequired: env.stage === 'production',
    singleReplicaIsException: env.stage === 'production',
    databaseBackups: env.stage !== 'sandbox' && env.platform.backups.enabled,
    egressAnywhereNeedsReason: env.stage !== 'sandbox',
    observabilityVolume: env.stage === 'sandbox' ? '5Gi' : '50Gi',
  };
  RESOLVED.set(env, resolved);
  return resolved;
}
