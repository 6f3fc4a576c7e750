/**
 * Where the release behind a pinned image tag or chart version can be confirmed, declared beside the
 * pin and checked by `npm run pins` against package registries this kit's machines reach. A pin names
 * a release that exists only if some registry (or the product's own release tag, mirrored by a
 * registry) says so: a tag the kit made up would otherwise surface only when a cluster fails to pull.
 *
 * `version` is the version to look up in the registry; it defaults to the pin's own tag or chart
 * version (a leading "v" added for Go, dropped for the others) and is written out only where the
 * registry names the same release differently (a `-distroless` flavour, Prometheus 3.x as Go module
 * v0.3xx, a chart versioned apart from the release it ships).
 */
export type PinConfirmation =
  /** A Maven Central artifact of the same release, `group:artifact`. */
  | { readonly maven: `${string}:${string}`; readonly version?: string }
  /** An npm package of the same release. */
  | { readonly npm: string; readonly version?: string }
  /** A Go module tagged at the same release (module path with its major-version suffix), served by the Go module proxy. */
  | { readonly goModule: string; readonly version?: string }
  /** A PyPI project of the same release. */
  | { readonly pypi: string; readonly version?: string }
  /** No reachable registry carries this release: why, and where the release can be seen instead. */
  | { readonly unavailable: string };

/** The confirmation of an upstream chart's own version and of each image it pulls, by the image's role. */
export interface ChartPinConfirmations {
  readonly chart: PinConfirmation;
  readonly images: Readonly<Record<string, PinConfirmation>>;
}
