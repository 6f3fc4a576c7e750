import type { Manifest } from '../synth/manifest';
import type { RenderedComponent } from '../synth/render';

/** A synthesised object and the component (reviewable file, Helm release) it belongs to. */
export interface PlacedManifest {
  readonly component: string;
  readonly manifest: Manifest;
}

export function placeManifests(components: readonly Pick<RenderedComponent, 'component' | 'manifests'>[]): PlacedManifest[] {
  return components.flatMap(({ component, manifests }) => manifests.map((manifest) => ({ component, manifest })));
}

/** The `spec` of an object, or an empty one: manifests are plain JSON of many kinds. */
export function specOf(manifest: Manifest): Record<string, unknown> {
  const spec = manifest.spec;
  return spec !== null && typeof spec === 'object' ? (spec as Record<string, unknown>) : {};
}

/** The API group of an object, `''` for the core group. */
export function apiGroup(manifest: Manifest): string {
  return manifest.apiVersion.includes('/') ? manifest.apiVersion.split('/')[0] : '';
}
