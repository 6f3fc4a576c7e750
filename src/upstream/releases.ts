import { fromTerraformLiteral } from '../../stacks/terraform-literal';
import type { TerraformJson } from '../synth/terraform-json';

/**
 * An upstream chart's helm_release exactly as Terraform will install it: read back from the
 * synthesised `cdk.tf.json`, so what the kit renders and checks is what `cdktf deploy` applies.
 */
export interface UpstreamRelease {
  /** The stack (`<env>-<layer>`) whose state holds it. */
  readonly stack: string;
  /** Terraform address within the stack, e.g. `helm_release.release-loki`. */
  readonly address: string;
  readonly releaseName: string;
  readonly namespace: string;
  readonly repository: string;
  readonly chart: string;
  readonly version: string;
  /** The values document, byte for byte as Terraform passes it to Helm. */
  readonly values: string;
  /** Addresses of releases in the same stack that Terraform installs first. */
  readonly dependsOn: readonly string[];
}

interface HelmReleaseBlock {
  readonly name: string;
  readonly namespace: string;
  readonly repository?: string;
  readonly chart: string;
  readonly version?: string;
  readonly values?: readonly string[];
  readonly depends_on?: readonly string[];
}

/**
 * Every upstream release of the stacks, in the order the stacks are deployed (pass them in that
 * order) and, within a stack, by address. A release without `repository` is one of the kit's own
 * packaged charts and is not listed.
 */
export function upstreamReleasesOf(terraform: Readonly<Record<string, TerraformJson>>, stackOrder: readonly string[]): UpstreamRelease[] {
  return stackOrder.flatMap((stack) => {
    const blocks = ((terraform[stack]?.resource as { helm_release?: Record<string, HelmReleaseBlock> } | undefined)?.helm_release ?? {}) as Record<
      string,
      HelmReleaseBlock
    >;
    return Object.entries(blocks)
      .filter(([, block]) => block.repository)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([id, block]) => {
        if (!block.version) throw new Error(`helm_release.${id} in stack ${stack} names no chart version`);
        if ((block.values ?? []).length > 1) throw new Error(`helm_release.${id} in stack ${stack} has more than one values document`);
        return {
          stack,
          address: `helm_release.${id}`,
          releaseName: block.name,
          namespace: block.namespace,
          repository: block.repository as string,
          chart: block.chart,
          version: block.version,
          values: fromTerraformLiteral(block.values?.[0] ?? ''),
          dependsOn: (block.depends_on ?? []).filter((dependency) => dependency.startsWith('helm_release.')),
        };
      });
  });
}
