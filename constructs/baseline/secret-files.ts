import { k8s } from 'cdk8s-plus-28';

/** Where a container finds the Secrets it reads as files: `/run/secrets/<secret>/<key>`. */
export const SECRET_FILES_DIR = '/run/secrets';

/** Owner and group may read, nobody writes: the pod's fsGroup makes the files readable to its user. */
const READ_ONLY_MODE = 0o440;

/**
 * The Secret keys a container (or a pod) reads as files, by Secret name. Only the keys read are
 * projected into the volume, so a container never sees the rest of a Secret (a database URI, say).
 */
export class SecretFiles {
  private readonly keys = new Map<string, Set<string>>();

  /** Records that `key` of `secret` is read as a file, and gives the file's path. */
  path(secret: string, key: string): string {
    const keys = this.keys.get(secret) ?? new Set<string>();
    keys.add(key);
    this.keys.set(secret, keys);
    return `${SECRET_FILES_DIR}/${secret}/${key}`;
  }

  /** Adds what another collection records: a container's files to its pod's. */
  addAll(other: SecretFiles): void {
    for (const [secret, keys] of other.keys) for (const key of keys) this.path(secret, key);
  }

  mounts(): k8s.VolumeMount[] {
    return [...this.keys.keys()].sort().map((secret) => ({ name: volumeName(secret), mountPath: `${SECRET_FILES_DIR}/${secret}`, readOnly: true }));
  }

  volumes(): k8s.Volume[] {
    return [...this.keys.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([secret, keys]) => ({
        name: volumeName(secret),
        secret: { secretName: secret, defaultMode: READ_ONLY_MODE, items: [...keys].sort().map((key) => ({ key, path: key })) },
      }));
  }
}

const volumeName = (secret: string) => `secret-${secret}`;

/** A pod volume holding every key of a Secret as a read-only file. */
export function secretVolume(name: string, secret: string): k8s.Volume {
  return { name, secret: { secretName: secret, defaultMode: READ_ONLY_MODE } };
}
