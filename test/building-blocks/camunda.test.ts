import { CAMUNDA_REGISTRATION, CAMUNDA_WORKFLOW } from '../../constructs/catalogue/products/camunda';
import type { Manifest } from '../../src/synth/manifest';
import { buildingBlockManifests, environmentRunning, literalEnv, synthesisedContainer } from '../support/building-blocks';

/**
 * Camunda 7.24.0's requirements on the administrator Run creates at first start, read in the engine
 * (camunda/camunda-bpm-platform engine/…, and the released camunda-engine-7.24.0.jar on Maven Central):
 * - SaveUserCmd checks the id against userResourceWhitelistPattern, which defaults to the general
 *   pattern of ProcessEngineConfiguration.java, matched whole (Java `matches`);
 * - with enable-password-policy, SaveUserCmd checks the password against DefaultPasswordPolicyImpl:
 *   at least 10 characters, one lowercase, one uppercase, one digit, one special character of
 *   PasswordPolicySpecialCharacterRuleImpl.SPECIALCHARACTERS. A failure of either stops the engine.
 */
const DEFAULT_USER_ID_PATTERN = /^(?:[a-zA-Z0-9]+|camunda-admin)$/;
const SPECIAL_CHARACTERS = ' !"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';
/** Characters Spring reads in a property value resolved through `${…}`: placeholders and their escape. */
const SPRING_PLACEHOLDER_CHARACTERS = '${}\\';

const passesDefaultPasswordPolicy = (password: string) =>
  password.length >= 10 && /[a-z]/.test(password) && /[A-Z]/.test(password) && /[0-9]/.test(password) && [...password].some((c) => SPECIAL_CHARACTERS.includes(c));

interface PasswordSpec {
  length: number;
  digits?: number;
  symbols?: number;
  symbolCharacters?: string;
  noUpper?: boolean;
}

/**
 * The weakest values an external-secrets Password generator may draw for its spec: the digits and
 * symbols its counts ask for, the rest letters, which may all be lowercase or (unless `noUpper`) all
 * uppercase. Symbols without `symbolCharacters` could be anything, so they are refused here.
 */
function weakestDraws(spec: PasswordSpec): string[] {
  const symbols = spec.symbols ?? Math.floor(spec.length / 4);
  if (symbols > 0 && !spec.symbolCharacters) throw new Error('a generator without symbolCharacters may draw any symbol');
  const digits = spec.digits ?? Math.floor(spec.length / 4);
  const rest = (letter: string) => letter.repeat(spec.length - digits - symbols) + '0'.repeat(digits) + (spec.symbolCharacters ?? '').slice(0, 1).repeat(symbols);
  return spec.noUpper ? [rest('a')] : [rest('a'), rest('A')];
}

/** The weakest values of each key of the Secret an ExternalSecret writes from generators, its template applied. */
function weakestSecretValues(manifests: readonly Manifest[], secretName: string): Record<string, string[]> {
  const external = manifests.find((m) => m.kind === 'ExternalSecret' && m.metadata.name === secretName);
  if (!external) throw new Error(`no ExternalSecret ${secretName}`);
  const spec = external.spec as {
    target: { template?: { data: Record<string, string> } };
    dataFrom: { sourceRef: { generatorRef: { kind: string; name: string } }; rewrite?: { regexp: { source: string; target: string } }[] }[];
  };
  // Each generator run yields `password`, renamed by its rewrite; every combination of weakest draws.
  let drawn: Record<string, string>[] = [{}];
  for (const source of spec.dataFrom) {
    const generator = manifests.find((m) => m.kind === source.sourceRef.generatorRef.kind && m.metadata.name === source.sourceRef.generatorRef.name);
    const key = source.rewrite?.find((r) => new RegExp(r.regexp.source).test('password'))?.regexp.target ?? 'password';
    drawn = drawn.flatMap((values) => weakestDraws(generator!.spec as PasswordSpec).map((value) => ({ ...values, [key]: value })));
  }
  const template = spec.target.template?.data;
  const render = (text: string, values: Record<string, string>) =>
    text.replace(/\{\{\s*index \. "([^"]+)"\s*(\|\s*upper\s*)?\}\}/g, (_, key: string, upper?: string) => (upper ? values[key]!.toUpperCase() : values[key]!));
  const keys = template ? Object.keys(template) : Object.keys(drawn[0]!);
  return Object.fromEntries(keys.map((key) => [key, drawn.map((values) => (template ? render(template[key]!, values) : values[key]!))]));
}

describe.each([CAMUNDA_WORKFLOW, CAMUNDA_REGISTRATION].flatMap((entry) => entry.stages.map((stage) => [`${entry.buildingBlock} in ${stage}`, entry, stage] as const)))(
  'Camunda as the kit runs it for %s',
  (_label, entry, stage) => {
    const manifests = buildingBlockManifests(environmentRunning(entry, stage), entry.buildingBlock);
    const camunda = synthesisedContainer(manifests, 'camunda-engine', 'camunda');

    it('names an administrator whose id Camunda\'s default user id pattern accepts', () => {
      expect(literalEnv(camunda, 'CAMUNDA_ADMIN_ID')).toMatch(DEFAULT_USER_ID_PATTERN);
    });

    it('generates an administrator password that Camunda\'s default password policy accepts, whatever the generator draws, and that Spring reads as it is', () => {
      const { password } = weakestSecretValues(manifests, 'camunda-admin');
      expect(password!.length).toBeGreaterThan(0);
      for (const value of password!) {
        expect(passesDefaultPasswordPolicy(value)).toBe(true);
        expect([...value].filter((c) => SPRING_PLACEHOLDER_CHARACTERS.includes(c))).toEqual([]);
      }
    });
  },
);
