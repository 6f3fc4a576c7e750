import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadEnvironment } from '../../constructs/environment/load';
import { buildOutput } from '../../src/pipeline/build-output';
import { readTree } from '../support/shipped';

describe('the review bundle over repeated syntheses', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'govstack-rerun-'));
  const env = loadEnvironment('veloria-production');
  const dist = () => readTree(path.join(root, 'dist'));
  const changes = () => JSON.parse(readFileSync(path.join(root, 'dist', env.name, 'changes.json'), 'utf8'));

  it('is byte-identical when the same sources are synthesised again over their own output', () => {
    buildOutput([env], { root });
    const first = dist();
    buildOutput([env], { root });
    expect(dist()).toEqual(first);
  });

  it('reports the objects a change touched, and keeps reporting them while nothing else changes', () => {
    // Every namespace carries the Pod Security version of its cluster, so this touches each Namespace.
    const changed = { ...env, cluster: { ...env.cluster, kubernetesVersion: '1.34' as const } };
    const [result] = buildOutput([changed], { root });
    const namespace = result.components.flatMap((c) => c.manifests).find((m) => m.kind === 'Namespace')!.metadata.name;
    const report = changes();
    expect(report.basis).toBe('previous');
    expect(report.changes).toContainEqual(
      expect.objectContaining({ change: 'changed', object: `Namespace/${namespace}`, fields: ['metadata.labels.pod-security.kubernetes.io/enforce-version: "v1.33" → "v1.34"'] }),
    );
    const afterChange = dist();
    expect(afterChange.get(`${env.name}/REVIEW.md`)).toContain(`| changed | Namespace/${namespace} |`);
    buildOutput([changed], { root });
    expect(dist()).toEqual(afterChange);
  });
});
