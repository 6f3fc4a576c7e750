import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Command } from 'commander';
import { buildOutput } from '../../pipeline/build-output';
import { chartSourceFromSetting } from '../../upstream/chart-source';
import { findSilentValues } from '../../upstream/silent-values';
import { progress } from '../progress';
import { runCommand } from '../run-command';
import { selectEnvironments, type EnvironmentSelection } from '../select-environments';

/**
 * `npm run silent-values [-- --env NAME | --all]`: every value the kit sets for an upstream chart must
 * change what the chart renders, unless the chart's construct declares why it matters only at run
 * time (`valuesNotRendered`). Slow (one Helm render per value), so it is a command CI runs, not a spec.
 */
export function defineSilentValues(command: Command): void {
  command
    .option('--env <name>', 'environment folder under environments/ (default: sandbox)')
    .option('--all', 'every environment under environments/')
    .action((options: EnvironmentSelection) =>
      runCommand(async () => {
        const root = mkdtempSync(path.join(tmpdir(), 'govstack-silent-'));
        try {
          const source = chartSourceFromSetting();
          // Judged on the values as synthesised; the policy verdict is `check`'s business, not this command's.
          const results = buildOutput(selectEnvironments(options, process.cwd()), { root, chartSource: source, refuseFindings: false, log: progress });
          let failures = 0;
          for (const result of results) {
            const started = Date.now();
            const silent = await findSilentValues(result.rendered, {
              kubernetesVersion: result.env.cluster.kubernetesVersion,
              source,
              progress: (release, checked, found) => console.log(`  ${result.env.name}: ${release}: ${checked} values rendered without, ${found} changed nothing`),
            });
            const declared = new Map(
              result.assembly.upstreamCharts.flatMap((chart) => Object.entries(chart.props.valuesNotRendered ?? {}).map(([p, reason]) => [`${chart.props.releaseName} ${p}`, reason] as const)),
            );
            const undeclared = silent.filter((value) => !declared.has(`${value.release} ${value.path}`));
            const found = new Set(silent.map((value) => `${value.release} ${value.path}`));
            const stale = [...declared.keys()].filter((key) => !found.has(key));
            for (const value of undeclared) console.log(`${result.env.name}: release ${value.release}: value ${value.path} changes nothing the chart renders: remove it, fix its key, or declare in valuesNotRendered why it matters`);
            for (const key of stale) console.log(`${result.env.name}: release ${key.replace(' ', ': value ')} is declared in valuesNotRendered but does change what the chart renders: remove the declaration`);
            console.log(`${result.env.name}: ${silent.length} silent value(s), ${silent.length - undeclared.length} declared, ${undeclared.length + stale.length} problem(s) (${Math.round((Date.now() - started) / 1000)} s)`);
            failures += undeclared.length + stale.length;
          }
          return failures === 0 ? 0 : 1;
        } finally {
          rmSync(root, { recursive: true, force: true });
        }
      }),
    );
}
