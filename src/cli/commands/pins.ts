import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { parse } from 'yaml';
import { checkPins, type CheckOptions } from '../../pins/check';
import { collectPins } from '../../pins/collect';
import { httpGet, PUBLIC_REGISTRIES } from '../../pins/registries';
import { reportPins } from '../../pins/report';
import { chartSourceFromSetting } from '../../upstream/chart-source';
import { runCommand } from '../run-command';
import { selectEnvironments } from '../select-environments';

/** Per registry request; a registry slower than this is reported, not waited for. */
const REQUEST_TIMEOUT_MS = 20_000;
/** Registry requests under way at once: enough to finish in seconds, few enough to stay polite. */
const CONCURRENCY = 4;

/**
 * `npm run pins`: every image tag and chart version the kit pins, checked against the package
 * registry its `confirm` names (Maven Central, npm, the Go module proxy, PyPI). Reports newer patch
 * releases, lists what cannot be checked from here with the reason, and exits 1 on a pin a registry
 * shows does not exist, a pin that declares no confirmation, or a registry that gives no usable answer.
 */
export function definePins(command: Command): void {
  command
    .action(() =>
      runCommand(async () => {
        // X-Road images follow each environment's choice, so every shipped environment is read.
        const pins = collectPins(selectEnvironments({ all: true }, process.cwd()));
        const results = await checkPins(pins, {
          registries: PUBLIC_REGISTRIES,
          get: httpGet(REQUEST_TIMEOUT_MS),
          concurrency: CONCURRENCY,
          chartMirror: chartMirrorIndex(),
        });
        const report = reportPins(results);
        for (const line of report.lines) console.log(line);
        return report.exitCode;
      }),
    );
}

/** The chart versions of the chart mirror folder `GOVSTACK_CHART_SOURCE` names, if it names one. */
function chartMirrorIndex(): CheckOptions['chartMirror'] {
  const source = chartSourceFromSetting();
  if (source.kind !== 'folder') return undefined;
  const index = parse(readFileSync(path.join(source.folder, 'index.yaml'), 'utf8')) as { entries?: Record<string, { version: string }[]> };
  const versions = new Map(Object.entries(index.entries ?? {}).map(([chart, entries]) => [chart, new Set(entries.map((entry) => entry.version))]));
  return { where: source.folder, versions };
}
