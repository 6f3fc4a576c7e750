import { stringify } from 'yaml';
import { declaredExceptions } from '../../constructs/baseline/policy-exception';
import { CATALOGUE } from '../../constructs/catalogue/catalogue';
import { providerMember, xroadClientNamespaceLabels } from '../../constructs/information-mediator/contract';
import { BACKUP_CREDENTIALS_LABEL } from '../../constructs/platform/contract';
import type { Manifest } from '../../src/synth/manifest';
import { validateAgainstKubernetesSchemas } from '../../src/validation/kubernetes-schema';
import { scanForSecrets } from '../../src/validation/secret-scan';
import { buildingBlockManifests, environmentRunning } from '../support/building-blocks';

interface Container {
  name: string;
  image: string;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: Record<string, unknown> & { capabilities?: { drop?: string[]; add?: string[] } };
  startupProbe?: unknown;
  readinessProbe?: unknown;
  livenessProbe?: unknown;
}
interface PodSpec {
  securityContext?: Record<string, unknown> & { seccompProfile?: { type: string } };
  containers: Container[];
  initContainers?: Container[];
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
}

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'Job', 'CronJob']);

function podSpecs(manifests: readonly Manifest[]): { workload: Manifest; pod: PodSpec }[] {
  return manifests
    .filter((m) => WORKLOAD_KINDS.has(m.kind))
    .map((workload) => ({ workload, pod: (workload.spec as { template: { spec: PodSpec } }).template.spec }));
}

const rendered = CATALOGUE.filter((entry) => entry.deployment.kind === 'manifests').flatMap((entry) =>
  entry.stages.map((stage) => {
    const env = environmentRunning(entry, stage);
    return { label: `${entry.buildingBlock}/${entry.product} ${entry.version} in ${stage}`, entry, env, manifests: buildingBlockManifests(env, entry.buildingBlock) };
  }),
);

describe.each(rendered)('$label', ({ env, manifests }) => {
  it('passes strict schema validation, custom resources included where a schema exists', async () => {
    const { results } = await validateAgainstKubernetesSchemas(manifests, env.cluster.kubernetesVersion);
    expect(results.filter((result) => result.errors.length > 0)).toEqual([]);
  });

  it('runs every pod restricted: non-root numeric user, seccomp RuntimeDefault, no escalation, no capabilities', () => {
    for (const { workload, pod } of podSpecs(manifests)) {
      const context = pod.securityContext ?? {};
      expect({ workload: workload.metadata.name, runAsNonRoot: context.runAsNonRoot, seccomp: context.seccompProfile?.type }).toEqual({
        workload: workload.metadata.name,
        runAsNonRoot: true,
        seccomp: 'RuntimeDefault',
      });
      expect(typeof context.runAsUser).toBe('number');
      expect(context.runAsUser).not.toBe(0);
      if ((context.runAsUser as number) < 10000) expect(declaredExceptions(workload).has('POD-05')).toBe(true);
      for (const container of [...(pod.initContainers ?? []), ...pod.containers]) {
        const security = container.securityContext ?? {};
        expect({ container: container.name, escalation: security.allowPrivilegeEscalation, drop: security.capabilities?.drop, add: security.capabilities?.add }).toEqual({
          container: container.name,
          escalation: false,
          drop: ['ALL'],
          add: undefined,
        });
        if (security.readOnlyRootFilesystem !== true) expect(declaredExceptions(workload).has('POD-10')).toBe(true);
      }
    }
  });

  it('uses a dedicated ServiceAccount without an API token', () => {
    for (const { pod } of podSpecs(manifests)) {
      expect(pod.serviceAccountName).toBeDefined();
      expect(pod.serviceAccountName).not.toBe('default');
      expect(pod.automountServiceAccountToken).toBe(false);
    }
    for (const account of manifests.filter((m) => m.kind === 'ServiceAccount')) expect(account.automountServiceAccountToken).toBe(false);
  });

  it('pins every image to an explicit tag, never latest', () => {
    const images = podSpecs(manifests).flatMap(({ pod }) => [...(pod.initContainers ?? []), ...pod.containers].map((c) => c.image));
    expect(images.length).toBeGreaterThan(0);
    for (const image of images) expect(image).toMatch(/^[^@]+:(?!latest$)[^:/@]+(@sha256:[a-f0-9]{64})?$/);
  });

  it('gives every container requests and limits for cpu, memory and ephemeral storage', () => {
    for (const { pod } of podSpecs(manifests)) {
      for (const container of [...(pod.initContainers ?? []), ...pod.containers]) {
        for (const resource of ['cpu', 'memory', 'ephemeral-storage']) {
          expect({ container: container.name, resource, request: container.resources?.requests?.[resource] !== undefined }).toEqual({
            container: container.name,
            resource,
            request: true,
          });
          expect(container.resources?.limits?.[resource]).toBeDefined();
        }
      }
    }
  });

  it('probes every long-running container at startup, for readiness and for liveness, never with the same probe twice', () => {
    for (const { pod } of podSpecs(manifests)) {
      for (const container of pod.containers) {
        expect([container.name, Boolean(container.startupProbe && container.readinessProbe && container.livenessProbe)]).toEqual([container.name, true]);
        expect(container.readinessProbe).not.toEqual(container.livenessProbe);
      }
    }
  });

  it('contains no secret value: no Secret objects, nothing secret-looking in the YAML', () => {
    expect(manifests.filter((m) => m.kind === 'Secret')).toEqual([]);
    const yaml = manifests.map((m) => stringify(m)).join('---\n');
    expect(scanForSecrets(new Map([['building-block.yaml', yaml]]))).toEqual([]);
  });

  it('names its namespace on every namespaced object and keeps everything in its own namespace', () => {
    const namespaces = new Set(manifests.filter((m) => m.kind !== 'Namespace').map((m) => m.metadata.namespace));
    expect(namespaces.size).toBe(1);
    expect([...namespaces][0]).toMatch(/^bb-/);
  });

  it('labels its namespace with what it needs: backup credentials where its database is backed up, X-Road client access to the provider member\'s security server', () => {
    const labels = manifests.find((m) => m.kind === 'Namespace')?.metadata.labels ?? {};
    const backedUp = manifests.some((m) => m.kind === 'ScheduledBackup');
    expect(Object.entries(BACKUP_CREDENTIALS_LABEL).every(([key, value]) => labels[key] === value)).toBe(backedUp);
    expect(labels).toMatchObject(xroadClientNamespaceLabels(providerMember(env)));
  });

  it('reads its secrets from files of the mounted Secrets, or declares the product\'s reason for taking them from its environment (SEC-02)', () => {
    for (const { workload, pod } of podSpecs(manifests)) {
      const containers = [...(pod.initContainers ?? []), ...pod.containers] as (Container & SecretUse)[];
      const inEnvironment = containers.flatMap((c) => (c.env ?? []).filter((v) => v.valueFrom?.secretKeyRef));
      expect([workload.metadata.name, declaredExceptions(workload).has('SEC-02')]).toEqual([workload.metadata.name, inEnvironment.length > 0]);
      for (const container of containers) {
        for (const file of (container.env ?? []).filter((v) => v.name.endsWith('_FILE'))) {
          const mount = (container.volumeMounts ?? []).find((m) => file.value?.startsWith(`${m.mountPath}/`));
          const volume = (pod as PodSpec & SecretVolumes).volumes?.find((v) => v.name === mount?.name);
          expect([file.name, mount?.readOnly, volume?.secret?.items?.map((item) => `${mount?.mountPath}/${item.path}`)]).toEqual([file.name, true, expect.arrayContaining([file.value])]);
        }
      }
    }
  });
});

interface SecretUse {
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: unknown } }[];
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
}
interface SecretVolumes {
  volumes?: { name: string; secret?: { secretName: string; items?: { key: string; path: string }[] } }[];
}
