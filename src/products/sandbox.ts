import { existsSync, lstatSync, readdirSync, readlinkSync } from 'node:fs';
import * as path from 'node:path';

/** A path inside the container and the host path that provides it. */
export interface SandboxMount {
  readonly path: string;
  readonly hostPath: string;
  readonly writable: boolean;
}

/** What one container sees, as its pod gives it, for `sandboxArgv`. */
export interface SandboxSpec {
  /** The image's own folders (the distribution), read-only like an image layer. */
  readonly imagePaths: Readonly<Record<string, string>>;
  /** The pod's volumes at their mount paths. */
  readonly mounts: readonly SandboxMount[];
  /** Replaces /etc/hosts: the pod's service names on loopback. */
  readonly hostsFile: string;
  readonly hostname: string;
  readonly uid: number;
  readonly gid: number;
  readonly supplementaryGroups: readonly number[];
  readonly workingDir?: string;
  readonly argv: readonly string[];
}

/** The host's system folders that stand in for the image's base layer (libc, shell, CA certificates, a JDK). */
const SYSTEM_FOLDERS = ['/usr', '/etc', '/bin', '/sbin', '/lib', '/lib64', '/opt/java'];

/**
 * The bubblewrap command line that runs a container's process the way the kubelet would: a read-only
 * root of its own holding the system folders and the product's image paths,
 * the pod's volumes on top, its own PID namespace, and the pod's user, group and supplementary group
 * with every capability dropped and no privilege escalation. The network stays the host's loopback,
 * so the pod's ports are the product's ports here.
 */
export function sandboxArgv(spec: SandboxSpec): string[] {
  const argv = ['bwrap', '--die-with-parent', '--unshare-pid', '--unshare-ipc', '--unshare-uts', '--hostname', spec.hostname, '--perms', '0755', '--tmpfs', '/'];
  const mountPoints = [...Object.keys(spec.imagePaths), ...spec.mounts.map((m) => m.path), '/etc/hosts'];
  const rebuilt: string[] = [];
  for (const folder of SYSTEM_FOLDERS.filter((f) => existsSync(f))) {
    if (lstatSync(folder).isSymbolicLink()) {
      // Debian's /bin, /lib… are symlinks into /usr: keep them links, as in the image.
      argv.push('--symlink', readlinkSync(folder), folder);
    } else if (mountPoints.some((p) => p.startsWith(`${folder}/`))) {
      // A volume mounted inside a system folder needs a mount point the host folder may lack, and a
      // read-only bind cannot grow one: the folder is rebuilt entry by entry on a tmpfs, then made read-only.
      argv.push('--perms', '0755', '--tmpfs', folder);
      for (const entry of readdirSync(folder).sort()) {
        const source = path.join(folder, entry);
        if (mountPoints.includes(source)) continue;
        if (lstatSync(source).isSymbolicLink()) argv.push('--symlink', readlinkSync(source), source);
        else argv.push('--ro-bind', source, source);
      }
      rebuilt.push(folder);
    } else {
      argv.push('--ro-bind', folder, folder);
    }
  }
  argv.push('--ro-bind', spec.hostsFile, '/etc/hosts', '--dev', '/dev', '--perms', '1777', '--tmpfs', '/dev/shm', '--proc', '/proc');
  // bubblewrap creates missing parents as 0700, which the pod's user could not traverse.
  for (const parent of parentsOf([...Object.keys(spec.imagePaths), ...spec.mounts.map((m) => m.path)])) argv.push('--perms', '0755', '--dir', parent);
  for (const [target, source] of byDepth(Object.entries(spec.imagePaths))) argv.push('--ro-bind', source, target);
  for (const mount of byDepth(spec.mounts.map((m) => [m.path, m] as const))) {
    argv.push(mount[1].writable ? '--bind' : '--ro-bind', mount[1].hostPath, mount[1].path);
  }
  for (const folder of rebuilt) argv.push('--remount-ro', folder);
  argv.push('--remount-ro', '/');
  if (spec.workingDir) argv.push('--chdir', spec.workingDir);
  argv.push(
    'setpriv',
    `--reuid=${spec.uid}`,
    `--regid=${spec.gid}`,
    spec.supplementaryGroups.length > 0 ? `--groups=${spec.supplementaryGroups.join(',')}` : '--clear-groups',
    '--inh-caps=-all',
    '--bounding-set=-all',
    '--no-new-privs',
    '--',
    ...spec.argv,
  );
  return argv;
}

/** Folders above the given paths that the system folders do not provide, outermost first. */
function parentsOf(paths: readonly string[]): string[] {
  const parents = new Set<string>();
  for (const p of paths) {
    const parts = p.split('/').filter(Boolean);
    for (let i = 1; i < parts.length; i++) {
      const parent = `/${parts.slice(0, i).join('/')}`;
      if (!SYSTEM_FOLDERS.some((f) => parent === f || parent.startsWith(`${f}/`))) parents.add(parent);
    }
  }
  return [...parents].filter((p) => !paths.includes(p)).sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b));
}

/** Parents before children, so a volume mounted inside an image folder lies on top of it. */
function byDepth<T>(entries: readonly (readonly [string, T])[]): (readonly [string, T])[] {
  return [...entries].sort(([a], [b]) => a.split('/').length - b.split('/').length || a.localeCompare(b));
}
