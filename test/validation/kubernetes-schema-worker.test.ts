import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Manifest } from '../../src/synth/manifest';
import { validateAgainstKubernetesSchemas } from '../../src/validation/kubernetes-schema';
import { KIT_NODE, PROJECT } from '../support/cli';

const configMap = (name: string, extra: Record<string, unknown> = {}): Manifest => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'demo' }, data: { a: 'b' }, ...extra });

describe('the schema worker behind validateAgainstKubernetesSchemas', () => {
  it('is started once and answers every later validation, each with its own results', async () => {
    // The module object itself (`import * as` would spy on a copy); a class is counted by wrapping it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const threads = require('node:worker_threads') as typeof import('node:worker_threads');
    const { Worker } = threads;
    const started = jest.spyOn(threads, 'Worker').mockImplementation((...args) => new Worker(...args));
    try {
      const [first, second] = await Promise.all([
        validateAgainstKubernetesSchemas([configMap('one')], '1.33'),
        validateAgainstKubernetesSchemas([configMap('two', { surprise: true })], '1.33'),
      ]);
      const third = await validateAgainstKubernetesSchemas([configMap('three')], '1.33');
      expect(first.results).toEqual([{ object: 'ConfigMap/demo/one', errors: [] }]);
      expect(second.results).toEqual([{ object: 'ConfigMap/demo/two', errors: ['/surprise is not a field of ConfigMap'] }]);
      expect(third.results[0].errors).toEqual([]);
      expect(started).toHaveBeenCalledTimes(1);
    } finally {
      started.mockRestore();
    }
  });

  it('does not keep a process alive once its validations are answered', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'govstack-schema-worker-'));
    const script = path.join(dir, 'validate-once.ts');
    writeFileSync(
      script,
      [
        `import { validateAgainstKubernetesSchemas } from ${JSON.stringify(path.join(PROJECT, 'src', 'validation', 'kubernetes-schema'))};`,
        "void validateAgainstKubernetesSchemas([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'demo' } }], '1.33')",
        '  .then(({ results }) => console.log(`errors: ${results[0].errors.length}`));',
        '',
      ].join('\n'),
    );
    // A worker left holding the process would keep it running: killed after a minute, it has no exit status.
    const [node, ...hook] = KIT_NODE;
    const run = spawnSync(node, [...hook, script], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    expect(run.stdout).toBe('errors: 0\n');
    expect(run.status).toBe(0);
  });
});
