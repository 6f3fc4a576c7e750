import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PROJECT, runCli } from '../support/cli';
import { readTree, SHIPPED_ENVIRONMENTS } from '../support/shipped';

/**
 * Every careless or hostile input of issue 12, run as a user runs it (the CLI in a subprocess, from
 * a project root), each giving exactly one message, exit 1, no stack trace, and nothing written or
 * deleted anywhere: not in the project, not in its output folders, not beside it.
 */

/** A project with previous output, beside a folder that is not the kit's (`outside/x`, with an unrelated file). */
function world(): { top: string; project: string } {
  const top = mkdtempSync(path.join(tmpdir(), 'govstack-hostile-'));
  const project = path.join(top, 'work', 'project');
  mkdirSync(project, { recursive: true });
  for (const name of SHIPPED_ENVIRONMENTS) cpSync(path.join(PROJECT, 'environments', name), path.join(project, 'environments', name), { recursive: true });
  for (const file of ['dist/sandbox/REVIEW.md', 'cdktf.out/stacks/sandbox-platform/cdk.tf.json', 'cdktf.out/stacks/sandbox-platform/.terraform.lock.hcl']) {
    mkdirSync(path.dirname(path.join(project, file)), { recursive: true });
    writeFileSync(path.join(project, file), 'previous output\n');
  }
  mkdirSync(path.join(top, 'work', 'outside', 'x'), { recursive: true });
  cpSync(path.join(PROJECT, 'environments', 'sandbox', 'environment.yaml'), path.join(top, 'work', 'outside', 'x', 'environment.yaml'));
  writeFileSync(path.join(top, 'work', 'outside', 'x', 'unrelated.txt'), 'not the kit\'s\n');
  return { top, project };
}

const NAME_EXPECTED =
  'expected the name of a folder directly under environments/: lowercase letters, digits and "-" (at most 40 characters, starting and ending with a letter or digit), e.g. "veloria-production"; nothing was written.\n';
const notAName = (input: string) => `error: ${JSON.stringify(input)} is not an environment name; ${NAME_EXPECTED}`;

const SANDBOX_FILE = 'environments/sandbox/environment.yaml';
const SANDBOX_HEAD = 'country: {code: XA, name: Atlantis}\nstage: sandbox\nprofile: sandbox\n';
/** Replaces the sandbox's environment file with `content`. */
const sandboxFile = (content: string | Buffer) => (project: string) => writeFileSync(path.join(project, SANDBOX_FILE), content);
const invalid = (...problems: string[]) => `error: the environment configuration is invalid:\n${problems.join('\n')}\nnothing was written.\n`;
const bomb = (levels: number, width: number) =>
  [`a0: &a0 [${Array(width).fill('x').join(', ')}]`, ...Array.from({ length: levels }, (_, i) => `a${i + 1}: &a${i + 1} [${Array(width).fill(`*a${i}`).join(', ')}]`)].join('\n');
const FORBIDDEN = '"__proto__", "constructor", "prototype" are refused at any depth (they would change what the kit\'s objects are, not what they hold)';

interface Case {
  /** Arguments of the command. */
  readonly args: readonly string[];
  /** Changes the project before the run (e.g. writes a hostile environment file). */
  readonly setup?: (project: string) => void;
  /** The whole of stderr. */
  readonly stderr: string;
}

const cases: Record<string, Case> = {
  'an --env reaching outside the repository': { args: ['synth', '--env', '../../outside/x'], stderr: notAName('../../outside/x') },
  'an --env pointing back into environments/ (would delete the environment file)': {
    args: ['synth', '--env', '../environments/sandbox'],
    stderr: notAName('../environments/sandbox'),
  },
  'an --env with a space': { args: ['synth', '--env', 'veloria production'], stderr: notAName('veloria production') },
  'an --env of a dot segment': { args: ['synth', '--env', '..'], stderr: notAName('..') },
  'an --env that is an absolute path': { args: ['synth', '--env', '/tmp'], stderr: notAName('/tmp') },
  'an --env in capitals': { args: ['synth', '--env', 'Sandbox'], stderr: notAName('Sandbox') },
  'check with an --env reaching outside': { args: ['check', '--env', '../../outside/x'], stderr: notAName('../../outside/x') },
  'report with an --env reaching outside': { args: ['report', '--env', '../../outside/x'], stderr: notAName('../../outside/x') },
  'diff with an --env reaching outside': { args: ['diff', '--env', '../../outside/x', '--against', 'previous'], stderr: notAName('../../outside/x') },
  'diff against an environment reaching outside': { args: ['diff', '--env', 'sandbox', '--against', '../../outside/x'], stderr: notAName('../../outside/x') },
  'new-country with an --env-name reaching outside': {
    args: ['new-country', '--code', 'XA', '--name', 'Atlantis', '--profile', 'onprem', '--stage', 'production', '--env-name', '../../outside/x'],
    stderr: 'error: --env-name "../../outside/x" must be lowercase letters, digits and "-", at most 40 characters, starting and ending with a letter or digit; nothing was written\n',
  },

  'a nested __proto__ key redirecting every image through another registry': {
    args: ['synth'],
    setup: sandboxFile(`${SANDBOX_HEAD}registry: {__proto__: {mirror: evil.example}}\n`),
    stderr: invalid(`${SANDBOX_FILE}:4:12: field "registry.__proto__" has value {"mirror":"evil.example"}; expected no key named "__proto__": ${FORBIDDEN}`),
  },
  'a constructor key deep in the file': {
    args: ['check'],
    setup: sandboxFile(`${SANDBOX_HEAD}platform: {gateways: {internalServiceAnnotations: {constructor: x}}}\n`),
    stderr: invalid(`${SANDBOX_FILE}:4:52: field "platform.gateways.internalServiceAnnotations.constructor" has value "x"; expected no key named "constructor": ${FORBIDDEN}`),
  },
  'a key written twice': {
    args: ['synth'],
    setup: sandboxFile(`${SANDBOX_HEAD}domain: a.example\ndomain: b.example\n`),
    stderr: invalid(`${SANDBOX_FILE}:5:1: expected valid YAML (Map keys must be unique)`),
  },
  'an alias-expansion bomb': {
    args: ['synth'],
    setup: sandboxFile(`${SANDBOX_HEAD}${bomb(5, 10)}\n`),
    stderr: invalid(`${SANDBOX_FILE}: expected aliases (*name) that expand to at most 1000 values in all (excessive alias count indicates a resource exhaustion attack)`),
  },
  '150 aliases': {
    args: ['report'],
    setup: sandboxFile(`${SANDBOX_HEAD}x: &x 1\ny: [${Array(150).fill('*x').join(', ')}]\n`),
    stderr: invalid(`${SANDBOX_FILE}:5:205: field "y.50" has value "*x"; expected at most 50 aliases (*name) in an environment file`),
  },
  'nesting that overflows the parser': {
    args: ['synth'],
    setup: sandboxFile(`${SANDBOX_HEAD}x: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`),
    stderr: invalid(`${SANDBOX_FILE}:4:36: expected at most 32 levels of nested [ ] and { }`),
  },
  'a value of 50 000 characters, not echoed whole': {
    args: ['synth'],
    setup: sandboxFile(SANDBOX_HEAD.replace('Atlantis', 'A'.repeat(50_000))),
    stderr: invalid(`${SANDBOX_FILE}:1:27: field "country.name" has value "${'A'.repeat(119)}… (50002 characters); expected a value of at most 4096 characters`),
  },
  'a file of 2 MiB': {
    args: ['synth'],
    setup: sandboxFile(`${SANDBOX_HEAD}# ${'x'.repeat(2 * 1024 * 1024)}\n`),
    stderr: invalid(`${SANDBOX_FILE}: expected an environment file of at most 1048576 bytes (1 MiB), and this one has 2097223: it holds only what differs from its profile`),
  },
  'a Latin-1 file': {
    args: ['synth'],
    setup: sandboxFile(Buffer.from(`${SANDBOX_HEAD}cluster: {kubeContext: "Bogot\xe1"}\n`, 'latin1')),
    stderr: invalid(`${SANDBOX_FILE}:4:30: expected UTF-8 text, but byte 97 (0xE1) is not valid UTF-8: save the file as UTF-8`),
  },
  'a record key the validator used to answer in its own words': {
    args: ['synth'],
    setup: sandboxFile(`${SANDBOX_HEAD}buildingBlocks: {Bad_Key: {enabled: true, product: x, version: "1", size: small}}\n`),
    stderr: invalid(
      `${SANDBOX_FILE}:4:18: field "buildingBlocks.Bad_Key" has value {"enabled":true,"product":"x","version":"1","size":"small"}; expected a key that is a DNS label: lowercase letters, digits and "-", at most 63 characters`,
    ),
  },

  // Values that used to fail only at deploy or run time.
  'a CIDR of 999.999.999.999/99': {
    args: ['synth'],
    setup: sandboxFile(`${SANDBOX_HEAD}platform: {apiServer: {cidrs: [999.999.999.999/99]}}\n`),
    stderr: invalid(`${SANDBOX_FILE}:4:32: field "platform.apiServer.cidrs.0" has value "999.999.999.999/99"; expected an IPv4 CIDR such as "198.51.100.0/24" ("0.0.0.0/0" for anywhere) ("999.999.999.999" is not an IPv4 address)`),
  },
  'a CIDR of 10.0.0.1/33': {
    args: ['synth'],
    setup: sandboxFile(`${SANDBOX_HEAD}xroad: {securityServer: {peerCidrs: [10.0.0.1/33]}}\n`),
    stderr: invalid(`${SANDBOX_FILE}:4:38: field "xroad.securityServer.peerCidrs.0" has value "10.0.0.1/33"; expected an IPv4 CIDR such as "198.51.100.0/24" ("0.0.0.0/0" for anywhere) (the prefix length /33 is more than 32)`),
  },
  'a reversed MetalLB pool': {
    args: ['synth'],
    setup: sandboxFile(`${SANDBOX_HEAD}cluster: {loadBalancer: {kind: metallb, addresses: [10.0.0.20-10.0.0.10]}}\n`),
    stderr: invalid(`${SANDBOX_FILE}:4:53: field "cluster.loadBalancer.addresses.0" has value "10.0.0.20-10.0.0.10"; expected an IPv4 address, CIDR ("10.0.0.0/28") or range ("10.0.0.10-10.0.0.20") (the range is reversed: 10.0.0.20 comes after 10.0.0.10)`),
  },
  'an out-of-range MetalLB pool': {
    args: ['synth'],
    setup: sandboxFile(`${SANDBOX_HEAD}cluster: {loadBalancer: {kind: metallb, addresses: [10.0.0.10-10.0.0.300]}}\n`),
    stderr: invalid(`${SANDBOX_FILE}:4:53: field "cluster.loadBalancer.addresses.0" has value "10.0.0.10-10.0.0.300"; expected an IPv4 address, CIDR ("10.0.0.0/28") or range ("10.0.0.10-10.0.0.20") ("10.0.0.300" is not an IPv4 address)`),
  },
  'a registry mirror climbing out of its path': {
    args: ['synth'],
    setup: sandboxFile(`${SANDBOX_HEAD}registry: {mirror: registry.example/../../../etc}\n`),
    stderr: invalid(
      `${SANDBOX_FILE}:4:12: field "registry.mirror" has value "registry.example/../../../etc"; expected a registry host with an optional port and path, e.g. "registry.gov.example/mirror" (path segments of lowercase letters and digits joined by ".", "_" or "-"; no ".." or empty segments)`,
    ),
  },
  'an ACME server of javascript:': {
    args: ['synth'],
    setup: sandboxFile(`${SANDBOX_HEAD}tls: {mode: acme, acme: {email: ops@gov.example, server: "javascript:alert(1)"}}\n`),
    stderr: invalid(`${SANDBOX_FILE}:4:50: field "tls.acme.server" has value "javascript:alert(1)"; expected an https URL such as "https://acme-v02.api.letsencrypt.org/directory" (the scheme "javascript" is not allowed)`),
  },
  'a backup target at file:///etc/passwd': {
    args: ['synth'],
    setup: sandboxFile(`${SANDBOX_HEAD}platform: {backups: {target: {endpoint: "file:///etc/passwd", cidrs: [10.0.0.0/28], bucket: atlantis-backups, region: r1, usePathStyle: true, serverSideEncryption: AES256, credentialsSecretPrefix: backup}}}\n`),
    stderr: invalid(`${SANDBOX_FILE}:4:31: field "platform.backups.target.endpoint" has value "file:///etc/passwd"; expected an https URL such as "https://backups.dr-site.gov.example" (the scheme "file" is not allowed)`),
  },
  'a retention of 1e9 days': {
    args: ['synth'],
    setup: sandboxFile(`${SANDBOX_HEAD}platform: {observability: {metricsRetentionDays: 1000000000}}\n`),
    stderr: invalid(`${SANDBOX_FILE}:4:28: field "platform.observability.metricsRetentionDays" has value 1000000000; expected at most 3650: ten years; the products read retention as a duration in hours`),
  },
  '1e9 secondaries': {
    args: ['synth'],
    setup: sandboxFile(`${SANDBOX_HEAD}xroad: {securityServer: {secondaries: 1e9}}\n`),
    stderr: invalid(`${SANDBOX_FILE}:4:26: field "xroad.securityServer.secondaries" has value 1000000000; expected at most 10: each secondary is a pod and a share of a node to buy`),
  },
  'a backup schedule that is not cron': {
    args: ['synth'],
    setup: sandboxFile(`${SANDBOX_HEAD}platform: {backups: {schedule: "every night"}}\n`),
    stderr: invalid(`${SANDBOX_FILE}:4:22: field "platform.backups.schedule" has value "every night"; expected a five-field cron schedule such as "0 2 * * *" (minute hour day-of-month month day-of-week)`),
  },
  'local state outside the project': {
    args: ['synth'],
    setup: sandboxFile(`${SANDBOX_HEAD}terraformState: {backend: local, directory: ../../outside}\n`),
    stderr: invalid(`${SANDBOX_FILE}:4:34: field "terraformState.directory" has value "../../outside"; expected a folder inside the project, e.g. "terraform-state" (no "..", no absolute path)`),
  },
  'the country code FR named Atlantis': {
    args: ['synth'],
    setup: sandboxFile(SANDBOX_HEAD.replace('code: XA', 'code: FR')),
    stderr: invalid(`${SANDBOX_FILE}:1:21: field "country.name" has value "Atlantis"; expected the name ISO 3166 gives FR ("France", or a longer form containing it), or a user-assigned code ("XA"–"XZ") for a fictional country`),
  },
  // Secret values typed into free-text fields: named by field, never echoed.
  'a private key header in a realm name': {
    args: ['synth'],
    setup: sandboxFile(`${SANDBOX_HEAD}buildingBlocks:\n  iam: {realms: [{name: govstack, displayName: "-----BEGIN RSA PRIVATE KEY-----"}]}\n`),
    stderr: invalid(`${SANDBOX_FILE}:5:35: field "buildingBlocks.iam.realms.0.displayName" has a value (not shown here); expected no secret value (it looks like: private key): keep secrets in the secret store and reference them by name`),
  },
  'an access key id as the kube context': {
    args: ['check'],
    setup: sandboxFile(`${SANDBOX_HEAD}cluster: {kubeContext: AKIAIOSFODNN7EXAMPLE}\n`),
    stderr: invalid(`${SANDBOX_FILE}:4:11: field "cluster.kubeContext" has a value (not shown here); expected no secret value (it looks like: AWS access key id): keep secrets in the secret store and reference them by name`),
  },
  'a password in a Service annotation': {
    args: ['report'],
    setup: sandboxFile(`${SANDBOX_HEAD}platform: {gateways: {internalServiceAnnotations: {password: hunter2hunter2}}}\n`),
    stderr: invalid(`${SANDBOX_FILE}:4:52: field "platform.gateways.internalServiceAnnotations.password" has a value (not shown here); expected no secret value (it looks like: credential assigned a literal value): keep secrets in the secret store and reference them by name`),
  },
  'a JSON web token as the country name': {
    args: ['synth'],
    setup: sandboxFile(SANDBOX_HEAD.replace('Atlantis', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U')),
    stderr: invalid(`${SANDBOX_FILE}:1:21: field "country.name" has a value (not shown here); expected no secret value (it looks like: JSON web token): keep secrets in the secret store and reference them by name`),
  },
  'a token in the kube context': {
    args: ['synth'],
    setup: sandboxFile(`${SANDBOX_HEAD}cluster: {kubeContext: "token_pin=12345678"}\n`),
    stderr: invalid(`${SANDBOX_FILE}:4:11: field "cluster.kubeContext" has a value (not shown here); expected no secret value (it looks like: credential assigned a literal value): keep secrets in the secret store and reference them by name`),
  },
};

describe('careless and hostile input: one clear message, exit 1, no stack trace, nothing written or deleted', () => {
  it.each(Object.entries(cases))('%s', (_name, { args, setup, stderr }) => {
    const { top, project } = world();
    setup?.(project);
    const before = readTree(top);

    const run = runCli(args, project);

    expect(run.stderr).toBe(stderr);
    expect(run.status).toBe(1);
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(run.stdout).toBe('');
    expect(readTree(top)).toEqual(before);
  });
});

describe('a production environment fresh from new-country', () => {
  it('is refused while its placeholders are in place, each one named, and nothing is written', () => {
    const { top, project } = world();
    const created = runCli(['new-country', '--code', 'XA', '--name', 'Atlantis', '--profile', 'onprem', '--stage', 'production'], project);
    expect(created.status).toBe(0);
    const before = readTree(top);

    const run = runCli(['synth', '--env', 'atlantis-production'], project);

    expect(run.status).toBe(1);
    const placeholder = (position: string, field: string, value: string) =>
      `environments/atlantis-production/environment.yaml:${position}: field "${field}" has value ${value}; expected your own value: this is a placeholder (marked REPLACE), which only a sandbox may keep; replace it and remove the mark`;
    expect(run.stderr.split('\n').slice(1, 4)).toEqual([
      placeholder('15:1', 'domain', '"gov.atlantis.example"'),
      placeholder('19:3', 'cluster.kubeContext', '"atlantis-production"'),
      placeholder('22:5', 'cluster.loadBalancer.addresses', '["192.0.2.10-192.0.2.30"]'),
    ]);
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(readTree(top)).toEqual(before);
  });
});

describe('a trailing slash, as shell completion writes it', () => {
  it('names the same environment, so no second set of stacks (and Terraform state) appears', () => {
    const { project } = world();
    const run = runCli(['synth', '--env', 'sandbox/'], project);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^sandbox: 3 stacks \(sandbox-platform, sandbox-information-mediator, sandbox-building-blocks\)/m);
  });
});
