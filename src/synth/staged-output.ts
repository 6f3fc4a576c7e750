import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

/** Where runs stage their output, beside `dist/` so that moving it into place is a rename. */
export const STAGING_FOLDER = '.synth-staging';

/**
 * Output is written to a staging folder next to `dist/` and moved into place only once complete,
 * so a failed synthesis leaves the previous output untouched and never a half-written one.
 *
 * The output a commit replaces is moved into the run's staging folder, not deleted there and then:
 * deleting a few hundred files costs a quarter of a second on a virtual disk. When the run ends, its
 * folder is removed in the background, by a process the command does not wait for, so that neither
 * this run nor the next one spends its time deleting. A run also removes, the same way, whatever an
 * earlier run left there (one that was killed, or whose removal was cut short): it holds the synthesis
 * lock, so no other run is using those folders. Until removed, the previous output sits in
 * `.synth-staging/run-*`, which is ignored by git and never read.
 */
export class StagedOutput {
  readonly stagingRoot: string;
  readonly cdktfDir: string;
  private readonly distRoot: string;
  private committed = false;
  private replaced = 0;

  /** Call only while holding the synthesis lock (synthesis-lock.ts). */
  constructor(
    private readonly root: string,
    private readonly cdktfOutdir: string,
  ) {
    mkdirSync(path.join(root, STAGING_FOLDER), { recursive: true });
    removeEarlierRunsInBackground(path.join(root, STAGING_FOLDER));
    this.stagingRoot = mkdtempSync(path.join(root, STAGING_FOLDER, 'run-'));
    this.cdktfDir = path.join(this.stagingRoot, 'cdktf.out');
    this.distRoot = path.join(this.stagingRoot, 'dist');
  }

  /** A fresh staging folder for one environment's `dist/<env>/`. */
  distDir(envName: string): string {
    const dir = entryOf(this.distRoot, envName);
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  /**
   * Replaces `dist/<env>/` for each environment and the environments' stacks in `cdktf.out/`,
   * keeping other environments' output, and merges cdktf's manifest so it lists every stack on disk.
   * @param replacedStacks every stack name the environments may own, so stacks removed from one disappear too
   */
  commit(envNames: readonly string[], stacks: readonly string[], replacedStacks: readonly string[]): void {
    this.committed = true;
    for (const envName of envNames) {
      const to = entryOf(path.join(this.root, 'dist'), envName);
      mkdirSync(path.dirname(to), { recursive: true });
      this.setAside(to);
      renameSync(entryOf(this.distRoot, envName), to);
    }
    mkdirSync(path.join(this.cdktfOutdir, 'stacks'), { recursive: true });
    for (const stack of stacks) keepTerraformWorkingFiles(entryOf(path.join(this.cdktfOutdir, 'stacks'), stack), entryOf(path.join(this.cdktfDir, 'stacks'), stack));
    for (const stack of replacedStacks) this.setAside(entryOf(path.join(this.cdktfOutdir, 'stacks'), stack));
    for (const stack of stacks) {
      renameSync(entryOf(path.join(this.cdktfDir, 'stacks'), stack), entryOf(path.join(this.cdktfOutdir, 'stacks'), stack));
    }
    writeFileSync(path.join(this.cdktfOutdir, 'manifest.json'), mergedCdktfManifest(this.cdktfOutdir, this.cdktfDir, replacedStacks));
  }

  /**
   * Ends the run: a run that failed leaves nothing; one that committed starts removing the output it
   * replaced (all its folder then holds) in the background.
   */
  discard(): void {
    if (this.committed) removeInBackground([this.stagingRoot]);
    else rmSync(this.stagingRoot, { recursive: true, force: true });
  }

  /** Moves replaced output out of the way, into this run's staging folder. */
  private setAside(folder: string): void {
    if (!existsSync(folder)) return;
    const aside = path.join(this.stagingRoot, 'replaced');
    mkdirSync(aside, { recursive: true });
    renameSync(folder, path.join(aside, String((this.replaced += 1))));
  }
}

/** Starts removing whatever earlier runs left in the staging folder (see `removeInBackground`). */
function removeEarlierRunsInBackground(stagingFolder: string): void {
  removeInBackground(
    readdirSync(stagingFolder)
      .filter((entry) => entry.startsWith('run-'))
      .map((entry) => path.join(stagingFolder, entry)),
  );
}

/**
 * Removes folders in a process of its own, at the lowest priority, which the command does not wait
 * for: it returns as soon as its output is in place, and the removal takes only what the machine
 * spares. Node's own asynchronous `rm` would not overlap (it advances only when the event loop turns,
 * and synthesis does not let it turn), and a worker thread would hold the command until it ended.
 * Where `nice` or `rm` cannot be started, the folders are removed before the command ends. A removal
 * that fails or is cut short is tried again by the next run.
 */
function removeInBackground(folders: readonly string[]): void {
  if (folders.length === 0) return;
  const remover = spawn('nice', ['-n', '19', 'rm', '-rf', '--', ...folders], { detached: true, stdio: 'ignore' });
  remover.on('error', () => {
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });
  remover.unref();
}

/**
 * `folder/name`, where `name` must be one plain path segment: whatever reaches this point, output is
 * only ever replaced inside the kit's own output folders (dist/, cdktf.out/stacks/ and the staging folder).
 */
function entryOf(folder: string, name: string): string {
  if (!/^[a-z0-9][-a-z0-9]*$/.test(name)) throw new Error(`refusing to replace "${name}" in ${folder}: not an environment or stack name`);
  return path.join(folder, name);
}

/**
 * What `terraform init` leaves in a stack's folder: the provider lock file, which pins the providers'
 * checksums and belongs under version control, and the working directory with the providers and
 * backend settings. A new synthesis of the stack keeps them; a stack that is gone loses them with it.
 */
export const TERRAFORM_WORKING_FILES: readonly string[] = ['.terraform.lock.hcl', '.terraform'];

function keepTerraformWorkingFiles(previousStackDir: string, stagedStackDir: string): void {
  for (const name of TERRAFORM_WORKING_FILES) {
    const previous = path.join(previousStackDir, name);
    if (existsSync(previous) && existsSync(stagedStackDir) && !existsSync(path.join(stagedStackDir, name))) {
      renameSync(previous, path.join(stagedStackDir, name));
    }
  }
}

/**
 * Removes stacks from a cdktf output folder and its manifest: the stale output of an environment
 * that can no longer be synthesised must not be deployed as if it were current.
 */
export function forgetStacks(cdktfOutdir: string, stacks: readonly string[]): void {
  const manifestFile = path.join(cdktfOutdir, 'manifest.json');
  if (!existsSync(manifestFile)) return;
  for (const stack of stacks) rmSync(entryOf(path.join(cdktfOutdir, 'stacks'), stack), { recursive: true, force: true });
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as CdktfManifest;
  const kept = Object.fromEntries(Object.entries(manifest.stacks).filter(([name]) => !stacks.includes(name)));
  writeFileSync(manifestFile, `${JSON.stringify({ ...manifest, stacks: kept }, null, 2)}\n`);
}

interface CdktfManifest {
  readonly version: string;
  readonly stacks: Record<string, unknown>;
  readonly [key: string]: unknown;
}

function mergedCdktfManifest(outdir: string, stagedDir: string, replacedStacks: readonly string[]): string {
  const fresh = JSON.parse(readFileSync(path.join(stagedDir, 'manifest.json'), 'utf8')) as CdktfManifest;
  const previousFile = path.join(outdir, 'manifest.json');
  const previous: CdktfManifest | undefined = existsSync(previousFile)
    ? (JSON.parse(readFileSync(previousFile, 'utf8')) as CdktfManifest)
    : undefined;
  const stacks: Record<string, unknown> = {};
  for (const [name, stack] of Object.entries(previous?.stacks ?? {})) {
    if (!replacedStacks.includes(name) && existsSync(path.join(outdir, 'stacks', name))) stacks[name] = stack;
  }
  Object.assign(stacks, fresh.stacks);
  const sorted = Object.fromEntries(Object.entries(stacks).sort(([a], [b]) => a.localeCompare(b)));
  return `${JSON.stringify({ ...fresh, stacks: sorted }, null, 2)}\n`;
}
