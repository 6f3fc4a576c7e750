import { parse } from 'yaml';
import { HarnessError } from './harness-error';

/** An API the catalogue registers with X-Road from this pod: the security server fetches its OpenAPI document at registration. */
export interface RegisteredApi {
  /** X-Road service code. */
  readonly serviceCode: string;
  /** Where the document is served on the component, as the catalogue declares it. */
  readonly openApiPath: string;
  /** The component's port (the Service's port, the container's port). */
  readonly port: number;
}

/**
 * Fetches each API's OpenAPI document the way the security server's registration does: a plain GET
 * of the component's URL, without credentials. A product that does not serve it would fail the
 * registration Job, so the run fails here, naming the service, path and answer.
 */
export async function assertOpenApiDocumentsServed(apis: readonly RegisteredApi[], port: (p: number) => number): Promise<string[]> {
  const steps: string[] = [];
  for (const api of apis) {
    if (/^https?:\/\//.test(api.openApiPath)) {
      steps.push(`X-Road service ${api.serviceCode}: OpenAPI document at ${api.openApiPath}, outside the pod (not fetched)`);
      continue;
    }
    const url = `http://127.0.0.1:${port(api.port)}${api.openApiPath}`;
    let response: Response;
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    } catch (error) {
      throw new HarnessError(`X-Road service ${api.serviceCode}: GET ${url} failed (${(error as Error).message}); the security server fetches its OpenAPI document there at registration`);
    }
    const text = await response.text();
    if (response.status !== 200) {
      throw new HarnessError(`X-Road service ${api.serviceCode}: GET ${api.openApiPath} answered ${response.status}, so the registration Job cannot add the service (the security server fetches its OpenAPI document there without credentials); fix openApiPath in the catalogue entry`);
    }
    let document: { openapi?: unknown; paths?: Record<string, unknown> } | undefined;
    try {
      document = parse(text) as typeof document;
    } catch {
      document = undefined;
    }
    if (typeof document?.openapi !== 'string' || !document.openapi.startsWith('3.')) {
      throw new HarnessError(`X-Road service ${api.serviceCode}: ${api.openApiPath} answered 200 but not an OpenAPI 3 document (X-Road registers OPENAPI3 descriptions): ${text.slice(0, 120).replace(/\s+/g, ' ')}`);
    }
    steps.push(`X-Road service ${api.serviceCode}: OpenAPI ${document.openapi} document served at ${api.openApiPath} (${Object.keys(document.paths ?? {}).length} paths)`);
  }
  return steps;
}
