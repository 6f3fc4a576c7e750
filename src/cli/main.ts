#!/usr/bin/env node
import { Command } from 'commander';
import { KIT_VERSION } from '../version';

/**
 * Every command by name and summary, and the module that defines its options and runs it. Only the
 * module of the command being run is loaded: `--help` and a short command do not pay for loading
 * cdktf, cdk8s and the constructs that most commands need.
 */
const COMMANDS: readonly { readonly name: string; readonly summary: string; readonly define: () => Promise<(command: Command) => void> }[] = [
  {
    name: 'synth',
    summary: 'synthesise Kubernetes manifests (dist/<env>/) and Terraform JSON (cdktf.out/) for environments',
    define: async () => (await import('./commands/synth')).defineSynth,
  },
  {
    name: 'restore',
    summary: 'synthesise a recovery of an environment into a clean cluster (dist/<env>-restore/, stacks <env>-restore-<layer>) from its off-cluster backups',
    define: async () => (await import('./commands/restore')).defineRestore,
  },
  {
    name: 'schema',
    summary: 'regenerate environments/environment.schema.json (editor completion for environment files) from the zod schema',
    define: async () => (await import('./commands/schema')).defineSchema,
  },
  {
    name: 'report',
    summary: 'write the review bundle (REVIEW.md, review.html, capacity.json, images.txt, charts.txt) of environments and summarise it',
    define: async () => (await import('./commands/report')).defineReport,
  },
  {
    name: 'new-country',
    summary: 'start a new country: write environments/<name>/environment.yaml with what differs from the profile, commented',
    define: async () => (await import('./commands/new-country')).defineNewCountry,
  },
  {
    name: 'diff',
    summary: "show what differs between two environments' outputs, or between an environment and its last synthesis",
    define: async () => (await import('./commands/diff')).defineDiff,
  },
  {
    name: 'check',
    summary: 'synthesise environments and run the security and reliability policy checks; exits 1 when any check fails',
    define: async () => (await import('./commands/check')).defineCheck,
  },
  {
    name: 'silent-values',
    summary: 'render each upstream chart once per value the kit sets, without that value; exit 1 when a value changes nothing and is not declared',
    define: async () => (await import('./commands/silent-values')).defineSilentValues,
  },
  {
    name: 'products',
    summary:
      "start each building block product from its real distribution under the synthesised pod's command, environment, files, user and read-only root; exit 1 when one does not pass its probes and smoke step",
    define: async () => (await import('./commands/products')).defineProducts,
  },
  {
    name: 'pins',
    summary: 'check every pinned image tag and chart version against a package registry; exit 1 on a release that does not exist',
    define: async () => (await import('./commands/pins')).definePins,
  },
];

async function main(argv: readonly string[]): Promise<void> {
  const program = new Command()
    .name('govstack')
    .description('GovStack deployment kit: environments in, reviewable Kubernetes manifests and Terraform JSON out')
    .version(KIT_VERSION)
    .showHelpAfterError()
    .exitOverride((error) => {
      // commander's own usage errors: print-and-exit 1, like every other user error.
      process.exit(error.exitCode === 0 ? 0 : 1);
    });
  // The program itself takes no option with a value, so the first word that is not an option names
  // the command (`help synth` names it second).
  const words = argv.slice(2).filter((arg) => !arg.startsWith('-'));
  const requested = words[0] === 'help' ? words[1] : words[0];
  for (const { name, summary, define } of COMMANDS) {
    const command = program.command(name).description(summary);
    if (name === requested) (await define())(command);
  }

  if (process.env.GOVSTACK_REPORT_PEAK_MEMORY) {
    // For `npm run bench`: the child's own peak resident memory, which its parent cannot see.
    process.on('exit', () => process.stderr.write(`peak memory: ${process.resourceUsage().maxRSS} KiB\n`));
  }
  await program.parseAsync(argv);
}

void main(process.argv);
