import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import type { CapacityBill } from '../../review/capacity';
import type { ChangeReport } from '../../review/change-report';
import { formatCores, formatBytes } from '../../../constructs/baseline/quantity';
import { progress } from '../progress';
import { runCommand } from '../run-command';
import { selectEnvironments, type EnvironmentSelection } from '../select-environments';

/**
 * `npm run report -- --env NAME`: synthesises the environment (the bundle is part of every
 * synthesis, so it always matches the manifests beside it) and prints the figures a review board
 * and a procurement office ask for first.
 */
export function defineReport(command: Command): void {
  command
    .option('--env <name>', 'environment folder under environments/ (default: sandbox)')
    .option('--all', 'every environment under environments/')
    .action((options: EnvironmentSelection) =>
      runCommand(async () => {
        const root = process.cwd();
        const envs = selectEnvironments(options, root);
        // The pipeline (cdktf, cdk8s, the constructs) loads only once the environments are valid: a refused file is answered at once.
        const { buildOutput } = await import('../../pipeline/build-output');
        const results = buildOutput(envs, { root, log: progress });
        for (const { env } of results) console.log(reportSummary(path.join(root, 'dist', env.name), env.name));
      }),
    );
}

export function reportSummary(distDir: string, envName: string): string {
  const capacity = JSON.parse(readFileSync(path.join(distDir, 'capacity.json'), 'utf8')) as CapacityBill;
  const changes = JSON.parse(readFileSync(path.join(distDir, 'changes.json'), 'utf8')) as ChangeReport;
  const images = readFileSync(path.join(distDir, 'images.txt'), 'utf8').split('\n').filter(Boolean).length;
  const charts = readFileSync(path.join(distDir, 'charts.txt'), 'utf8').split('\n').filter(Boolean).length;
  const { total, nodes } = capacity;
  return [
    `${envName}: review bundle in dist/${envName}/ (REVIEW.md, review.html, architecture.svg, capacity.json, images.txt, charts.txt)`,
    `  capacity: ${formatCores(total.cpuRequests)} CPU and ${formatBytes(total.memoryRequests)} requested, ${total.pods} pods, ` +
      `${Object.entries(total.storage).map(([storageClass, size]) => `${formatBytes(size)} ${storageClass}`).join(', ') || 'no persistent storage'}, ${total.loadBalancers} load-balancer address(es)`,
    `  nodes to buy: ${nodes.total} of ${nodes.nodeSize.cpu} CPU / ${nodes.nodeSize.memoryGiB} GiB (${nodes.needed} needed + ${nodes.failureHeadroom} spare)`,
    `  offline: ${images} image(s), ${charts} upstream chart(s)`,
    `  changes: ${changes.basis === 'first' ? 'first synthesis, nothing to compare' : `${changes.changes.length} object(s) added, removed or changed by the last change`}`,
  ].join('\n');
}
