/**
 * A recovery of an environment into a clean cluster (`npm run restore`): which Velero backup its
 * objects and volumes come from, and the instant its databases are recovered to. Not part of the
 * environment file: the restore command adds it to the loaded environment.
 */
export interface Recovery {
  /** Velero backup the objects and volumes are restored from; without it, the newest backup of the schedule. */
  readonly backupName?: string;
  /** RFC 3339 instant the databases are recovered to. */
  readonly targetTime: string;
  /** Short, name-safe mark of this recovery (`YYYYMMDDHHMMSS` of its point, in UTC), for object names. */
  readonly mark: string;
}

/** A `--from` that names neither a backup nor a point in time: the message says what would be accepted. */
export class RecoveryPointError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecoveryPointError';
  }
}

/** Velero names a schedule's backups `<schedule>-<YYYYMMDDHHMMSS>` in UTC. */
const SCHEDULED_BACKUP = /-(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/;
/** A Kubernetes object name (RFC 1123 subdomain), as Velero's Backup is one. */
const BACKUP_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-](\d{2}):(\d{2}))$/;

/**
 * Reads `--from`: an RFC 3339 point in time (databases recover to it; objects and volumes come from
 * the schedule's newest backup unless `volumesFrom` names one), or the name of a schedule's Velero
 * backup (objects and volumes from it; databases to the instant its name carries, so both agree).
 * Anything else, a date that does not exist, or a time in the future is refused.
 */
export function recoveryOf(from: string, volumesFrom: string | undefined, now: Date): Recovery {
  const volumes = volumesFrom === undefined ? undefined : backupName(volumesFrom, '--volumes-from');
  if (/^\d{4}-/.test(from)) {
    const instant = pointInTime(from, now);
    return { targetTime: from, mark: stamp(instant), ...(volumes ? { backupName: volumes } : {}) };
  }
  if (volumes) throw new RecoveryPointError('--volumes-from goes with a point in time in --from; a backup name in --from already says where volumes come from');
  const name = backupName(from, '--from');
  const scheduled = SCHEDULED_BACKUP.exec(name);
  if (!scheduled) {
    throw new RecoveryPointError(
      `--from "${name}" names no instant: give a backup named as Velero names a schedule's backups, <schedule>-<YYYYMMDDHHMMSS> in UTC (e.g. cluster-daily-20260301020000), so the databases recover to the moment its volumes were copied, or an RFC 3339 point in time`,
    );
  }
  const [, y, mo, d, h, mi, s] = scheduled;
  const time = `${y}-${mo}-${d}T${h}:${mi}:${s}Z`;
  return { backupName: name, targetTime: time, mark: stamp(pointInTime(time, now, `the time in backup name "${name}"`)) };
}

function backupName(value: string, option: string): string {
  if (value.length > 253 || !BACKUP_NAME.test(value)) {
    throw new RecoveryPointError(
      `${option} "${value.slice(0, 80)}" is neither an RFC 3339 point in time (e.g. 2026-03-01T02:00:00Z) nor a Velero backup name (lowercase letters, digits, "-" and ".", e.g. cluster-daily-20260301020000)`,
    );
  }
  return value;
}

function pointInTime(value: string, now: Date, what = `--from "${value}"`): Date {
  const match = RFC3339.exec(value);
  if (!match) {
    throw new RecoveryPointError(`${what} is not an RFC 3339 point in time such as 2026-03-01T02:00:00Z or 2026-03-01T03:00:00+01:00`);
  }
  const [, y, mo, d, h, mi, s] = match.map(Number);
  // Date rolls 2026-02-30 over into March: a date that does not exist is refused, not moved.
  const calendar = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  const instant = new Date(value);
  if (calendar.getUTCFullYear() !== y || calendar.getUTCMonth() !== mo - 1 || calendar.getUTCDate() !== d || h > 23 || mi > 59 || s > 59 || Number.isNaN(instant.getTime())) {
    throw new RecoveryPointError(`${what} names a date or time that does not exist`);
  }
  if (instant.getTime() > now.getTime()) throw new RecoveryPointError(`${what} is in the future: no backup holds it yet`);
  return instant;
}

function stamp(instant: Date): string {
  return instant.toISOString().replace(/\.\d+Z$/, '').replace(/[-:T]/g, '');
}
