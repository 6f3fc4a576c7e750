import { parse } from 'yaml';
import { LOKI_OBJECT_STORE_SECRET, PLATFORM_RELEASES } from '../../constructs/platform';
import { containersOf, environmentsWith, renderShipped } from '../support/upstream-render';

const environments = environmentsWith(PLATFORM_RELEASES.loki);

/** Loki's rendered release, its StatefulSet and the configuration the chart writes for it. */
async function renderedLoki(env: (typeof environments)[number]) {
  const loki = (await renderShipped(env)).find((shipped) => shipped.release.releaseName === PLATFORM_RELEASES.loki)!;
  const workloads = loki.objects.filter((o) => ['Deployment', 'StatefulSet', 'DaemonSet'].includes(o.kind));
  const config = loki.objects.find((o) => ['ConfigMap', 'Secret'].includes(o.kind) && (o as any).data?.['config.yaml']) as any;
  return { loki, workloads, statefulSet: workloads[0] as any, config: parse(config.data['config.yaml']) };
}

describe('Loki, rendered by its chart with the values the kit gives it', () => {
  it('is installed in every shipped environment', () => {
    expect(environments.map((env) => env.name).sort()).toEqual(['marenland-staging', 'sandbox', 'veloria-production']);
  });

  it.each(environments.map((env) => [env.name, env] as const))('renders in %s as monolithic Loki only, without simple-scalable targets', async (_name, env) => {
    const { workloads, statefulSet } = await renderedLoki(env);
    expect(workloads.map((w) => `${w.kind}/${w.metadata.name}`)).toEqual(['StatefulSet/loki']);
    expect(containersOf([statefulSet]).map(({ container }) => container.args)).toContainEqual(expect.arrayContaining(['-target=all']));
  });

  it('keeps the sandbox\'s logs on one replica\'s own claim of the data class', async () => {
    const env = environments.find((e) => e.stage === 'sandbox')!;
    const { statefulSet, config } = await renderedLoki(env);
    expect(statefulSet.spec.replicas).toBe(1);
    expect(config.common.replication_factor).toBe(1);
    expect(config.schema_config.configs[0].object_store).toBe('filesystem');
    expect(statefulSet.spec.volumeClaimTemplates).toEqual([
      expect.objectContaining({ spec: expect.objectContaining({ storageClassName: env.cluster.storageClasses.data, resources: { requests: { storage: '5Gi' } } }) }),
    ]);
  });

  it.each(environments.filter((env) => env.stage !== 'sandbox').map((env) => [env.name, env] as const))(
    'in %s, writes every log line to three replicas on three nodes and keeps chunks and index in the object store, no replica a single point of failure',
    async (_name, env) => {
      const { loki, statefulSet, config } = await renderedLoki(env);
      expect(statefulSet.spec.replicas).toBe(3);
      expect(config.common.replication_factor).toBe(3);
      expect(config.schema_config.configs[0].object_store).toBe('s3');
      expect(config.common.storage.s3).toEqual(
        expect.objectContaining({ bucketnames: `${env.platform.backups.target!.bucket}-logs`, access_key_id: '${ACCESS_KEY_ID}', secret_access_key: '${ACCESS_SECRET_KEY}', sse: expect.objectContaining({ type: expect.stringMatching(/^SSE-(S3|KMS)$/) }) }),
      );
      const [container] = containersOf([statefulSet]).map(({ container }) => container);
      expect(container.args).toContain('-config.expand-env=true');
      expect(container.envFrom).toEqual([{ secretRef: { name: LOKI_OBJECT_STORE_SECRET } }]);
      expect(statefulSet.spec.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution).toEqual([
        expect.objectContaining({ topologyKey: 'kubernetes.io/hostname' }),
      ]);
      expect(loki.objects.find((o) => o.kind === 'PodDisruptionBudget')?.spec).toEqual(expect.objectContaining({ maxUnavailable: 1 }));
    },
  );
});
