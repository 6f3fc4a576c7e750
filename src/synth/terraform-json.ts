import { readFileSync } from 'node:fs';
import * as path from 'node:path';

/** One Terraform stack's JSON (`cdk.tf.json`), parsed. */
export type TerraformJson = Readonly<Record<string, unknown>>;

/** Reads `stacks/<stack>/cdk.tf.json` of each stack from a cdktf output folder, by stack name. */
export function readTerraformStacks(cdktfOutdir: string, stacks: readonly string[]): Record<string, TerraformJson> {
  return Object.fromEntries(
    stacks.map((stack) => [stack, JSON.parse(readFileSync(path.join(cdktfOutdir, 'stacks', stack, 'cdk.tf.json'), 'utf8')) as TerraformJson]),
  );
}
