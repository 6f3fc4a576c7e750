import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { buildingBlockServiceEndpoint, securityServer } from '../../constructs/information-mediator';
import { CLUSTER_ISSUERS } from '../../constructs/platform/contract';
import type { Manifest } from '../../src/synth/manifest';
import { containerOf, environmentWithFixtures, find, informationMediator } from './support';

// Each security server's internal TLS certificate (what its client port 8443 presents) comes from
// the cluster's CA, installed by an init container as X-Road 7.8.0's own files before the
// entrypoint, which generates a self-signed one only when /etc/xroad/ssl/internal.crt is missing.

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const configNodeOf = (manifests: readonly Manifest[], name: string): Json =>
  manifests.find((m) => m.kind === 'StatefulSet' && (m.metadata.name === name || m.metadata.name === `${name}-primary`)) as Json;

describe.each(['sandbox', 'veloria-production'])('%s: every security server\'s internal TLS certificate', (envName) => {
  const env = environmentWithFixtures(envName);
  const { manifests } = informationMediator(env);
  const servers = env.xroad.members.map(securityServer);

  it('is a cert-manager Certificate from the internal CA, for the names clients call the server by', () => {
    for (const server of servers) {
      const certificate = find(manifests, 'Certificate', `${server.clientService}-internal-tls`) as Json;
      expect(certificate.metadata.namespace).toBe('xroad');
      expect(certificate.spec).toMatchObject({
        secretName: `${server.clientService}-internal-tls`,
        issuerRef: { name: CLUSTER_ISSUERS.internal.name, kind: 'ClusterIssuer' },
        // X-Road also presents it as a client (to its members' HTTPS services)
        usages: expect.arrayContaining(['server auth', 'client auth']),
        privateKey: { encoding: 'PKCS8' },
      });
      expect(certificate.spec.dnsNames).toContain(`${server.clientService}.xroad.svc.cluster.local`);
    }
    // the host in the URLs building blocks are given
    const host = new URL(buildingBlockServiceEndpoint(env, 'e-services', 'registration', 'applications').url).hostname;
    expect(manifests.filter((m) => m.kind === 'Certificate' && (m as Json).spec.dnsNames?.includes(host))).toHaveLength(1);
  });

  it('is installed by an init container of the node holding /etc/xroad, with the server\'s own image, into the volume the server reads', () => {
    for (const server of servers) {
      const node = configNodeOf(manifests, server.clientService);
      const [init, ...others] = node.spec.template.spec.initContainers;
      expect(others).toEqual([]);
      const main = containerOf(node);
      expect(init.image).toBe(main.image);
      const etc = main.volumeMounts.find((m: Json) => m.mountPath === '/etc/xroad');
      expect(init.volumeMounts).toContainEqual({ name: etc.name, mountPath: '/etc/xroad' });
      expect(init.env).toContainEqual({ name: 'INTERNAL_TLS_TARGET', value: '/etc/xroad/ssl' });
      // root only to hand the files to the xroad user: no other capability, no privilege escalation
      expect(init.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'], add: ['CHOWN', 'DAC_OVERRIDE', 'FOWNER'] } });
      const secret = node.spec.template.spec.volumes.find((v: Json) => v.name === 'internal-tls');
      expect(secret.secret.secretName).toBe(`${server.clientService}-internal-tls`);
    }
  });

  it('is not installed on secondaries, which rsync /etc/xroad (ssl/ included) from the primary', () => {
    for (const deployment of manifests.filter((m) => m.kind === 'Deployment' && m.metadata.name.endsWith('-secondary')) as Json[]) {
      expect(deployment.spec.template.spec.initContainers).toBeUndefined();
    }
  });
});

describe('the init container\'s script, run as synthesised on a certificate issued as cert-manager would', () => {
  const env = environmentWithFixtures('sandbox');
  const { manifests } = informationMediator(env);
  const server = securityServer(env.xroad.members[0]);
  const node = configNodeOf(manifests, server.clientService);
  const init = node.spec.template.spec.initContainers[0];
  const scriptVolume = node.spec.template.spec.volumes.find((v: Json) => v.name === 'internal-tls-script');
  const configMap = find(manifests, 'ConfigMap', scriptVolume.configMap.name) as Json;
  const [scriptFile] = Object.keys(configMap.data);
  const certificate = find(manifests, 'Certificate', `${server.clientService}-internal-tls`) as Json;
  const host = `${server.clientService}.xroad.svc`;

  let work: string;
  const ssl = () => path.join(work, 'etc-xroad', 'ssl');
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: work, stdio: 'pipe' }).toString();
  const run = () =>
    execFileSync('bash', [path.join(work, scriptFile)], {
      stdio: 'pipe',
      env: {
        PATH: process.env.PATH,
        ...Object.fromEntries(init.env.map((e: { name: string; value: string }) => [e.name, e.value])),
        // the container's paths, moved into the temporary folder; the test's own user instead of xroad
        INTERNAL_TLS_SOURCE: path.join(work, 'secret'),
        INTERNAL_TLS_TARGET: ssl(),
        INTERNAL_TLS_OWNER: `${process.getuid!()}:${process.getgid!()}`,
      },
    });

  beforeAll(() => {
    work = mkdtempSync(path.join(tmpdir(), 'govstack-internal-tls-'));
    writeFileSync(path.join(work, scriptFile), configMap.data[scriptFile]);
    execFileSync('mkdir', ['-p', path.join(work, 'secret')]);
    openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=govstack internal CA', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2');
    const sans = certificate.spec.dnsNames.map((name: string) => `DNS:${name}`).join(',');
    openssl('req', '-new', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${certificate.spec.commonName}`, '-keyout', 'secret/tls.key', '-out', 'leaf.csr');
    writeFileSync(path.join(work, 'ext.cnf'), `subjectAltName=${sans}\nextendedKeyUsage=serverAuth,clientAuth\n`);
    openssl('x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '1', '-extfile', 'ext.cnf', '-out', 'leaf.crt');
    // cert-manager's CA issuer: tls.crt is the certificate followed by its CA
    writeFileSync(path.join(work, 'secret', 'tls.crt'), readFileSync(path.join(work, 'leaf.crt'), 'utf8') + readFileSync(path.join(work, 'ca.crt'), 'utf8'));
    run();
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('writes internal.crt, internal.key and internal.p12, mode 0660, in a 0750 directory, and nothing else', () => {
    expect(readdirSync(ssl()).sort()).toEqual(['internal.crt', 'internal.key', 'internal.p12']);
    for (const file of readdirSync(ssl())) expect(statSync(path.join(ssl(), file)).mode & 0o777).toBe(0o660);
    expect(statSync(ssl()).mode & 0o777).toBe(0o750);
  });

  it('writes internal.crt as the certificate alone and internal.key as its PKCS#8 key', () => {
    const crt = readFileSync(path.join(ssl(), 'internal.crt'), 'utf8');
    expect(crt.match(/BEGIN CERTIFICATE/g)).toHaveLength(1);
    expect(openssl('x509', '-in', path.join(ssl(), 'internal.crt'), '-noout', '-fingerprint')).toBe(openssl('x509', '-in', 'leaf.crt', '-noout', '-fingerprint'));
    expect(readFileSync(path.join(ssl(), 'internal.key'), 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(openssl('pkey', '-in', path.join(ssl(), 'internal.key'), '-pubout')).toBe(openssl('x509', '-in', 'leaf.crt', '-noout', '-pubkey'));
  });

  it('writes internal.p12 as X-Road\'s InternalSSLKey loads it: a Java PKCS#12 key entry "internal" under password "internal", with the chain', () => {
    const listing = execFileSync('keytool', ['-list', '-v', '-storetype', 'PKCS12', '-keystore', path.join(ssl(), 'internal.p12'), '-storepass', 'internal', '-alias', 'internal'], { stdio: 'pipe' }).toString();
    expect(listing).toContain('Entry type: PrivateKeyEntry');
    expect(listing).toContain('Certificate chain length: 2');
  });

  it('gives clients a certificate they verify for the host they call with the CA of their own Secret (ca.crt)', () => {
    expect(openssl('verify', '-CAfile', 'ca.crt', '-verify_hostname', host, '-purpose', 'sslserver', path.join(ssl(), 'internal.crt'))).toContain(': OK');
  });

  it('replaces the files at the next start, leaving no staging folder behind', () => {
    writeFileSync(path.join(ssl(), 'internal.crt'), 'a certificate X-Road generated itself\n');
    run();
    expect(readdirSync(ssl()).sort()).toEqual(['internal.crt', 'internal.key', 'internal.p12']);
    expect(openssl('x509', '-in', path.join(ssl(), 'internal.crt'), '-noout', '-fingerprint')).toBe(openssl('x509', '-in', 'leaf.crt', '-noout', '-fingerprint'));
  });
});
