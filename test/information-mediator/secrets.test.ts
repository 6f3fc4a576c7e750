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

    it(`${name}: one generator Job creates the missing Secrets once, allowed to read only those`, () => {
      const jobs = manifests.filter((m) => m.kind === 'Job' && m.metadata.name.startsWith('xroad-secrets-'));
      expect(jobs).toHaveLength(1);
      const list = find(manifests, 'ConfigMap', 'xroad-secrets-input').data['secrets.list'].trim().split('\n');
      const role = find(manifests, 'Role', 'xroad-secrets');
      expect(role.rules).toEqual([
        { apiGroups: [''], resources: ['secrets'], verbs: ['create'] },
        { apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: list.map((line: string) => line.split(' ')[1]) },
      ]);
      expect(list).toContain(name === 'sandbox' ? 'credentials xroad-central-server-credentials admin-password token-pin' : 'ssh-key ss-gov-platform-ssh');
    });
  }
});
