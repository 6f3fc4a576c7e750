import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';

/** One file of a chart: its path inside the chart's folder (`/`-separated) and its text. */
export interface ChartFile {
  readonly path: string;
  readonly text: string;
}

/**
 * One of our packaged charts, as a folder inside its stack's Terraform folder from which its
 * `helm_release` installs it: `assets/<logical id>/<content hash>/`, the folder and hash cdktf's
 * `TerraformAsset` gives a directory, so Terraform sees the same path for the same chart.
 *
 * Why not `TerraformAsset`: it copies a folder already on disk, so the kit wrote every chart twice
 * (once to copy from); this writes the chart once, from memory, when `writeInto` is called after cdktf
 * has synthesised the stacks.
 */
export class KitChartAsset extends Construct {
  static isKitChartAsset(x: unknown): x is KitChartAsset {
    return x instanceof KitChartAsset;
  }

  /** The folder, relative to the stack's Terraform folder, `/`-separated as Terraform reads it. */
  readonly path: string;
  private readonly stack: TerraformStack;

  constructor(
    scope: TerraformStack,
    id: string,
    private readonly files: readonly ChartFile[],
  ) {
    super(scope, id);
    this.stack = scope;
    this.path = path.posix.join('assets', scope.getLogicalId(this.node), directoryHash(files));
  }

  /** Writes the chart into its stack's folder under cdktf's output folder (`<outdir>/stacks/<stack>/<path>/`). */
  writeInto(cdktfOutdir: string): void {
    const folder = path.join(cdktfOutdir, 'stacks', this.stack.node.id, ...this.path.split('/'));
    const targets = this.files.map((file) => ({ target: path.join(folder, ...file.path.split('/')), text: file.text }));
    // Each folder made once (most files share templates/), not once per file.
    for (const directory of new Set(targets.map(({ target }) => path.dirname(target)))) mkdirSync(directory, { recursive: true });
    for (const { target, text } of targets) writeFileSync(target, text);
  }
}

/**
 * The hash cdktf gives a directory asset: MD5 of every file's bytes, in the order of a walk that visits
 * each folder's entries in byte order of their names (libuv sorts them so), as 32 upper-case hex digits.
 * Names are not hashed.
 */
export function directoryHash(files: readonly ChartFile[]): string {
  const hash = createHash('md5');
  const walkOrder = [...files].sort((a, b) => compareWalkOrder(a.path.split('/'), b.path.split('/')));
  for (const file of walkOrder) hash.update(file.text);
  return hash.digest('hex').slice(0, 32).toUpperCase();
}

function compareWalkOrder(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i += 1) {
    if (a[i] !== b[i]) return Buffer.compare(Buffer.from(a[i]), Buffer.from(b[i]));
  }
  return a.length - b.length;
}
