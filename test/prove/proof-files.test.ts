import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { deploymentOrder } from '../../src/prove/prove-environment';
import type { ProofReport } from '../../src/prove/proof-report';
import { withProofSection, writeProof } from '../../src/prove/write-proof';

const proof: ProofReport = {
  environment: 'sandbox',
  provenAt: '2026-12-02T19:00:00.000Z',
  ok: true,
  kubernetes: { server: 'v1.35.4', admissionDisabled: { ServiceAccount: 'no controller-manager' } },
  toolchain: { terraform: 'terraform 1.11.4', providers: [{ name: 'helm', version: '3.1.1', builtFrom: 'github.com/hashicorp/terraform-provider-helm@v1.3.3-0.2026', exact: false, note: 'the served build' }] },
  chartRepository: 'http://127.0.0.1:40000',
  overrides: ['state backend replaced by a local file'],
  stages: [
    { stage: 'dry-run', status: 'passed', seconds: 40, summary: '612 objects accepted, 0 rejected' },
    { stage: 'restore', status: 'passed', seconds: 50, summary: 'recovery from cluster-daily-20260301020000: 640 objects accepted, 0 rejected' },
    { stage: 'apply', status: 'passed', seconds: 90, summary: '3 stacks applied' },
    { stage: 'second-plan', status: 'passed', seconds: 20, summary: 'no changes' },
    { stage: 'disabled-block', status: 'passed', seconds: 20, summary: 'no destroy' },
  ],
  dryRun: { objects: 612, kitObjects: 250, upstreamObjects: 400, crds: 38, accepted: 612, rejected: [], declaredPodSecurity: 3, warnings: [] },
  secondPlan: [{ stack: 'sandbox-platform', status: 'no changes' }],
};

describe('proof.json and the REVIEW.md section', () => {
  it('states the headline a reviewer looks for', () => {
    expect(withProofSection('# Review\n', proof)).toMatch(/Applied to a Kubernetes 1\.35 API server: 612 objects accepted, 0 rejected; second plan: no changes\./);
  });

  it('says so when a provider was not built from its release commit', () => {
    expect(withProofSection('# Review\n', proof)).toMatch(/Not the exact provider builds: helm 3\.1\.1 was built from github\.com\/hashicorp\/terraform-provider-helm@/);
  });

  it('lists the objects of the recovery the API server rejected beside the environment\'s own, marked as the recovery\'s', () => {
    const rejected = { object: 'Job/openbao/openbao-restore-20260301020000', source: 'manifests/velero/restore.yaml', message: 'spec.template: Invalid value' };
    const failing: ProofReport = { ...proof, ok: false, restore: { from: 'cluster-daily-20260301020000', dryRun: { ...proof.dryRun!, accepted: 611, rejected: [rejected] } } };
    expect(withProofSection('# Review\n', failing)).toContain('| Job/openbao/openbao-restore-20260301020000 | recovery: manifests/velero/restore.yaml | spec.template: Invalid value |');
  });

  it('replaces the section an earlier proof wrote instead of adding a second one', () => {
    const once = withProofSection('# Review\n\nbody\n', proof);
    const twice = withProofSection(once, { ...proof, provenAt: '2026-12-03T00:00:00.000Z' });
    expect(twice.match(/Proof against a real API server/g)).toHaveLength(1);
    expect(twice).toContain('2026-12-03');
    expect(twice.startsWith('# Review\n\nbody\n')).toBe(true);
  });

  it('writes proof.json and the section into dist/<env>/', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'proof-files-'));
    writeFileSync(path.join(dir, 'REVIEW.md'), '# Review\n');
    expect(writeProof(dir, proof)).toEqual({ proofFile: path.join(dir, 'proof.json'), reviewUpdated: true });
    expect(JSON.parse(readFileSync(path.join(dir, 'proof.json'), 'utf8'))).toEqual(proof);
    expect(readFileSync(path.join(dir, 'REVIEW.md'), 'utf8')).toContain('<a id="proof"></a>');
  });

  it('applies stacks after the stacks they depend on (cdktf manifest.json)', () => {
    expect(deploymentOrder({ 'x-building-blocks': ['x-platform', 'x-information-mediator'], 'x-information-mediator': ['x-platform'], 'x-platform': [] })).toEqual([
      'x-platform',
      'x-information-mediator',
      'x-building-blocks',
    ]);
  });
});
