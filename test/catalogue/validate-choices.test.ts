import { validateBuildingBlockChoices } from '../../constructs/catalogue/validate-choices';
import type { BuildingBlockSelection } from '../../constructs/environment/schema';
import { shippedEnvironmentOfStage } from '../support/building-blocks';

function problems(stage: 'sandbox' | 'production', buildingBlocks: Record<string, Partial<BuildingBlockSelection>>) {
  const env = shippedEnvironmentOfStage(stage);
  const selections = Object.fromEntries(
    Object.entries(buildingBlocks).map(([id, s]) => [id, { enabled: true, size: 'small', product: '', version: '', ...s } as BuildingBlockSelection]),
  );
  return validateBuildingBlockChoices({ ...env, buildingBlocks: selections });
}

describe('choosing products for building blocks', () => {
  it('accepts every shipped environment\'s choices', () => {
    for (const stage of ['sandbox', 'production'] as const) {
      const env = shippedEnvironmentOfStage(stage);
      expect(validateBuildingBlockChoices(env)).toEqual([]);
    }
  });

  it('refuses a product the catalogue lacks, listing the products it has for that building block', () => {
    expect(problems('sandbox', { 'digital-registries': { product: 'airtable', version: '1' } })).toEqual([
      { path: ['buildingBlocks', 'digital-registries', 'product'], message: 'a product the catalogue has for digital-registries: baserow' },
    ]);
  });

  it('refuses a version the catalogue lacks, listing the versions it has', () => {
    expect(problems('sandbox', { workflow: { product: 'camunda', version: '7.23.0' } })).toEqual([
      { path: ['buildingBlocks', 'workflow', 'version'], message: 'a version of camunda the catalogue has: 7.24.0' },
    ]);
  });

  it('refuses a building block the kit does not know, listing those it does', () => {
    expect(problems('sandbox', { 'e-marketplace': { product: 'opencart', version: '1' } })[0].message).toBe(
      'a building block the kit knows: iam, identity, digital-registries, registration, workflow, messaging, consent, scheduling, payments',
    );
  });

  it('refuses a product that signs in through IAM while IAM is off, naming the field to turn on', () => {
    const found = problems('sandbox', { iam: { enabled: false, product: 'keycloak', version: '26.7.3' }, consent: { product: 'bb-consent', version: '2024.2.1' } });
    expect(found).toEqual([{ path: ['buildingBlocks', 'iam', 'enabled'], message: expect.stringMatching(/^true: consent \(bb-consent\) signs in through the IAM building block/) }]);
    expect(problems('sandbox', { iam: { product: 'keycloak', version: '26.7.3' }, consent: { product: 'bb-consent', version: '2024.2.1' } })).toEqual([]);
  });

  it('refuses a product outside the stages it is made for, naming the products that are allowed there', () => {
    expect(problems('production', { identity: { product: 'esignet', version: '1.8.0' } })).toEqual([
      {
        path: ['buildingBlocks', 'identity', 'product'],
        message: 'a product allowed in stage production (mosip); esignet is for sandbox, staging only',
      },
    ]);
    expect(problems('sandbox', { identity: { product: 'mosip', version: '1.2.0.1' } })[0].message).toMatch(/mosip is for staging, production only/);
  });

  it('ignores the stage of a building block that is switched off', () => {
    expect(problems('production', { identity: { product: 'esignet', version: '1.8.0', enabled: false } })).toEqual([]);
  });

  it('accepts realms only for products that import them', () => {
    expect(problems('sandbox', { iam: { product: 'keycloak', version: '26.7.3', realms: [{ name: 'x', displayName: 'X' }] } })).toEqual([]);
    expect(problems('sandbox', { workflow: { product: 'n8n', version: '2.23.4', realms: [{ name: 'x', displayName: 'X' }] } })[0].path).toEqual([
      'buildingBlocks',
      'workflow',
      'realms',
    ]);
  });
});
