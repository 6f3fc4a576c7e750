import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { changeReport, changeReportJson } from '../../src/review/change-report';
import { compareObjects } from '../../src/review/object-changes';
import { placeManifests, type PlacedManifest } from '../../src/review/placed-manifest';
import { readUpstreamReleases, UPSTREAM_FOLDER, upstreamReleaseFile, upstreamReleaseFileName, upstreamReleaseObject } from '../../src/review/upstream-releases';
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

  it('finds the same changes when it takes the objects of unchanged files from the new output instead of parsing them', () => {
    const previous = mkdtempSync(path.join(tmpdir(), 'govstack-changes-'));
    const current = mkdtempSync(path.join(tmpdir(), 'govstack-changes-'));
    const components = fixtureComponents();
    const changed = components.map((c) => ({
      ...c,
      manifests: c.manifests.map((m) => (m.metadata.name === 'registry-api' && m.kind === 'Deployment' ? { ...m, metadata: { ...m.metadata, labels: { ...m.metadata.labels, tier: 'api' } } } : m)),
    }));
    writeManifests('veloria-production', components, path.join(previous, 'manifests'));
    writeManifests('veloria-production', changed, path.join(current, 'manifests'));
    // xroad and node-agents are byte-identical in both, so only the registry's file is parsed.
    const now = placeManifests(changed);
    const report = changeReport(now, previous, current);
    expect(report).toEqual(changeReport(now, previous));
    expect(report.changes).toEqual([expect.objectContaining({ change: 'changed', object: 'Deployment/bb-registry/registry-api', fields: ['metadata.labels: (none) → {…}'] })]);
    expect(changeReport(placed(), previous, previous)).toEqual({ basis: 'previous', changes: [] });
  });

  it('says "no change" when the earlier output kept no report', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'govstack-changes-'));
    mkdirSync(path.join(dir, 'manifests'));
    writeManifests('veloria-production', fixtureComponents(), path.join(dir, 'manifests'));
    expect(changeReport(placed(), dir)).toEqual({ basis: 'previous', changes: [] });
  });

  it('sees an upstream chart\'s new version, and takes an unchanged release from the new output instead of parsing its file again', () => {
    const release = (name: string, version: string) =>
      upstreamReleaseObject({ releaseName: name, namespace: 'platform', repository: 'https://charts.example', chart: name, version, reason: 'a fixture', values: { replicas: 2 }, images: [] }, []);
    const writeReleases = (dir: string, releases: readonly PlacedManifest[]) => {
      mkdirSync(path.join(dir, UPSTREAM_FOLDER), { recursive: true });
      for (const r of releases) writeFileSync(path.join(dir, UPSTREAM_FOLDER, upstreamReleaseFileName(r)), upstreamReleaseFile(r, 'veloria-production'));
      mkdirSync(path.join(dir, 'manifests'), { recursive: true });
    };
    const previous = mkdtempSync(path.join(tmpdir(), 'govstack-changes-'));
    const current = mkdtempSync(path.join(tmpdir(), 'govstack-changes-'));
    writeReleases(previous, [release('loki', '6.1.0'), release('tempo', '1.9.0')]);
    const now = [release('loki', '6.2.0'), release('tempo', '1.9.0')];
    writeReleases(current, now);

    const read = readUpstreamReleases(previous, { dir: current, objects: now });
    expect(read[1]).toBe(now[1]);
    expect(read[0]).not.toBe(now[0]);
    const report = changeReport(now, previous, current);
    expect(report).toEqual(changeReport(now, previous));
    expect(report.changes).toEqual([expect.objectContaining({ change: 'changed', object: 'UpstreamHelmRelease/platform/loki', fields: ['spec.version: "6.1.0" → "6.2.0"'] })]);
  });
});
