import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import * as path from 'node:path';
import type { Exchange } from './admin-api/contract';

const FAKE = path.join(__dirname, 'fixtures', 'fake_security_server.py');

/** One request the fake received, as it recorded it. */
export interface RecordedRequest {
  readonly method: string;
  /** Raw path with query, ids percent-encoded as the client sent them. */
  readonly path: string;
  readonly content_type: string | null;
  readonly accept: string | null;
  /** JSON as parsed; the login form's fields (the password as asterisks); other bytes as `{ bytes: n }`. */
  readonly body?: unknown;
  /** `session:<user>`, `api-key:<id>`, or null when authentication failed. */
  readonly principal: string | null;
  readonly status: number;
  /** JSON as parsed, other bodies as text, null without a body. */
  readonly answer: unknown;
  /** The fake's monotonic clock, in seconds. */
  readonly at: number;
}

export interface FakeClient {
  readonly id: string;
  readonly status: string;
  readonly [field: string]: unknown;
}

export interface FakeDescription {
  readonly id: string;
  readonly client_id: string;
  readonly url: string;
  readonly type: string;
  readonly disabled: boolean;
  readonly disabled_notice?: string;
  readonly services: readonly { service_code: string; url: string; timeout: number }[];
}

/** The fake's model of one security server; see fixtures/fake_security_server.py. */
export interface FakeState {
  readonly instance?: string;
  readonly admin: { readonly user: string; readonly password: string };
  /** Fields of GET /initialization/status; missing ones read as not initialised. */
  readonly initialisation: Readonly<Record<string, unknown>>;
  readonly clients: readonly FakeClient[];
  /** Subsystems the global configuration knows: only they can be granted access. */
  readonly global_clients: readonly string[];
  readonly service_descriptions: readonly FakeDescription[];
  /** Service id (`<client id>:<service code>`) → its access rights. */
  readonly access_rights: Readonly<Record<string, readonly { id: string; service_client_type: string }[]>>;
  /** Client id → its internal TLS certificates (CertificateDetails; `hash` identifies one). */
  readonly tls_certificates?: Readonly<Record<string, readonly { readonly hash: string; readonly [field: string]: unknown }[]>>;
  /** The Kubernetes API beside it: the bearer token it accepts and cert-manager's CertificateRequests by namespace. */
  readonly kubernetes?: { readonly token: string; readonly certificate_requests: Readonly<Record<string, readonly CertificateRequest[]>> };
}

/** A cert-manager CertificateRequest as the registration reads it. */
export interface CertificateRequest {
  readonly metadata: { readonly name: string; readonly annotations: Readonly<Record<string, string>> };
  /** `certificate`: the issued PEM, base64-encoded as the API writes bytes; absent until issued. */
  readonly status: { readonly certificate?: string };
}

/**
 * The fake Security Server admin API, listening with TLS on 127.0.0.1 at an ephemeral port, with a
 * throwaway self-signed certificate. The test's own calls verify that certificate.
 */
export class FakeSecurityServer {
  static async start(dir: string): Promise<FakeSecurityServer> {
    const cert = path.join(dir, 'admin-ui.crt');
    const key = path.join(dir, 'admin-ui.key');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert], { stdio: 'ignore' });
    const child = spawn('python3', [FAKE, cert, key], { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH, PYTHONDONTWRITEBYTECODE: '1' } });
    const port = await new Promise<number>((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => reject(new Error(`the fake security server did not start: ${output}`)), 5000);
      const read = (chunk: Buffer) => {
        output += chunk.toString();
        const match = /port (\d+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      };
      child.stdout!.on('data', read);
      child.stderr!.on('data', read);
      child.on('exit', (code) => reject(new Error(`the fake security server exited (${code}): ${output}`)));
    });
    // The pod's service account directory, as the kubelet mounts it: a token and the cluster's CA.
    const serviceAccount = path.join(dir, 'serviceaccount');
    mkdirSync(serviceAccount, { recursive: true });
    const token = randomBytes(16).toString('hex');
    writeFileSync(path.join(serviceAccount, 'token'), token);
    copyFileSync(cert, path.join(serviceAccount, 'ca.crt'));
    return new FakeSecurityServer(child, port, readFileSync(cert), token, serviceAccount);
  }

  readonly url: string;
  /** The environment a pod would have for the Kubernetes API, pointing at this fake. */
  readonly cluster: Readonly<Record<string, string>>;

  private constructor(
    private readonly child: ChildProcess,
    private readonly port: number,
    private readonly ca: Buffer,
    /** The service account token the pod's directory holds; the state's `kubernetes.token` decides whether it is accepted. */
    readonly serviceAccountToken: string,
    serviceAccountDir: string,
  ) {
    this.url = `https://127.0.0.1:${port}`;
    this.cluster = { KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: String(port), KUBERNETES_SERVICE_ACCOUNT_DIR: serviceAccountDir };
  }

  /** Replaces the whole model and forgets sessions, API keys and recorded requests. */
  async reset(state: FakeState): Promise<void> {
    await this.call('PUT', '/_fake/state', state);
  }

  async state(): Promise<FakeState & { readonly api_keys: readonly number[] }> {
    return (await this.call('GET', '/_fake/state')) as FakeState & { api_keys: number[] };
  }

  async requests(): Promise<RecordedRequest[]> {
    return (await this.call('GET', '/_fake/requests')) as RecordedRequest[];
  }

  /** The Kubernetes API requests since the last reset: method, path, status. */
  async kubernetesRequests(): Promise<{ method: string; path: string; status: number }[]> {
    return (await this.call('GET', '/_fake/kubernetes-requests')) as { method: string; path: string; status: number }[];
  }

  /** Every request and answer since the last call, across resets, as the admin API contract reads them. */
  async exchanges(): Promise<Exchange[]> {
    const recorded = (await this.call('GET', '/_fake/exchanges')) as RecordedRequest[];
    return recorded.map((r) => ({
      method: r.method,
      path: r.path,
      contentType: r.content_type ?? undefined,
      accept: r.accept ?? undefined,
      body: r.body ?? undefined,
      status: r.status,
      answer: r.answer ?? undefined,
    }));
  }

  stop(): void {
    this.child.kill();
  }

  private call(method: string, route: string, body?: unknown): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const data = body === undefined ? undefined : JSON.stringify(body);
      const req = request(
        { host: '127.0.0.1', port: this.port, path: route, method, ca: this.ca, agent: false, timeout: 5000, headers: data ? { 'Content-Type': 'application/json' } : {} },
        (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => (res.statusCode! < 300 ? resolve(text ? JSON.parse(text) : undefined) : reject(new Error(`${method} ${route}: HTTP ${res.statusCode}`))));
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${route}: timed out`)));
      req.on('error', reject);
      req.end(data);
    });
  }
}
