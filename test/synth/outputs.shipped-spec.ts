import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { buildOutput } from '../../src/pipeline/build-output';
import { escapeHelmTemplates } from '../../src/synth/helm-chart';
import { toYamlDocuments } from '../../src/synth/yaml-files';
import { readTree, shippedEnvironments, synthesizedShipped } from '../support/shipped';

describe('synthesis of the shipped environments', () => {
  const { root, results } = synthesizedShipped();

  it('writes one reviewable YAML file per component and namespace, cluster-scoped objects apart', () => {
    for (const result of results) {
      expect(result.manifestFiles.length).toBeGreaterThan(0);
      for (const file of result.manifestFiles) {
        expect(file).toMatch(/^[a-z0-9-]+\/[a-z0-9-]+\.yaml$|^_cluster\/[a-z0-9-]+\.yaml$/);
        expect(existsSync(path.join(root, 'dist', result.env.name, 'manifests', file))).toBe(true);
      }
      expect(result.manifestFiles.some((file) => file.startsWith('_cluster/'))).toBe(true);
    }
  });

  it('puts no namespaced object into the cluster-scoped folder and no cluster-scoped object into a namespace', () => {
    for (const result of results) {
      for (const component of result.components) {
        for (const manifest of component.manifests) {
          const file = readFileSync(
            path.join(root, 'dist', result.env.name, 'manifests', manifest.metadata.namespace ?? '_cluster', `${component.component}.yaml`),
            'utf8',
          );
          expect(file).toContain(`name: ${manifest.metadata.name}`);
        }
      }
    }
  });

  it('writes the Terraform JSON of three stacks per environment, named <env>-<layer>', () => {
    for (const result of results) {
      expect(result.stacks).toEqual([`${result.env.name}-platform`, `${result.env.name}-information-mediator`, `${result.env.name}-building-blocks`]);
      for (const stack of result.stacks) expect(existsSync(path.join(root, 'cdktf.out', 'stacks', stack, 'cdk.tf.json'))).toBe(true);
    }
    const manifest = JSON.parse(readFileSync(path.join(root, 'cdktf.out', 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest.stacks).sort()).toEqual(results.flatMap((r) => r.stacks).sort());
  });

  it('records the resolved environment next to the manifests, for reviewers', () => {
    const resolved = readFileSync(path.join(root, 'dist', 'sandbox', 'environment.resolved.yaml'), 'utf8');
    expect(resolved).toContain('stage: sandbox');
    expect(resolved).toContain('terraformState:');
  });

  it('is deterministic: a second synthesis gives byte-identical dist/ and cdktf.out/', () => {
    const again = mkdtempSync(path.join(tmpdir(), 'govstack-synth-again-'));
    buildOutput(shippedEnvironments(), { root: again });
    for (const folder of ['dist', 'cdktf.out']) {
      expect(readTree(path.join(again, folder))).toEqual(readTree(path.join(root, folder)));
    }
  });

  it('keeps other environments\' output when one environment is synthesised again', () => {
    const [first] = shippedEnvironments();
    buildOutput([first], { root });
    const manifest = JSON.parse(readFileSync(path.join(root, 'cdktf.out', 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest.stacks).sort()).toEqual(results.flatMap((r) => r.stacks).sort());
    for (const result of results) expect(existsSync(path.join(root, 'dist', result.env.name, 'manifests'))).toBe(true);
  });
});

describe('packaging for Helm', () => {
  it('quotes strings YAML 1.1 reads as booleans, as Helm and kubectl parse YAML 1.1 (`no` would become false)', () => {
    const yaml = toYamlDocuments([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: 'no', b: 'yes', c: 'on', d: 'off' } }], 'test');
    expect(yaml).toMatch(/a: "no"\n\s+b: "yes"\n\s+c: "on"\n\s+d: "off"/);
  });

  it('makes template delimiters in synthesised text literal', () => {
    expect(escapeHelmTemplates('echo {{ .Values.x }} }}')).toBe('echo {{ "{{" }} .Values.x }} }}');
  });

  it('versions each chart by a hash of its content', () => {
    const { root } = synthesizedShipped();
    const assets = path.join(root, 'cdktf.out', 'stacks', 'sandbox-platform', 'assets', 'chart-storage');
    const [hash] = readdirSync(assets);
    const chart = readFileSync(path.join(assets, hash, 'Chart.yaml'), 'utf8');
    expect(chart).toMatch(/version: \d+\.\d+\.\d+-c[0-9a-f]{16}/);
  });

  it('writes each chart once, into the stack that installs it, and nothing of it under dist/', () => {
    const { root, results } = synthesizedShipped();
    for (const { env, terraform } of results) {
      expect(existsSync(path.join(root, 'dist', env.name, 'helm'))).toBe(false);
      for (const [stack, json] of Object.entries(terraform)) {
        const releases = (json as { resource?: { helm_release?: Record<string, { chart: string; repository?: string }> } }).resource?.helm_release ?? {};
        for (const release of Object.values(releases)) {
          if (release.repository) continue;
          expect(readFileSync(path.join(root, 'cdktf.out', 'stacks', stack, release.chart, 'Chart.yaml'), 'utf8')).toContain('apiVersion: v2');
        }
      }
    }
  });
});
