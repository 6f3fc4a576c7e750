import { containerOf, envVar, environmentWithFixtures, find, informationMediator } from './support';

describe('every X-Road secret is generated in the cluster and only referenced', () => {
  for (const name of ['sandbox', 'veloria-production']) {
    const { manifests } = informationMediator(environmentWithFixtures(name));

    it(`${name}: the security servers read admin password, token PIN and database password from Secrets`, () => {
      const servers = manifests.filter((m) => m.metadata.labels?.['app.kubernetes.io/name'] === 'xroad-security-server');
      for (const server of servers) {
        const container = containerOf(server);
        for (const variable of ['XROAD_ADMIN_PASSWORD', 'XROAD_TOKEN_PIN', 'XROAD_DB_PWD']) {
          const value = envVar(container, variable);
          if (value) expect(value).toEqual({ name: variable, valueFrom: { secretKeyRef: expect.any(Object) } });
        }
        expect(envVar(container, 'XROAD_ADMIN_USER')?.value).toBe('xroad-admin');
      }
      expect(manifests.filter((m) => m.kind === 'Secret')).toEqual([]);
    });

    it(`${name}: external-secrets generates each credential once and keeps it`, () => {
      const credentials = find(manifests, 'ExternalSecret', name === 'sandbox' ? 'ss-provider-credentials' : 'ss-gov-platform-credentials');
      expect(credentials.spec.refreshPolicy).toBe('CreatedOnce');
      expect(credentials.metadata.annotations?.['helm.sh/resource-policy']).toBe('keep');
      expect(credentials.spec.dataFrom.map((d: { rewrite: { regexp: { target: string } }[] }) => d.rewrite[0].regexp.target)).toEqual(['admin-password', 'token-pin']);
    });
  }

  it('the sandbox generates the development central server\'s credentials instead of using the image\'s published ones', () => {
    const { manifests } = informationMediator(environmentWithFixtures('sandbox'));
    expect(find(manifests, 'ExternalSecret', 'xroad-central-server-credentials').spec.refreshPolicy).toBe('CreatedOnce');
    expect(find(manifests, 'ConfigMap', 'xroad-central-server').data['start-central-server.sh']).toContain('chpasswd');
  });

  it('the sandbox\'s central server gets its token PIN as a file, written where its autologin reads it, not through its environment', () => {
    const { manifests } = informationMediator(environmentWithFixtures('sandbox'));
    const centralServer = find(manifests, 'StatefulSet', 'xroad-central-server');
    expect(envVar(containerOf(centralServer), 'XROAD_TOKEN_PIN')).toBeUndefined();
    expect(centralServer.spec.template.spec.volumes).toContainEqual({
      name: 'credentials',
      secret: { secretName: 'xroad-central-server-credentials', items: ['admin-password', 'token-pin'].map((key) => ({ key, path: key })) },
    });
    expect(find(manifests, 'ConfigMap', 'xroad-central-server').data['start-central-server.sh']).toContain('/credentials/token-pin /etc/xroad/autologin');
  });

  it('production generates the primary–secondary ssh key pair in the cluster (ed25519)', () => {
    const { manifests } = informationMediator(environmentWithFixtures('veloria-production'));
    expect(find(manifests, 'SSHKey', 'ss-gov-platform-ssh-generator').spec).toEqual({ keyType: 'ed25519', comment: 'ss-gov-platform-ssh' });
    expect(find(manifests, 'ExternalSecret', 'ss-gov-platform-ssh').spec).toMatchObject({ refreshPolicy: 'CreatedOnce', target: { name: 'ss-gov-platform-ssh' } });
  });
});
