import type { Environment } from './environment/schema';

/**
 * The image reference the cluster pulls for an upstream image: through the environment's registry
 * mirror when one is set (air-gapped data centres), and pinned by digest when the environment lists one.
 * Every image the kit renders goes through here, so the offline bundle and the policy checks see
 * exactly what the cluster will pull.
 */
export function resolveImage(env: Pick<Environment, 'registry'>, image: string): string {
  if (!/:[^/@]+$/.test(image) || image.endsWith(':latest')) {
    throw new Error(`image "${image}" must carry an explicit tag other than latest`);
  }
  const digest = env.registry.digests[image];
  const mirrored = env.registry.mirror ? `${env.registry.mirror}/${withoutRegistry(image)}` : qualified(image);
  return digest ? `${mirrored}@${digest}` : mirrored;
}

/**
 * How the kubelet pulls a resolved image: a digest names exactly one image, so the node's copy is
 * as good as the registry's; a tag can be moved, so it is checked against the registry (through the
 * mirror) at every start (IMG-04).
 */
export function imagePullPolicy(reference: string): 'Always' | 'IfNotPresent' {
  return reference.includes('@sha256:') ? 'IfNotPresent' : 'Always';
}

/** `nginx:1.27` → `docker.io/library/nginx:1.27`: always name the registry, so allow-lists can be checked. */
export function qualified(image: string): string {
  const first = image.split('/')[0];
  const hasRegistry = image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (hasRegistry) return image;
  return image.includes('/') ? `docker.io/${image}` : `docker.io/library/${image}`;
}

/** The path of an image inside its registry, e.g. `keycloak/keycloak:26.7.3` for quay.io's Keycloak. */
export function withoutRegistry(image: string): string {
  const full = qualified(image);
  return full.slice(full.indexOf('/') + 1);
}

/** A resolved image reference taken apart the ways Helm charts ask for it. */
export interface ImageParts {
  /** Registry host, e.g. `quay.io` or the mirror's host. */
  readonly registry: string;
  /** Path inside the registry without tag, e.g. `jetstack/cert-manager-controller`. */
  readonly path: string;
  /** `registry/path`: what charts call a full repository. */
  readonly repository: string;
  readonly tag: string;
  /** `sha256:…` when the environment pins the image. */
  readonly digest?: string;
  /** The tag with the digest appended (`v1.2@sha256:…`), for charts that only take a tag. */
  readonly tagAndDigest: string;
  /** The whole reference. */
  readonly reference: string;
}

/** Resolves an upstream image (mirror, digest) and splits it for chart values. */
export function resolveImageParts(env: Pick<Environment, 'registry'>, image: string): ImageParts {
  return imageParts(resolveImage(env, image));
}

export function imageParts(reference: string): ImageParts {
  const [named, digest] = reference.split('@');
  const full = qualified(named);
  const colon = full.lastIndexOf(':');
  const repository = full.slice(0, colon);
  const tag = full.slice(colon + 1);
  const slash = repository.indexOf('/');
  return {
    registry: repository.slice(0, slash),
    path: repository.slice(slash + 1),
    repository,
    tag,
    digest,
    tagAndDigest: digest ? `${tag}@${digest}` : tag,
    reference,
  };
}

/**
 * The repository Helm installs an upstream chart from. The environment's chart repository
 * (`registry.charts`) when it names one; otherwise, with a registry mirror, every chart is pushed
 * to one OCI path on it (`helm push <chart>.tgz oci://<mirror>/charts`), so an air-gapped data
 * centre needs no chart repository on the internet. Chart names stay as upstream names them.
 */
export function resolveChartRepository(env: Pick<Environment, 'registry'>, repository: string): string {
  return chartMirrorOf(env) ?? repository;
}

/** The one repository every upstream chart comes from, when the environment names or implies one. */
export function chartMirrorOf(env: Pick<Environment, 'registry'>): string | undefined {
  if (env.registry.charts) return env.registry.charts.replace(/\/+$/, '');
  return env.registry.mirror ? mirroredChartRepository(env.registry.mirror) : undefined;
}

export function mirroredChartRepository(mirror: string): string {
  return `oci://${mirror}/charts`;
}

/** `{ registry, repository, tag }` for charts that join registry and repository themselves. */
export function registryImageValues(parts: ImageParts): { registry: string; repository: string; tag: string } {
  return { registry: parts.registry, repository: parts.path, tag: parts.tagAndDigest };
}

/** `{ repository, tag }` for charts that take the registry as part of the repository. */
export function repositoryImageValues(parts: ImageParts): { repository: string; tag: string } {
  return { repository: parts.repository, tag: parts.tagAndDigest };
}

/**
 * The image an upstream chart pulls, as the cluster will pull it: through the environment's mirror
 * (and digest) like every image the kit renders, unless the reference already names the mirror.
 */
export function upstreamImage(env: Pick<Environment, 'registry'>, image: string): string {
  const mirror = env.registry.mirror;
  if (mirror && image.startsWith(`${mirror}/`)) return image;
  if (image.includes('@')) return mirror ? `${mirror}/${withoutRegistry(image)}` : image;
  return resolveImage(env, image);
}
