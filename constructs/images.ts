import type { Environment } from './environment/schema';

/**
 * The image reference the cluster pulls for an upstream image: through the environment's registry
 * mirror when one is set (air-gapped data centres), and pinned by digest when the environment lists one.
 * Every image the kit renders goes through here, so the offline bundle and the policy checks see
 * exactly what the cluster will pull.
 */
export function resolveImage(env: Environment, image: string): string {
  if (!/:[^/@]+$/.test(image) || image.endsWith(':latest')) {
    throw new Error(`image "${image}" must carry an explicit tag other than latest`);
  }
  const digest = env.registry.digests[image];
  const mirrored = env.registry.mirror ? `${env.registry.mirror}/${withoutRegistry(image)}` : qualified(image);
  return digest ? `${mirrored}@${digest}` : mirrored;
}

/** `nginx:1.27` → `docker.io/library/nginx:1.27`: always name the registry, so allow-lists can be checked. */
export function qualified(image: string): string {
  const first = image.split('/')[0];
  const hasRegistry = image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (hasRegistry) return image;
  return image.includes('/') ? `docker.io/${image}` : `docker.io/library/${image}`;
}

/** The path of an image inside its registry, e.g. `keycloak/keycloak:26.8.2` for quay.io's Keycloak. */
export function withoutRegistry(image: string): string {
  const full = qualified(image);
  return full.slice(full.indexOf('/') + 1);
}
