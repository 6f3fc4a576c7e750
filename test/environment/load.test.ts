import { ConfigError } from '../../constructs/environment/config-error';
import { isUserAssignedCountryCode } from '../../constructs/environment/country-codes';
import { listEnvironments, parseEnvironment } from '../../constructs/environment/load';
import { PROFILE_DEFAULTS } from '../../constructs/environment/defaults';
import { SHIPPED_ENVIRONMENTS, shippedEnvironments } from '../support/shipped';

const FILE = 'environments/example/environment.yaml';

function problemsOf(text: string): string {
  try {
    parseEnvironment(text, FILE, 'example');
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected the environment to be rejected');
}

const MEMBERS = `
    - {name: gov, memberClass: GOV, memberCode: "1", role: provider, address: ss-gov.gov.veloria.example}
    - {name: portal, memberClass: GOV, memberCode: "2", role: consumer, address: ss-portal.gov.veloria.example}`;

/** A valid production file on the onprem profile, to break one field at a time. */
const PRODUCTION = `country: {code: XV, name: Veloria}
stage: production
profile: onprem
domain: gov.veloria.example
cluster:
  loadBalancer: {kind: metallb, addresses: [10.0.0.10-10.0.0.20]}
xroad:
  instance: VELORIA
  operator: {memberClass: GOV, memberCode: "0"}
  centralServer:
    mode: external
    anchor: {kind: ConfigMap, name: anchor, key: anchor.xml}
  members:${MEMBERS}
platform:
  apiServer: {cidrs: [10.0.0.1/32], ports: [6443]}
  openbao:
    unseal: {mode: transit, address: "https://unseal.site2.veloria.example:8200", cidrs: [10.9.1.0/29], mountPath: transit, keyName: govstack, tokenSecret: openbao-unseal}
  backups:
    target: {endpoint: "https://backups.site2.veloria.example", cidrs: [10.9.0.0/28], bucket: veloria-backups, region: site2, usePathStyle: true, serverSideEncryption: AES256, credentialsSecretPrefix: backup}
`;

describe('the shipped environments', () => {
  it('are all in environments/ (which may hold more: a user\'s own)', () => {
    expect(listEnvironments()).toEqual(expect.arrayContaining([...SHIPPED_ENVIRONMENTS]));
  });

  it('ship a sandbox and two fictional countries, one production on-prem and one staging on a cloud', () => {
    const envs = shippedEnvironments();
    expect(envs.map((e) => e.name)).toContain('sandbox');
    expect(envs.some((e) => e.stage === 'production' && e.profile === 'onprem' && e.ha.level !== 'single')).toBe(true);
    expect(envs.some((e) => e.stage === 'staging' && e.profile === 'cloud')).toBe(true);
  });

  it('use user-assigned ISO codes for invented countries, so no real government is impersonated', () => {
    for (const env of shippedEnvironments()) {
      expect(isUserAssignedCountryCode(env.country.code)).toBe(true);
    }
  });
});

describe('layering: built-in defaults <- profile <- the environment file', () => {
  it('fills what the file leaves out from its profile', () => {
    const env = parseEnvironment(PRODUCTION, FILE, 'example');
    expect(env.terraformState).toEqual(PROFILE_DEFAULTS.onprem.terraformState);
    expect(env.platform.storage).toBe('longhorn');
    expect(env.cluster.kubernetesVersion).toBe('1.33');
  });

  it('lets the file override a profile value', () => {
    const env = parseEnvironment(`${PRODUCTION}ha: {level: multi-zone}\n`, FILE, 'example');
    expect(env.ha.level).toBe('multi-zone');
  });

  it('replaces, not merges, the state backend when the file picks another kind', () => {
    const env = parseEnvironment(
      `${PRODUCTION}terraformState: {backend: kubernetes, namespace: tf-state, kubeContext: mgmt}\n`,
      FILE,
      'example',
    );
    expect(env.terraformState).toEqual({ backend: 'kubernetes', namespace: 'tf-state', kubeContext: 'mgmt' });
  });

  it('replaces lists rather than appending to them', () => {
    const env = parseEnvironment(`${PRODUCTION}registry: {allowed: [registry.gov.example]}\n`, FILE, 'example');
    expect(env.registry.allowed).toEqual(['registry.gov.example']);
  });
});

describe('a broken environment file is refused with file, field, value and what is expected', () => {
  const cases: [string, string, RegExp][] = [
    ['a wrong type', PRODUCTION.replace('cluster:\n', 'cluster:\n  nodeSize: {cpu: many}\n'), /:\d+:\d+: field "cluster\.nodeSize\.cpu" has value "many"; expected a value of type number/],
    ['an unknown field', PRODUCTION.replace('cluster:\n', 'cluster:\n  kubeContxt: prod\n'), /field "cluster\.kubeContxt" has value "prod"; expected no such field/],
    ['a bad enum value', PRODUCTION.replace('stage: production', 'stage: prod'), /:2:1: field "stage" has value "prod"; expected one of "sandbox", "staging", "production"/],
    ['a missing explicit field', PRODUCTION.replace('stage: production\n', ''), /field "stage" is missing; expected "stage" stated explicitly in every environment file/],
    ['a missing required field', PRODUCTION.replace('domain: gov.veloria.example\n', ''), /field "domain" is missing; expected a value of type string/],
    ['a fixed load-balancer address without MetalLB', PRODUCTION.replace('kind: metallb', 'kind: cloud').replace('role: provider', 'role: provider, loadBalancerIP: 10.0.0.12'), /field "xroad\.members\.0\.loadBalancerIP" has value "10\.0\.0\.12"; expected no loadBalancerIP unless cluster\.loadBalancer\.kind is metallb/],
    ['a key written twice', `${PRODUCTION}domain: again.example\n`, /:\d+:\d+: expected valid YAML \(Map keys must be unique\)/],
    ['invalid YAML', 'country: {code: XV, name: Veloria\nstage: production\n', /environment\.yaml:\d+:\d+: expected valid YAML/],
    ['a document that is not a mapping', '- just\n- a list\n', /got \["just","a list"\]; expected a YAML mapping of environment fields/],
    ['local state in production', `${PRODUCTION}terraformState: {backend: local, directory: state}\n`, /field "terraformState\.backend" has value "local"; expected pg, kubernetes or s3: local state is allowed only when stage is sandbox/],
    ['an unknown country code', PRODUCTION.replace('code: XV', 'code: XK1'), /field "country\.code" has value "XK1"; expected two capital letters/],
    ['a bad profile', PRODUCTION.replace('profile: onprem', 'profile: hybrid'), /field "profile" has value "hybrid"; expected one of sandbox, onprem, cloud/],
    ['a production environment asking for the development central server', PRODUCTION.replace('mode: external', 'mode: development'), /field "xroad\.centralServer\.mode" has value "development"; expected "external" with its configuration anchor: the development central server and test CA are for the sandbox only/],
    ['single replicas in production', `${PRODUCTION}ha: {level: single}\n`, /field "ha\.level" has value "single"; expected "replicated" or "multi-zone"/],
    ['slim security servers with the Estonian variant', PRODUCTION.replace('xroad:\n', 'xroad:\n  securityServer: {variant: slim, countryVariant: ee}\n'), /field "xroad\.securityServer\.countryVariant" has value "ee"; expected "none", "fi", "fo" or "is" with variant slim/],
    ['a member joining a national instance without its address', PRODUCTION.replace(', address: ss-portal.gov.veloria.example', ''), /field "xroad\.members\.1\.address" is missing; expected the DNS name other security servers reach member "portal" at/],
    ['a member name too long for the names derived from it', PRODUCTION.replace('name: gov,', 'name: a-very-long-member-name-for-kubernetes,'), /field "xroad\.members\.0\.name" has value "a-very-long-member-name-for-kubernetes"; expected at most 30 characters/],
    ['a peer range that is not a CIDR', PRODUCTION.replace('xroad:\n', 'xroad:\n  securityServer: {peerCidrs: [10.0.0.1-10.0.0.9]}\n'), /field "xroad\.securityServer\.peerCidrs\.0" has value "10\.0\.0\.1-10\.0\.0\.9"; expected an IPv4 CIDR/],
    ['Faroese primary and secondary images, which NIIS does not build', PRODUCTION.replace('xroad:\n', 'xroad:\n  securityServer: {countryVariant: fo}\n'), /field "xroad\.securityServer\.countryVariant" has value "fo"; expected "none", "ee", "fi" or "is" with primary-secondaries/],
    ['MetalLB without addresses', PRODUCTION.replace('addresses: [10.0.0.10-10.0.0.20]', 'addresses: []'), /field "cluster\.loadBalancer\.addresses" has value \[\]; expected an address pool for metallb/],
    ['an inherited value that no longer fits', `${PRODUCTION}tls: {mode: acme}\n`, /field "tls\.acme" is missing; expected acme\.email and acme\.server when tls mode is acme/],
    ['a production environment that leaves the API server\'s addresses open', PRODUCTION.replace('cidrs: [10.0.0.1/32]', 'cidrs: [0.0.0.0/0]'), /field "platform\.apiServer\.cidrs" has value \["0\.0\.0\.0\/0"\]; expected the API server's own addresses/],
    ['a staging environment that leaves the API server\'s addresses open', PRODUCTION.replace('stage: production', 'stage: staging').replace('cidrs: [10.0.0.1/32]', 'cidrs: [0.0.0.0/0]'), /field "platform\.apiServer\.cidrs" has value \["0\.0\.0\.0\/0"\]; expected the API server's own addresses, e\.g\. \["10\.0\.0\.10\/32"\] \(the control-plane nodes or the managed endpoint\): "0\.0\.0\.0\/0" is allowed only when stage is sandbox, and this is staging/],
    ['an API server address that is not a CIDR', PRODUCTION.replace('cidrs: [10.0.0.1/32]', 'cidrs: [10.0.0.1]'), /field "platform\.apiServer\.cidrs\.0" has value "10\.0\.0\.1"; expected an IPv4 CIDR such as "198\.51\.100\.0\/24"/],
    ['Longhorn with another provisioner for the data class', PRODUCTION.replace('cluster:\n', 'cluster:\n  storageProvisioner: csi.example.org\n'), /field "cluster\.storageProvisioner" has value "csi\.example\.org"; expected "driver\.longhorn\.io" when platform\.storage is longhorn/],
    ['a namespace quota of no pods', `${PRODUCTION.replace('platform:\n', 'platform:\n  namespaceQuotas: {small: {pods: 0}}\n')}`, /field "platform\.namespaceQuotas\.small\.pods" has value 0; expected a number greater than 0/],
    ['an unknown building block', `${PRODUCTION}buildingBlocks: {teleportation: {enabled: true, product: x, version: "1", size: small}}\n`, /field "buildingBlocks\.teleportation" .*expected a building block the kit knows: iam, identity/],
    ['a product the catalogue lacks', `${PRODUCTION}buildingBlocks: {workflow: {enabled: true, product: airflow, version: "2", size: small}}\n`, /field "buildingBlocks\.workflow\.product" has value "airflow"; expected a product the catalogue has for workflow: camunda, n8n/],
    ['a version the catalogue lacks', `${PRODUCTION}buildingBlocks: {iam: {enabled: true, product: keycloak, version: "24.0.0", size: small}}\n`, /field "buildingBlocks\.iam\.version" has value "24\.0\.0"; expected a version of keycloak the catalogue has: 26\.7\.3/],
    ['a development-only product in production', `${PRODUCTION}buildingBlocks: {identity: {enabled: true, product: esignet, version: "1.8.0", size: small}}\n`, /field "buildingBlocks\.identity\.product" has value "esignet"; expected a product allowed in stage production \(mosip\); esignet is for sandbox, staging only/],
    ['realms for a product that imports none', `${PRODUCTION}buildingBlocks: {workflow: {enabled: true, product: n8n, version: "2.23.4", size: small, realms: [{name: x, displayName: X}]}}\n`, /field "buildingBlocks\.workflow\.realms" .*expected no realms: n8n does not import realms/],
    [
      'a production environment running Baserow on storage that shares no volume between its replicas',
      `${PRODUCTION.replace('platform:\n', 'platform:\n  storage: existing\n').replace('cluster:\n', 'cluster:\n  storageProvisioner: csi.example.org\n')}buildingBlocks: {digital-registries: {enabled: true, product: baserow, version: "1.35.3", size: small}}\n`,
      /field "cluster\.storageClasses\.shared" is missing; expected a ReadWriteMany storage class \(or platform\.storage: longhorn, whose data class is one\): baserow backend keeps files all its replicas share, and production runs it on more than one node/,
    ],
    ['a realm name that is not a DNS label', `${PRODUCTION}buildingBlocks: {iam: {enabled: true, product: keycloak, version: "26.7.3", size: small, realms: [{name: My_Realm, displayName: X}]}}\n`, /field "buildingBlocks\.iam\.realms\.0\.name" has value "My_Realm"; expected .*DNS label/],
    // Values that used to fail only at deploy or run time (issue 12).
    ['an address that is not one', PRODUCTION.replace('cidrs: [10.0.0.1/32]', 'cidrs: [999.999.999.999/99]'), /field "platform\.apiServer\.cidrs\.0" has value "999\.999\.999\.999\/99"; expected an IPv4 CIDR such as "198\.51\.100\.0\/24" \("0\.0\.0\.0\/0" for anywhere\) \("999\.999\.999\.999" is not an IPv4 address\)$/],
    ['a prefix longer than 32', PRODUCTION.replace('cidrs: [10.0.0.1/32]', 'cidrs: [10.0.0.1/33]'), /field "platform\.apiServer\.cidrs\.0" has value "10\.0\.0\.1\/33"; expected an IPv4 CIDR .* \(the prefix length \/33 is more than 32\)$/],
    ['a CIDR with host bits set', PRODUCTION.replace('xroad:\n', 'xroad:\n  securityServer: {peerCidrs: [10.1.2.3/16]}\n'), /field "xroad\.securityServer\.peerCidrs\.0" has value "10\.1\.2\.3\/16"; expected an IPv4 CIDR .* \(host bits are set: the network is 10\.1\.0\.0\/16\)$/],
    ['a reversed MetalLB pool', PRODUCTION.replace('10.0.0.10-10.0.0.20', '10.0.0.20-10.0.0.10'), /field "cluster\.loadBalancer\.addresses\.0" has value "10\.0\.0\.20-10\.0\.0\.10"; expected an IPv4 address, CIDR .* \(the range is reversed: 10\.0\.0\.20 comes after 10\.0\.0\.10\)$/],
    ['an out-of-range MetalLB pool', PRODUCTION.replace('10.0.0.10-10.0.0.20', '10.0.0.10-10.0.0.300'), /field "cluster\.loadBalancer\.addresses\.0" has value "10\.0\.0\.10-10\.0\.0\.300"; expected .* \("10\.0\.0\.300" is not an IPv4 address\)$/],
    ['a fixed address outside the MetalLB pool', PRODUCTION.replace('role: provider,', 'role: provider, loadBalancerIP: 10.0.1.5,'), /field "xroad\.members\.0\.loadBalancerIP" has value "10\.0\.1\.5"; expected an address inside the MetalLB pool cluster\.loadBalancer\.addresses \(10\.0\.0\.10-10\.0\.0\.20\)$/],
    ['a mirror path climbing out', `${PRODUCTION}registry: {mirror: registry.example/../../../etc}\n`, /field "registry\.mirror" has value "registry\.example\/\.\.\/\.\.\/\.\.\/etc"; expected a registry host with an optional port and path, .*no "\.\." or empty segments\)$/],
    ['an allowed registry with a port out of range', `${PRODUCTION}registry: {allowed: ["registry.example:99999"]}\n`, /field "registry\.allowed\.0" has value "registry\.example:99999"; expected a registry host/],
    ['an ACME server of javascript:', `${PRODUCTION}tls: {mode: acme, acme: {email: a@gov.example, server: "javascript:alert(1)"}}\n`, /field "tls\.acme\.server" has value "javascript:alert\(1\)"; expected an https URL such as "https:\/\/acme-v02\.api\.letsencrypt\.org\/directory" \(the scheme "javascript" is not allowed\)$/],
    ['a backup target at file:///etc/passwd', PRODUCTION.replace('"https://backups.site2.veloria.example"', '"file:///etc/passwd"'), /field "platform\.backups\.target\.endpoint" has value "file:\/\/\/etc\/passwd"; expected an https URL such as "https:\/\/backups\.dr-site\.gov\.example" \(the scheme "file" is not allowed\)$/],
    ['a backup target over plain http', PRODUCTION.replace('"https://backups.site2.veloria.example"', '"http://backups.site2.veloria.example"'), /field "platform\.backups\.target\.endpoint" has value "http:\/\/backups\.site2\.veloria\.example"; expected an https URL .*\(the scheme "http" is not allowed\)$/],
    ['a backup target inside the cluster', PRODUCTION.replace('"https://backups.site2.veloria.example"', '"https://seaweedfs-s3.object-store.svc"'), /field "platform\.backups\.target\.endpoint" has value "https:\/\/seaweedfs-s3\.object-store\.svc"; expected the address of a store outside this cluster/],
    ['a backup target without encryption at rest', PRODUCTION.replace('serverSideEncryption: AES256', 'serverSideEncryption: none'), /field "platform\.backups\.target\.serverSideEncryption" has value "none"; expected one of "AES256", "aws:kms"/],
    ['a key of the key service without it', PRODUCTION.replace('serverSideEncryption: AES256', 'serverSideEncryption: AES256, kmsKeyId: backups'), /field "platform\.backups\.target\.kmsKeyId" has value "backups"; expected no kmsKeyId unless serverSideEncryption is aws:kms/],
    ['production without an off-cluster backup target', PRODUCTION.replace(/  backups:\n    target: .*\n/, ''), /field "platform\.backups\.target" is missing; expected an off-cluster S3-compatible store \(endpoint, bucket, region, usePathStyle, serverSideEncryption, credentialsSecretPrefix\): backups kept inside the cluster are lost with it, and this is production$/],
    ['production without backups', PRODUCTION.replace('  backups:\n', '  backups:\n    enabled: false\n'), /field "platform\.backups\.enabled" has value false; expected true: production keeps off-cluster backups of its databases and volumes/],
    ['staging without an off-cluster backup target', PRODUCTION.replace('stage: production', 'stage: staging').replace(/  backups:\n    target: .*\n/, ''), /field "platform\.backups\.target" is missing; .* and this is staging$/],
    ['OpenBao without a way to unseal', PRODUCTION.replace(/  openbao:\n    unseal: .*\n/, ''), /field "platform\.openbao\.unseal" is missing; expected how OpenBao unseals after a start: \{mode: transit, address, cidrs, mountPath, keyName, tokenSecret\} .* or \{mode: manual\}/],
    ['OpenBao unsealed by hand in production', PRODUCTION.replace(/unseal: \{mode: transit.*\}/, 'unseal: {mode: manual}'), /field "platform\.openbao\.unseal\.mode" has value "manual"; expected transit in production: with manual unsealing every restarted OpenBao member stays sealed/],
    ['an unseal server over plain http', PRODUCTION.replace('"https://unseal.site2.veloria.example:8200"', '"http://unseal.site2.veloria.example:8200"'), /field "platform\.openbao\.unseal\.address" has value "http:\/\/unseal\.site2\.veloria\.example:8200"; expected an https URL .*\(the scheme "http" is not allowed\)$/],
    ['OpenBao whose snapshots would have nowhere to go', PRODUCTION.replace('stage: production', 'stage: staging').replace('  backups:\n', '  backups:\n    enabled: false\n'), /field "platform\.secretStore" has value "openbao" \(inherited from profile "onprem"; override it in this file\); expected in-cluster, or OpenBao with platform\.backups\.enabled and an off-cluster platform\.backups\.target: OpenBao's Raft snapshots go there/],
    ['credentials inside a state endpoint', `${PRODUCTION}terraformState: {backend: s3, bucket: state, region: r1, keyPrefix: k, usePathStyle: true, endpoint: "https://key:secret@s3.gov.example"}\n`, /field "terraformState\.endpoint" has a value \(not shown here\); expected .* \(credentials in the URL would be written into the output: give them through the environment\)$/],
    ['a central server that is not a host name', PRODUCTION.replace('mode: external', 'mode: external\n    address: "cs/../x"'), /field "xroad\.centralServer\.address" has value "cs\/\.\.\/x"; expected a host name such as "cs\.xroad\.gov\.example" or an IPv4 address$/],
    ['a retention of 1e9 days', PRODUCTION.replace('platform:\n', 'platform:\n  observability: {logsRetentionDays: 1000000000}\n'), /field "platform\.observability\.logsRetentionDays" has value 1000000000; expected at most 3650: ten years; the products read retention as a duration in hours$/],
    ['a backup retention of 1e9 days', PRODUCTION.replace('  backups:\n', '  backups:\n    retentionDays: 1000000000\n'), /field "platform\.backups\.retentionDays" has value 1000000000; expected at most 3650/],
    ['a backup schedule that is not cron', PRODUCTION.replace('  backups:\n', '  backups:\n    schedule: "0 25 * * *"\n'), /field "platform\.backups\.schedule" has value "0 25 \* \* \*"; expected a five-field cron schedule such as "0 2 \* \* \*"/],
    ['1e9 secondaries', PRODUCTION.replace('xroad:\n', 'xroad:\n  securityServer: {secondaries: 1000000000}\n'), /field "xroad\.securityServer\.secondaries" has value 1000000000; expected at most 10: each secondary is a pod and a share of a node to buy$/],
    ['nodes of 1e9 cores', PRODUCTION.replace('cluster:\n', 'cluster:\n  nodeSize: {cpu: 1000000000}\n'), /field "cluster\.nodeSize\.cpu" has value 1000000000; expected at most 1024: no server has more cores$/],
    ['a namespace quota of 1e9 pods', PRODUCTION.replace('platform:\n', 'platform:\n  namespaceQuotas: {large: {pods: 1000000000}}\n'), /field "platform\.namespaceQuotas\.large\.pods" has value 1000000000; expected at most 10000/],
    ['a real country code under an invented name', PRODUCTION.replace('code: XV', 'code: FR').replace('name: Veloria', 'name: Atlantis'), /field "country\.name" has value "Atlantis"; expected the name ISO 3166 gives FR \("France", or a longer form containing it\), or a user-assigned code \("XA"–"XZ"\) for a fictional country$/],
    ['a country name on two lines', PRODUCTION.replace('name: Veloria', 'name: "Velo\\nria"'), /field "country\.name" has value "Velo\\nria"; expected 2 to 100 characters on one line$/],
    ['a placeholder left by new-country outside the sandbox', PRODUCTION.replace('domain: gov.veloria.example', 'domain: gov.veloria.example   # REPLACE: your domain'), /:4:1: field "domain" has value "gov\.veloria\.example"; expected your own value: this is a placeholder \(marked REPLACE\), which only a sandbox may keep; replace it and remove the mark$/],
  ];

  it.each(cases)('%s', (_name, text, expected) => {
    expect(problemsOf(text)).toMatch(expected);
  });

  it('names the profile when the offending value was inherited rather than written', () => {
    const message = problemsOf(`${PRODUCTION.replace('profile: onprem', 'profile: cloud')}`);
    expect(message).toMatch(/field "tls\.acme" is missing; expected acme\.email/);
  });

  it('accepts the names ISO 3166 gives a country, in English, French or its own language, and longer forms', () => {
    for (const [code, name] of [['KE', 'Kenya'], ['KE', 'Republic of Kenya'], ['DE', 'Deutschland'], ['CI', 'Côte d\'Ivoire'], ['US', 'United States of America'], ['FR', 'France']]) {
      expect(parseEnvironment(PRODUCTION.replace('code: XV', `code: ${code}`).replace('name: Veloria', `name: "${name}"`), FILE, 'example').country.name).toBe(name);
    }
  });

  it('keeps placeholders legal in a sandbox, where invented names are the point', () => {
    const sandbox = 'country: {code: XA, name: Atlantis}\nstage: sandbox\nprofile: sandbox\ndomain: sandbox.example   # REPLACE\n';
    expect(parseEnvironment(sandbox, FILE, 'example').domain).toBe('sandbox.example');
  });

  it('reports every problem of a file at once', () => {
    const message = problemsOf(PRODUCTION.replace('stage: production', 'stage: prod').replace('code: XV', 'code: xv'));
    expect(message.split('\n')).toHaveLength(2);
  });
});
