import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import type { ProbeSpec } from './pod-workloads';

/** One attempt of a probe: passed, or why not. */
export interface ProbeAttempt {
  readonly passed: boolean;
  readonly detail: string;
}

/** Kubernetes' probe defaults (core/v1 Probe). */
export const PROBE_DEFAULTS = { initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 3 } as const;

/** How long the kubelet gives a probe before it gives up: the initial delay plus failureThreshold periods. */
export function probeBudgetSeconds(probe: ProbeSpec): number {
  const p = { ...PROBE_DEFAULTS, ...probe };
  return p.initialDelaySeconds + p.failureThreshold * p.periodSeconds;
}

/** Runs an exec probe's command in the container and says whether it exited 0 within the timeout. */
export type ExecProbe = (command: readonly string[], timeoutSeconds: number) => Promise<ProbeAttempt>;

/** An HTTP or TCP probe against loopback, as the kubelet sends it (2xx and 3xx pass), or an exec probe through `exec`. */
export async function probeOnce(probe: ProbeSpec, port: number, exec?: ExecProbe): Promise<ProbeAttempt> {
  const timeoutMs = (probe.timeoutSeconds ?? PROBE_DEFAULTS.timeoutSeconds) * 1000;
  if (probe.httpGet) {
    const requester = probe.httpGet.scheme === 'HTTPS' ? httpsRequest : httpRequest;
    const target = `${probe.httpGet.scheme === 'HTTPS' ? 'https' : 'http'}://127.0.0.1:${port}${probe.httpGet.path ?? '/'}`;
    return new Promise((resolve) => {
      const req = requester(target, { method: 'GET', timeout: timeoutMs, rejectUnauthorized: false, headers: { 'User-Agent': 'kube-probe/1.35' } }, (res) => {
        res.resume();
        const code = res.statusCode ?? 0;
        resolve({ passed: code >= 200 && code < 400, detail: `GET ${target} answered ${code}` });
      });
      req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
      req.on('error', (error) => resolve({ passed: false, detail: `GET ${target}: ${error.message}` }));
      req.end();
    });
  }
  if (probe.tcpSocket) {
    return new Promise((resolve) => {
      const socket = connect({ host: '127.0.0.1', port, timeout: timeoutMs });
      socket.once('connect', () => {
        socket.destroy();
        resolve({ passed: true, detail: `TCP 127.0.0.1:${port} accepted` });
      });
      socket.once('timeout', () => {
        socket.destroy();
        resolve({ passed: false, detail: `TCP 127.0.0.1:${port}: no answer within ${timeoutMs / 1000} s` });
      });
      socket.once('error', (error) => resolve({ passed: false, detail: `TCP 127.0.0.1:${port}: ${error.message}` }));
    });
  }
  if (probe.exec && exec) return exec(probe.exec.command, probe.timeoutSeconds ?? PROBE_DEFAULTS.timeoutSeconds);
  return { passed: false, detail: probe.exec ? 'an exec probe with no container to run it in' : 'a probe the harness cannot send (grpc)' };
}
