import { ConfigError } from '../../constructs/environment/config-error';
import { parseEnvironment } from '../../constructs/environment/load';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App } from 'cdk8s';
import { DevelopmentCentralServer } from '../../constructs/information-mediator/development-central-server';
import { securityServerImageProblem, securityServerImageTag, type SidecarImageChoice } from '../../constructs/information-mediator/sidecar-image';
import { environmentWithFixtures, informationMediator } from './support';

const choice = (overrides: Partial<SidecarImageChoice>): SidecarImageChoice => ({
  version: '7.8.0',
  variant: 'full',
  countryVariant: 'none',
  topology: 'single',
  ...overrides,
});

describe('the security server image tag follows NIIS\'s build script', () => {
  it.each([
    [choice({}), 'single', '7.8.0'],
    [choice({ variant: 'slim' }), 'single', '7.8.0-slim'],
    [choice({ topology: 'primary-secondaries' }), 'primary', '7.8.0-primary'],
    [choice({ topology: 'primary-secondaries' }), 'secondary', '7.8.0-secondary'],
    [choice({ topology: 'primary-secondaries', variant: 'slim' }), 'primary', '7.8.0-slim-primary'],
    [choice({ topology: 'primary-secondaries', variant: 'slim' }), 'secondary', '7.8.0-slim-secondary'],
    [choice({ countryVariant: 'ee' }), 'single', '7.8.0-ee'],
    [choice({ topology: 'primary-secondaries', countryVariant: 'fi', variant: 'slim' }), 'secondary', '7.8.0-slim-secondary-fi'],
    [choice({ topology: 'primary-secondaries', countryVariant: 'ee' }), 'primary', '7.8.0-primary-ee'],
  ] as const)('%j as %s → %s', (picked, role, tag) => {
    expect(securityServerImageTag(picked, role)).toBe(tag);
  });

  it('refuses the combinations NIIS does not build, with the reason', () => {
    expect(securityServerImageProblem(choice({ variant: 'slim', countryVariant: 'ee' }))?.expected).toMatch(/ee\) variant only as a full image/);
    expect(securityServerImageProblem(choice({ topology: 'primary-secondaries', countryVariant: 'fo' }))?.expected).toMatch(/no Faroese/);
    expect(() => securityServerImageTag(choice({ variant: 'slim', countryVariant: 'ee' }), 'single')).toThrow(/no security server image/);
    expect(() => securityServerImageTag(choice({}), 'primary')).toThrow(/does not belong to the single topology/);
  });
});

describe('stages', () => {
  const production = readFileSync(path.join(__dirname, '..', '..', 'environments', 'veloria-production', 'environment.yaml'), 'utf8');
  const problemsOf = (text: string) => {
    try {
      parseEnvironment(text, 'environments/veloria-production/environment.yaml', 'veloria-production');
    } catch (error) {
      if (error instanceof ConfigError) return error.message;
      throw error;
    }
    return '';
  };

  it('a production environment refuses the development central server and test CA', () => {
    expect(problemsOf(production.replace('mode: external', 'mode: development'))).toMatch(
      /environment\.yaml:\d+:\d+: field "xroad\.centralServer\.mode" has value "development"; expected "external" with its configuration anchor: the development central server and test CA are for the sandbox only, and this is production/,
    );
  });

  it('a production environment refuses an image NIIS does not publish', () => {
    const slimEstonian = production.replace('  securityServer:\n', '  securityServer:\n    variant: slim\n    countryVariant: ee\n');
    expect(problemsOf(slimEstonian)).toMatch(/field "xroad\.securityServer\.countryVariant" has value "ee"; expected "none", "fi", "fo" or "is" with variant slim/);
  });

  it('the development central server construct itself refuses any stage but sandbox', () => {
    const env = environmentWithFixtures('veloria-production');
    const app = new App();
    expect(() => new DevelopmentCentralServer(app, 'cs', { env, image: 'x:1', securityServerAdminUser: 'a', credentialsSecret: () => 's' })).toThrow(
      /for the sandbox only, not production/,
    );
  });
});

describe('X-Road images are pulled as their pinning allows', () => {
  const pullPolicies = (env: ReturnType<typeof environmentWithFixtures>) =>
    informationMediator(env)
      .manifests.flatMap((m) => {
        const pod = (m as Record<string, any>).spec?.template?.spec ?? (m as Record<string, any>).spec?.jobTemplate?.spec?.template?.spec; // eslint-disable-line @typescript-eslint/no-explicit-any
        return pod ? [...(pod.initContainers ?? []), ...pod.containers] : [];
      })
      .map((c: { image: string; imagePullPolicy: string }) => [c.image, c.imagePullPolicy]);

  it('a tag is checked against the registry at every start', () => {
    const policies = pullPolicies(environmentWithFixtures('sandbox'));
    expect(policies.length).toBeGreaterThan(4);
    for (const [image, policy] of policies) expect([image, policy]).toEqual([expect.not.stringContaining('@sha256:'), 'Always']);
  });

  it('an image pinned by digest is used from the node once pulled', () => {
    const env = environmentWithFixtures('sandbox');
    const digest = `sha256:${'a'.repeat(64)}`;
    const pinned = { ...env, registry: { ...env.registry, digests: { 'niis/xroad-security-server-sidecar:7.8.0': digest } } };
    const sidecar = pullPolicies(pinned).filter(([image]) => image.includes('xroad-security-server-sidecar'));
    expect(sidecar.length).toBeGreaterThan(0);
    for (const [image, policy] of sidecar) expect([image, policy]).toEqual([`docker.io/niis/xroad-security-server-sidecar:7.8.0@${digest}`, 'IfNotPresent']);
  });
});
