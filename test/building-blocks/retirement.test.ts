import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { buildingBlockState } from '../../constructs/building-blocks/lifecycle';
import { ConfigError } from '../../constructs/environment/config-error';
import { parseEnvironment } from '../../constructs/environment/load';
import type { Environment } from '../../constructs/environment/schema';
import { buildReviewModel } from '../../src/review/review-model';
import { reviewBundleFiles } from '../../src/review/write-bundle';
import { runCli, scratchProject } from '../support/cli';
import { fixtureEnvironment, fixtureSubject } from '../review/fixture';

const FILE = 'environments/example/environment.yaml';
/** A sandbox file: the profile enables the core building blocks, iam among them. */
const SANDBOX = 'country: {code: ZZ, name: Test}\nstage: sandbox\nprofile: sandbox\nbuildingBlocks:\n';

function problemsOf(text: string): string {
  try {
    parseEnvironment(text, FILE, 'example');
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected the environment to be rejected');
}

describe('retiring and decommissioning a building block in the environment file', () => {
  it('retires a building block with enabled: false, and decommissions it only with decommission: true as well', () => {
    // Consent signs in through IAM: retiring IAM retires it too.
    const env = parseEnvironment(`${SANDBOX}  iam: {enabled: false}\n  consent: {enabled: false}\n  workflow: {enabled: false, decommission: true}\n`, FILE, 'example');
    expect(buildingBlockState(env.buildingBlocks.iam)).toBe('retired');
    expect(buildingBlockState(env.buildingBlocks.workflow)).toBe('decommissioned');
    expect(buildingBlockState(env.buildingBlocks.registration)).toBe('running');
  });

  it('refuses decommission on an enabled building block, naming file, line, field, value and what to write', () => {
    expect(problemsOf(`${SANDBOX}  iam: {enabled: true, decommission: true}\n`)).toMatch(
      /^environments\/example\/environment\.yaml:5:24: field "buildingBlocks\.iam\.decommission" has value true; expected false or no field while enabled is true: decommissioning removes a building block and its data, so it goes with enabled: false/,
    );
  });

  it('refuses it too when enabled: true comes from the profile', () => {
    expect(problemsOf(`${SANDBOX}  iam:\n    decommission: true\n`)).toMatch(/:6:5: field "buildingBlocks\.iam\.decommission" has value true; expected false or no field while enabled is true/);
  });

  it('refuses a decommission flag that is not a boolean', () => {
    expect(problemsOf(`${SANDBOX}  iam: {enabled: false, decommission: "yes"}\n`)).toMatch(/field "buildingBlocks\.iam\.decommission" has value "yes"; expected a value of type boolean/);
  });

  it('stops npm run synth with exit 1 and writes nothing', () => {
    const root = scratchProject();
    const file = path.join(root, 'environments', 'sandbox', 'environment.yaml');
    writeFileSync(file, `${readFileSync(file, 'utf8')}buildingBlocks:\n  iam: {decommission: true}\n`);
    const run = runCli(['synth'], root);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/environments\/sandbox\/environment\.yaml:\d+:\d+: field "buildingBlocks\.iam\.decommission" has value true/);
    expect(existsSync(path.join(root, 'dist'))).toBe(false);
    expect(existsSync(path.join(root, 'cdktf.out'))).toBe(false);
  });
});

describe('the review bundle', () => {
  const base = fixtureEnvironment();
  const selection = { product: 'camunda', version: '7.24.0', size: 'small' } as const;
  const env: Environment = {
    ...base,
    buildingBlocks: { registration: { ...selection, enabled: false }, workflow: { ...selection, enabled: false, decommission: true } },
  };
  const markdown = reviewBundleFiles(buildReviewModel(fixtureSubject(env)), [], { basis: 'first', changes: [] }).get('REVIEW.md')!;

  it('lists a retired building block as retired, with what it keeps, and leaves out a decommissioned one', () => {
    expect(markdown).toContain(
      '| registration (retired) | camunda | 7.24.0 | bb-registration | small | retired: nothing runs; namespace, database and secrets kept until decommissioned |',
    );
    expect(markdown).not.toMatch(/\| workflow/);
  });
});
