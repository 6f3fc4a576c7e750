import { PLATFORM_RELEASES } from '../../constructs/platform';
import { environmentsWith, podSpecOf, renderShipped } from '../support/upstream-render';

const environments = environmentsWith(PLATFORM_RELEASES.openbao);

describe('OpenBao, rendered by its chart with the values the kit gives it', () => {
  it('is the secret store of the shipped staging and production environments', () => {
    expect(environments.map((env) => env.name).sort()).toEqual(['marenland-staging', 'veloria-production']);
  });

  it.each(environments.map((env) => [env.name, env] as const))('in %s, audits every request to a file on the audit claim, declared in its configuration', async (_name, env) => {
    const { objects } = (await renderShipped(env)).find((shipped) => shipped.release.releaseName === PLATFORM_RELEASES.openbao)!;
    const config = Object.values((objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'openbao-config') as any).data).join('\n');
    const audit = /audit "file" "[^"]+" \{[\s\S]*?file_path = "([^"]+)"/.exec(config);
    expect(audit).not.toBeNull();
    const server = objects.find((o) => o.kind === 'StatefulSet') as any;
    expect(server.spec.volumeClaimTemplates.map((claim: any) => claim.metadata.name)).toContain('audit');
    const auditMount = (podSpecOf(server)!.containers as any[])[0].volumeMounts.find((mount: any) => mount.name === 'audit');
    expect(audit![1].startsWith(`${auditMount.mountPath}/`)).toBe(true);
  });
});
