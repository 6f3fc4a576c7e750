import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ProofError } from './errors';
import { freePorts } from './free-port';
import { ManagedProcess, onExit } from './processes';

export interface ControlPlaneOptions {
  readonly kubeApiserver: string;
  readonly etcd: string;
  /** Named after the environment's `cluster.kubeContext`, which its Terraform providers select. */
  readonly kubeContext: string;
  /**
   * Admission plugins turned off besides ServiceAccount (which needs the controller-manager's
   * ServiceAccount controller, not run here). Each is recorded with its reason in proof.json.
   */
  readonly disabledAdmission?: readonly string[];
  readonly readyTimeoutMs?: number;
  readonly log?: (line: string) => void;
}

/** Admission plugins the proof never runs, and why: a real cluster's controller-manager would make them pass. */
export const ALWAYS_DISABLED_ADMISSION: Readonly<Record<string, string>> = {
  ServiceAccount: 'no controller-manager creates the default ServiceAccounts it checks pods against',
};

/**
 * etcd and kube-apiserver on 127.0.0.1, on ports nobody else uses, with their data in a temporary
 * folder: a fresh, real API server with PodSecurity and the default admission plugins, token
 * authentication and RBAC. Nothing listens beyond loopback; there are no nodes, so nothing runs.
 */
export class ControlPlane {
  private constructor(
    readonly dir: string,
    readonly server: string,
    readonly token: string,
    readonly kubeconfig: string,
    readonly admission: { readonly disabled: Readonly<Record<string, string>> },
    private readonly etcd: ManagedProcess,
    private readonly apiserver: ManagedProcess,
    private readonly exitHook: { release(): void },
  ) {}

  static async start(options: ControlPlaneOptions): Promise<ControlPlane> {
    const attempts = 3;
    for (let attempt = 1; ; attempt++) {
      try {
        return await ControlPlane.startOnce(options);
      } catch (error) {
        // A port chosen free can be taken before our server binds it: try again on new ports.
        if (error instanceof PortTakenError && attempt < attempts) {
          options.log?.(`${error.message}; starting again on other ports`);
          continue;
        }
        throw error;
      }
    }
  }

  private static async startOnce(options: ControlPlaneOptions): Promise<ControlPlane> {
    const dir = mkdtempSync(path.join(tmpdir(), 'govstack-proof-'));
    const [etcdClient, etcdPeer, apiPort] = await freePorts(3);
    const token = randomBytes(24).toString('hex');
    const pki = path.join(dir, 'pki');
    mkdirSync(pki);
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(path.join(pki, 'sa.pub'), publicKey.export({ type: 'spki', format: 'pem' }));
    writeFileSync(path.join(pki, 'sa.key'), privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    writeFileSync(path.join(pki, 'tokens.csv'), `${token},proof-admin,proof-admin,"system:masters"\n`, { mode: 0o600 });

    let etcd: ManagedProcess | undefined;
    let apiserver: ManagedProcess | undefined;
    const cleanup = () => {
      etcd?.killNow();
      apiserver?.killNow();
      rmSync(dir, { recursive: true, force: true });
    };
    const exitHook = onExit(cleanup);
    try {
      const etcdUrl = `http://127.0.0.1:${etcdClient}`;
      const peerUrl = `http://127.0.0.1:${etcdPeer}`;
      etcd = new ManagedProcess('etcd', options.etcd, [
        '--name=proof',
        `--data-dir=${path.join(dir, 'etcd')}`,
        `--listen-client-urls=${etcdUrl}`,
        `--advertise-client-urls=${etcdUrl}`,
        `--listen-peer-urls=${peerUrl}`,
        `--initial-advertise-peer-urls=${peerUrl}`,
        `--initial-cluster=proof=${peerUrl}`,
        // A throwaway store: no fsync; large CRDs (Kyverno's is ~1.4 MB with managedFields) fit in one request.
        '--unsafe-no-fsync',
        '--max-request-bytes=10485760',
        '--quota-backend-bytes=4294967296',
      ], path.join(dir, 'etcd.log'));

      const disabled = { ...ALWAYS_DISABLED_ADMISSION };
      for (const plugin of options.disabledAdmission ?? []) disabled[plugin] ??= 'see proof.json';
      apiserver = new ManagedProcess('kube-apiserver', options.kubeApiserver, [
        `--etcd-servers=${etcdUrl}`,
        '--bind-address=127.0.0.1',
        `--secure-port=${apiPort}`,
        `--cert-dir=${pki}`,
        `--token-auth-file=${path.join(pki, 'tokens.csv')}`,
        '--authorization-mode=RBAC',
        // Privileged pod templates (node exporters, storage drivers) must be judged by Pod Security, not refused outright.
        '--allow-privileged=true',
        '--service-cluster-ip-range=10.96.0.0/16',
        '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
        `--service-account-key-file=${path.join(pki, 'sa.pub')}`,
        `--service-account-signing-key-file=${path.join(pki, 'sa.key')}`,
        `--disable-admission-plugins=${Object.keys(disabled).join(',')}`,
      ], path.join(dir, 'apiserver.log'));

      const server = `https://127.0.0.1:${apiPort}`;
      await waitReady(server, token, etcd, apiserver, options.readyTimeoutMs ?? 180_000);
      const kubeconfig = path.join(dir, 'kubeconfig');
      writeFileSync(kubeconfig, kubeconfigText(server, token, options.kubeContext, path.join(pki, 'apiserver.crt')), { mode: 0o600 });
      options.log?.(`API server ${server} ready (etcd ${etcdUrl})`);
      return new ControlPlane(dir, server, token, kubeconfig, { disabled }, etcd, apiserver, exitHook);
    } catch (error) {
      await apiserver?.stop();
      await etcd?.stop();
      rmSync(dir, { recursive: true, force: true });
      exitHook.release();
      throw error;
    }
  }

  /** Stops kube-apiserver, then etcd, and removes the folder with their data. */
  async stop(): Promise<void> {
    await this.apiserver.stop();
    await this.etcd.stop();
    rmSync(this.dir, { recursive: true, force: true });
    this.exitHook.release();
  }

  /** Lines of the API server's log, for error messages. */
  apiserverLogTail(lines = 25): string {
    return this.apiserver.logTail(lines);
  }
}

class PortTakenError extends ProofError {}

/** A kubeconfig with one context named as the environment names its cluster; the server's own self-signed certificate is the CA. */
export function kubeconfigText(server: string, token: string, context: string, caFile: string): string {
  const cluster = existsSync(caFile) ? { server, 'certificate-authority': caFile } : { server, 'insecure-skip-tls-verify': true };
  return `${JSON.stringify(
    {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'proof', cluster }],
      users: [{ name: 'proof-admin', user: { token } }],
      contexts: [{ name: context, context: { cluster: 'proof', user: 'proof-admin' } }],
      'current-context': context,
    },
    null,
    2,
  )}\n`;
}

async function waitReady(server: string, token: string, etcd: ManagedProcess, apiserver: ManagedProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const process of [etcd, apiserver]) {
      if (process.hasExited) {
        const tail = process.logTail();
        const message = `${process.name} stopped while starting; the last lines of its log:\n${tail}`;
        throw /address already in use/.test(tail) ? new PortTakenError(`${process.name}: a port was taken meanwhile`) : new ProofError(message);
      }
    }
    if ((await readyz(server, token)) === 200) return;
    if (Date.now() > deadline) {
      throw new ProofError(
        `kube-apiserver at ${server} was not ready within ${Math.round(timeoutMs / 1000)} s; the last lines of its log:\n${apiserver.logTail()}\n` +
          `etcd's:\n${etcd.logTail(10)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

function readyz(server: string, token: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const req = request(`${server}/readyz`, { headers: { authorization: `Bearer ${token}` }, rejectUnauthorized: false, timeout: 5000 }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('error', () => resolve(undefined));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

/** The API server's serving certificate (self-signed, written into its cert dir at start). */
export function readCa(plane: ControlPlane): Buffer | undefined {
  const file = path.join(plane.dir, 'pki', 'apiserver.crt');
  return existsSync(file) ? readFileSync(file) : undefined;
}
