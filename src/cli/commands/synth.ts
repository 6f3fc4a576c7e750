import type { Command } from 'commander';
import { type EnvironmentSynthesis } from '../../synth/synthesize';
import { progress } from '../progress';
import { runCommand } from '../run-command';
import { selectEnvironments, type EnvironmentSelection } from '../select-environments';

export function defineSynth(command: Command): void {
  command
    .option('--env <name>', 'environment folder under environments/ (default: sandbox)')
    .option('--all', 'every environment under environments/')
    .action((options: EnvironmentSelection) =>
      runCommand(async () => {
        // npm runs scripts from the project root; environments/ and the output live there.
        const root = process.cwd();
        const envs = selectEnvironments(options, root);
        // The pipeline (cdktf, cdk8s, the constructs) loads only once the environments are valid: a refused file is answered at once.
        const { buildOutput } = await import('../../pipeline/build-output');
        const results = buildOutput(envs, { root, log: progress });
        for (const result of results) console.log(summaryLine(result));
      }),
    );
}

export function summaryLine(result: EnvironmentSynthesis): string {
  const objects = result.components.flatMap((component) => component.manifests);
  const namespaces = new Set(objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name));
  const upstream = result.assembly.upstreamCharts.length;
  return (
    `${result.env.name}: ${result.stacks.length} stacks (${result.stacks.join(', ')}), ${objects.length} objects ` +
    `in ${namespaces.size} namespaces, ${result.components.length} kit charts + ${upstream} upstream charts ` +
    `-> dist/${result.env.name}/, cdktf.out/stacks/`
  );
}
