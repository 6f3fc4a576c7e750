import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadEnvironment } from '../../constructs/environment/load';
import { synthesize } from '../../src/synth/synthesize';
import { readTree } from '../support/shipped';

describe('the review bundle over repeated syntheses', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'govstack-rerun-'));
  const env = loadEnvironment('veloria-production');
  const dist = () => readTree(path.join(root, 'dist'));
  const changes = () => JSON.parse(readFileSync(path.join(root, 'dist', env.name, 'changes.json'), 'utf8'));

  it('is byte-identical when the same sources are synthesised again over their own output', () => {
    synthesize([env], { root });
    const first = dist();
    synthesize([env], { root });
    expect(dist()).toEqual(first);
  });

  it('reports the objects a change touched, and keeps reporting them while nothing else changes', () => {
    const changed = { ...env, cluster: { ...env.cluster, storageProvisioner: 'csi.example.org' } };
    synthesize([changed], { root });
    expect(changes()).toEqual({
      basis: 'previous',
      changes: [expect.objectContaining({ change: 'changed', object: `StorageClass/${env.cluster.storageClasses.data}`, fields: ['provisioner: "driver.longhorn.io" → "csi.example.org"'] })],
    });
    const afterChange = dist();
    expect(afterChange.get(`${env.name}/REVIEW.md`)).toContain('| changed | StorageClass/govstack-data | storage | _cluster | provisioner: "driver.longhorn.io" → "csi.example.org" |');
    synthesize([changed], { root });
    expect(dist()).toEqual(afterChange);
  });
});
