import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { objectId, type Manifest } from '../synth/manifest';

/**
 * API versions that once existed and are no longer served, with the Kubernetes minor version that
 * removed them. kubernetes-models merges every schema since 1.15, so without this table a manifest
 * using a removed API would still pass.
 */
const REMOVED_APIS: Readonly<Record<string, string>> = {
  'extensions/v1beta1': '1.22',
  'apps/v1beta1': '1.16',
  'apps/v1beta2': '1.16',
  'networking.k8s.io/v1beta1': '1.22',
  'rbac.authorization.k8s.io/v1beta1': '1.22',
  'policy/v1beta1': '1.25',
  'batch/v1beta1': '1.25',
  'autoscaling/v2beta1': '1.25',
  'autoscaling/v2beta2': '1.26',
  'storage.k8s.io/v1beta1': '1.27',
  'flowcontrol.apiserver.k8s.io/v1beta2': '1.29',
  'flowcontrol.apiserver.k8s.io/v1beta3': '1.32',
};

/**
 * Custom resources validated by kubernetes-models' CRD packages: `group/version/Kind` → module.
 * The packages export their compiled schemas only to ES imports by file, so they are named by path.
 */
const CUSTOM_RESOURCE_SCHEMAS: Readonly<Record<string, string>> = {
  ...crdSchemas('@kubernetes-models/gateway-api', 'gateway.networking.k8s.io/v1', 'IoK8sSigsGatewayApiApisV1', [
    'Gateway', 'GatewayClass', 'HTTPRoute', 'GRPCRoute', 'TLSRoute', 'ReferenceGrant', 'ListenerSet', 'BackendTLSPolicy',
  ]),
  ...crdSchemas('@kubernetes-models/cert-manager', 'cert-manager.io/v1', 'ComGithubCertManagerCertManagerPkgApisCertmanagerV1', [
    'Certificate', 'ClusterIssuer', 'Issuer',
  ]),
  ...crdSchemas('@kubernetes-models/prometheus-operator', 'monitoring.coreos.com/v1', 'ComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1', [
    'ServiceMonitor', 'PodMonitor', 'PrometheusRule',
  ]),
  ...crdSchemas('@kubernetes-models/external-secrets', 'external-secrets.io/v1', 'ComGithubExternalSecretsExternalSecretsApisExternalsecretsV1', [
    'ExternalSecret', 'ClusterExternalSecret', 'SecretStore', 'ClusterSecretStore',
  ]),
  ...crdSchemas('@kubernetes-models/external-secrets', 'generators.external-secrets.io/v1alpha1', 'ComGithubExternalSecretsExternalSecretsApisGeneratorsV1alpha1', [
    'Password',
  ]),
};

function crdSchemas(pkg: string, apiVersion: string, prefix: string, kinds: readonly string[]): Record<string, string> {
  const dir = (require.resolve.paths(pkg) ?? []).map((base) => path.join(base, pkg)).find((candidate) => existsSync(candidate));
  if (!dir) return {};
  return Object.fromEntries(kinds.map((kind) => [`${apiVersion}/${kind}`, pathToFileURL(path.join(dir, '_schemas', `${prefix}${kind}.js`)).href]));
}

/**
 * Enum values the controllers the kit installs accept but a schema package predates. An error at a
 * matching path is dropped only when the manifest's value there is one of `values`; any other value
 * still fails. Remove an entry once the package catches up.
 */
const NEWER_UPSTREAM_ENUM_VALUES: Readonly<Record<string, readonly { path: RegExp; values: readonly string[] }[]>> = {
  // external-secrets 2.9 has the SSHKey generator; @kubernetes-models/external-secrets 2.0.0 does not know it.
  'external-secrets.io/v1/ExternalSecret': [{ path: /^\/spec\/dataFrom\/\d+\/sourceRef\/generatorRef\/kind$/, values: ['SSHKey'] }],
};

function acceptedByNewerUpstream(manifest: Manifest, error: string): boolean {
  const pointer = error.split(' ')[0];
  const value = pointer
    .split('/')
    .slice(1)
    .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], manifest);
  return (NEWER_UPSTREAM_ENUM_VALUES[`${manifest.apiVersion}/${manifest.kind}`] ?? []).some(
    (rule) => rule.path.test(pointer) && typeof value === 'string' && rule.values.includes(value),
  );
}

/**
 * Fields the API server serves that kubernetes-models' compiled schemas leave out, so the strict pass
 * would call them unknown: `kind` → field pointers. Each was accepted by a real API server's dry-run
 * (`npm run prove`). Remove an entry once the package catches up.
 */
const MISSING_FROM_SCHEMA_PACKAGE: Readonly<Record<string, readonly string[]>> = {
  // scheduling.k8s.io/v1 PriorityClass has a top-level `description`; the package's schema lost it.
  'scheduling.k8s.io/v1/PriorityClass': ['/description'],
};

function missingFromSchemaPackage(manifest: Manifest, error: string): boolean {
  const [pointer, ...rest] = error.split(' ');
  return rest.join(' ') === `is not a field of ${manifest.kind}` && (MISSING_FROM_SCHEMA_PACKAGE[`${manifest.apiVersion}/${manifest.kind}`] ?? []).includes(pointer);
}

function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([, child]) => child !== null).map(([key, child]) => [key, withoutNulls(child)]));
}

export interface SchemaResult {
  readonly object: string;
  readonly errors: readonly string[];
}

/** The module holding the compiled schema for a core Kubernetes kind, e.g. `IoK8sApiAppsV1Deployment`. */
export function coreSchemaModule(apiVersion: string, kind: string): string {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['core', apiVersion];
  const groupName = group.split('.')[0];
  const pascal = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
  // Two groups are served by their own API servers, and their schemas are named after those.
  const prefix = OWN_SERVER_SCHEMA_PREFIX[group] ?? `IoK8sApi${pascal(groupName)}`;
  return `kubernetes-models/_schemas/${prefix}${pascal(version)}${kind}`;
}

const OWN_SERVER_SCHEMA_PREFIX: Readonly<Record<string, string>> = {
  'apiextensions.k8s.io': 'IoK8sApiextensionsApiserverPkgApisApiextensions',
  'apiregistration.k8s.io': 'IoK8sKubeAggregatorPkgApisApiregistration',
};

function minor(version: string): number {
  return Number(version.split('.')[1]);
}

/**
 * Validates manifests against the Kubernetes schemas with unknown fields rejected, and against the
 * APIs the target Kubernetes version still serves. Custom resources without a bundled schema are
 * returned in `unvalidatedKinds` so callers can keep that list explicit.
 */
export async function validateAgainstKubernetesSchemas(
  manifests: readonly Manifest[],
  kubernetesVersion: string,
): Promise<{ results: SchemaResult[]; unvalidatedKinds: string[] }> {
  const results: SchemaResult[] = [];
  const unvalidated = new Set<string>();
  const items: { manifest: Manifest; specifier: string }[] = [];
  for (const manifest of manifests) {
    const removedIn = REMOVED_APIS[manifest.apiVersion];
    if (removedIn && minor(kubernetesVersion) >= minor(removedIn)) {
      results.push({ object: objectId(manifest), errors: [`${manifest.apiVersion} is no longer served since Kubernetes ${removedIn}`] });
      continue;
    }
    const group = manifest.apiVersion.includes('/') ? manifest.apiVersion.split('/')[0] : '';
    const custom = CUSTOM_RESOURCE_SCHEMAS[`${manifest.apiVersion}/${manifest.kind}`];
    if (group.includes('.') && !group.endsWith('.k8s.io') && !custom) {
      unvalidated.add(`${manifest.apiVersion}/${manifest.kind}`);
      continue;
    }
    // The API server decodes a null field as an unset one (charts render `imagePullPolicy:` with no value).
    items.push({ manifest: withoutNulls(manifest) as Manifest, specifier: custom ?? coreSchemaModule(manifest.apiVersion, manifest.kind) });
  }
  const workerResults = await runWorker(items);
  items.forEach((item, i) =>
    results.push({
      object: objectId(item.manifest),
      errors: workerResults[i].errors.filter((error) => !acceptedByNewerUpstream(item.manifest, error) && !missingFromSchemaPackage(item.manifest, error)),
    }),
  );
  return { results, unvalidatedKinds: [...unvalidated].sort() };
}

/** A request the schema worker has not answered yet. */
interface Pending {
  readonly resolve: (results: { errors: string[] }[]) => void;
  readonly reject: (error: Error) => void;
}

/**
 * One schema worker per process, kept between validations: starting a worker and importing the schema
 * modules it needs took most of a small validation (about 80 ms each, with some thirty validations in a
 * spec file). It keeps the process alive only while it has a validation to answer.
 */
let schemaWorker: { readonly worker: Worker; readonly pending: Map<number, Pending>; next: number } | undefined;

function startSchemaWorker(): NonNullable<typeof schemaWorker> {
  const worker = new Worker(path.join(__dirname, 'schema-worker.mjs'));
  const started = { worker, pending: new Map<number, Pending>(), next: 0 };
  const failAll = (error: Error) => {
    if (schemaWorker === started) schemaWorker = undefined;
    for (const pending of started.pending.values()) pending.reject(error);
    started.pending.clear();
  };
  worker.on('message', ({ id, results }: { id: number; results: { errors: string[] }[] }) => {
    started.pending.get(id)?.resolve(results);
    started.pending.delete(id);
    if (started.pending.size === 0) worker.unref();
  });
  worker.on('error', failAll);
  worker.on('exit', (code) => failAll(new Error(`the schema worker stopped (exit code ${code})`)));
  worker.unref();
  return started;
}

function runWorker(items: readonly { manifest: Manifest; specifier: string }[]): Promise<{ errors: string[] }[]> {
  if (items.length === 0) return Promise.resolve([]);
  schemaWorker ??= startSchemaWorker();
  const { worker, pending } = schemaWorker;
  const id = (schemaWorker.next += 1);
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    worker.ref();
    worker.postMessage({ id, items });
  });
}
