import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { loadEnvironment } from '../../constructs/environment/load';
import type { RegistrationInput } from '../../constructs/information-mediator';
import type { Manifest } from '../../src/synth/manifest';
import { renderComponents } from '../../src/synth/render';
import { assembleCountry } from '../../stacks/country';
import type { CertificateRequest, RecordedRequest } from './fake-security-server';
import type { LocalRun } from './local-cron-job';

/** The CronJob paces itself to X-Road's rate limits (0.25 s a request); the fake has none. */
export const UNPACED = { XROAD_API_MIN_INTERVAL: '0' } as const;

export interface SynthesisedRegistration {
  /** The manifests of the member's security server component. */
  readonly manifests: readonly Manifest[];
  readonly cronJob: string;
  readonly input: RegistrationInput;
}

/** A shipped environment's registration CronJob of one member's security server, as synthesised. */
export function synthesisedRegistration(environment: string, member: string): SynthesisedRegistration {
  const component = renderComponents(assembleCountry(loadEnvironment(environment))).find((c) => c.component === `xroad-ss-${member}`);
  if (!component) throw new Error(`${environment} has no security server for member ${member}`);
  const cronJob = `ss-${member}-register-services`;
  const configMap = component.manifests.find((m) => m.kind === 'ConfigMap' && m.metadata.name === cronJob) as unknown as { data: Record<string, string> };
  return { manifests: component.manifests, cronJob, input: JSON.parse(configMap.data['input.json']) };
}

/** Writes other than the login and the run's own temporary API key, as `METHOD /decoded/path`. */
export function changesIn(requests: readonly RecordedRequest[]): string[] {
  return requests
    .filter((r) => r.method !== 'GET' && r.path !== '/login' && !r.path.startsWith('/api/v1/api-keys'))
    .map((r) => `${r.method} ${decodeURIComponent(r.path)}`);
}

/** The run, if it exited 0; otherwise an error with its output. */
export function succeeded(run: LocalRun): LocalRun {
  if (run.status !== 0) throw new Error(`the CronJob's container exited ${run.status}:\n${run.output}`);
  return run;
}

/** A test CA issuing client certificates as cert-manager's CA issuer would, with OpenSSL. */
export class TestClientCa {
  private serial = 1;
  private readonly key: string;
  private readonly cert: string;

  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    this.key = path.join(dir, 'ca.key');
    this.cert = path.join(dir, 'ca.crt');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '30', '-subj', '/CN=test internal CA', '-keyout', this.key, '-out', this.cert], { stdio: 'ignore' });
  }

  /** A PEM client certificate for `commonName` (its key is thrown away: the registration never sees one). */
  issue(commonName: string): string {
    const name = path.join(this.dir, `leaf-${this.serial}`);
    execFileSync('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', `/CN=${commonName}`, '-keyout', `${name}.key`, '-out', `${name}.csr`], { stdio: 'ignore' });
    execFileSync('openssl', ['x509', '-req', '-in', `${name}.csr`, '-CA', this.cert, '-CAkey', this.key, '-set_serial', String(this.serial++), '-days', '30', '-out', `${name}.crt`], { stdio: 'ignore' });
    return readFileSync(`${name}.crt`, 'utf8');
  }
}

/** X-Road's identifier of a certificate: the upper-case hex SHA-256 of its DER encoding. */
export function certificateHash(pem: string): string {
  return createHash('sha256').update(new X509Certificate(pem).raw).digest('hex').toUpperCase();
}

/** cert-manager's CertificateRequest for one revision of a Certificate, issued (`pem`) or not yet. */
export function certificateRequest(certificate: string, revision: number, pem?: string): CertificateRequest {
  return {
    metadata: { name: `${certificate}-${revision}`, annotations: { 'cert-manager.io/certificate-name': certificate, 'cert-manager.io/certificate-revision': String(revision) } },
    status: pem ? { certificate: Buffer.from(pem).toString('base64') } : {},
  };
}
