import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { changeReport, changeReportJson } from '../../src/review/change-report';
import { compareObjects } from '../../src/review/object-changes';
import { placeManifests } from '../../src/review/placed-manifest';
import { writeManifests } from '../../src/synth/write-manifests';
import { fixtureComponents } from './fixture';

const placed = () => placeManifests(fixtureComponents());

describe('what changed between two syntheses', () => {
  it('names objects added, removed and changed, with the changed fields by container name', () => {
    const before = placed();
    const after = placed()
      .filter((p) => p.manifest.metadata.name !== 'uploads')
      .map((p) => {
        if (p.manifest.metadata.name !== 'registry-api' || p.manifest.kind !== 'Deployment') return p;
        const spec = JSON.parse(JSON.stringify(p.manifest.spec));
        spec.replicas = 3;
        spec.template.spec.containers[0].image = 'registry.example/registry/api:2.2.0';
        return { ...p, manifest: { ...p.manifest, spec } };
      });
    after.push({ component: 'registry', manifest: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'bb-registry' } } });
    expect(compareObjects(before, after)).toEqual([
      { change: 'added', object: 'ConfigMap/bb-registry/settings', component: 'registry', namespace: 'bb-registry' },
      {
        change: 'changed',
        object: 'Deployment/bb-registry/registry-api',
        component: 'registry',
        namespace: 'bb-registry',
        fields: ['spec.replicas: 2 → 3', 'spec.template.spec.containers[api].image: "registry.example/registry/api:2.1.0" → "registry.example/registry/api:2.2.0"'],
      },
      { change: 'removed', object: 'PersistentVolumeClaim/bb-registry/uploads', component: 'registry', namespace: 'bb-registry' },
    ]);
  });

  it('compares with the manifests on disk, and keeps the last report when nothing changed, so identical runs give identical bytes', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'govstack-changes-'));
    expect(changeReport(placed(), dir)).toEqual({ basis: 'first', changes: [] });

    writeManifests('veloria-production', fixtureComponents().map((c) => ({ ...c, manifests: c.manifests.filter((m) => m.metadata.name !== 'scratch') })), path.join(dir, 'manifests'));
    const report = changeReport(placed(), dir);
    expect(report.changes).toEqual([expect.objectContaining({ change: 'added', object: 'PersistentVolumeClaim/bb-registry/scratch' })]);

    writeManifests('veloria-production', fixtureComponents(), path.join(dir, 'manifests'));
    writeFileSync(path.join(dir, 'changes.json'), changeReportJson(report));
    expect(changeReport(placed(), dir)).toEqual(report);
  });

  it('says "no change" when the earlier output kept no report', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'govstack-changes-'));
    mkdirSync(path.join(dir, 'manifests'));
    writeManifests('veloria-production', fixtureComponents(), path.join(dir, 'manifests'));
    expect(changeReport(placed(), dir)).toEqual({ basis: 'previous', changes: [] });
  });
});
