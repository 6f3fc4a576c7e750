import { Agent, request } from 'node:https';
import type { Manifest } from '../synth/manifest';

export interface ApiResponse {
  readonly status: number;
  readonly body: string;
  /** The API server's warnings (`Warning: 299 - "…"` headers), e.g. PodSecurity's "would violate". */
  readonly warnings: readonly string[];
}

interface ResourceInfo {
  readonly resource: string;
  readonly namespaced: boolean;
}

/**
 * A minimal client for the proof's own API server: requests one object at a time so that every
 * warning and error belongs to exactly one object (kubectl prints warnings without saying whose).
 */
export class KubeApi {
  private readonly agent: Agent;
  private resources = new Map<string, ResourceInfo>();

  constructor(
    private readonly server: string,
    private readonly token: string,
  ) {
    // Loopback only, to a server started seconds ago by this process with a fresh self-signed certificate.
    this.agent = new Agent({ keepAlive: true, maxSockets: 8, rejectUnauthorized: false });
  }

  close(): void {
    this.agent.destroy();
  }

  request(method: string, urlPath: string, body?: string, contentType = 'application/json'): Promise<ApiResponse> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string> = { authorization: `Bearer ${this.token}`, accept: 'application/json' };
      if (body !== undefined) headers['content-type'] = contentType;
      const req = request(`${this.server}${urlPath}`, { method, headers, agent: this.agent, timeout: 60_000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const raw = res.headers.warning;
          const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), warnings: list.flatMap(parseWarningHeader) });
        });
      });
      req.on('error', reject);
      req.on('timeout', () => req.destroy(new Error(`${method} ${urlPath}: no answer within 60 s`)));
      if (body !== undefined) req.write(body);
      req.end();
    });
  }

  /** Reads which resources the server serves (again after CRDs were added). */
  async discover(): Promise<void> {
    const resources = new Map<string, ResourceInfo>();
    const add = async (groupVersion: string, base: string) => {
      const response = await this.request('GET', base);
      if (response.status !== 200) return;
      for (const r of (JSON.parse(response.body) as { resources: { name: string; kind: string; namespaced: boolean }[] }).resources) {
        if (!r.name.includes('/')) resources.set(`${groupVersion} ${r.kind}`, { resource: r.name, namespaced: r.namespaced });
      }
    };
    await add('v1', '/api/v1');
    const groups = JSON.parse((await this.request('GET', '/apis')).body) as { groups: { versions: { groupVersion: string }[] }[] };
    await Promise.all(groups.groups.flatMap((g) => g.versions.map((v) => add(v.groupVersion, `/apis/${v.groupVersion}`))));
    this.resources = resources;
  }

  /** The URL path of an object, or undefined when the server serves no such kind. */
  objectPath(object: Manifest, defaultNamespace: string | undefined): { collection: string; name?: string } | undefined {
    const info = this.resources.get(`${object.apiVersion} ${object.kind}`);
    if (!info) return undefined;
    const base = object.apiVersion.includes('/') ? `/apis/${object.apiVersion}` : `/api/${object.apiVersion}`;
    const namespace = object.metadata.namespace ?? defaultNamespace;
    const scope = info.namespaced ? `/namespaces/${encodeURIComponent(namespace ?? 'default')}` : '';
    return { collection: `${base}${scope}/${info.resource}`, name: object.metadata.name };
  }
}

/** `299 - "message"` (RFC 7234, as the API server sends it) → `message`. */
export function parseWarningHeader(header: string): string[] {
  const found: string[] = [];
  const pattern = /\d{3} \S+ "((?:[^"\\]|\\.)*)"/g;
  for (let match = pattern.exec(header); match; match = pattern.exec(header)) found.push(match[1].replace(/\\(.)/g, '$1'));
  return found.length > 0 ? found : [header];
}

/** The message of a Kubernetes Status body, or the raw body. */
export function statusMessage(response: ApiResponse): string {
  try {
    const status = JSON.parse(response.body) as { message?: string };
    if (status.message) return status.message;
  } catch {
    // not JSON
  }
  return `HTTP ${response.status}: ${response.body.slice(0, 500)}`;
}
