import { loadEnvironment } from '../../constructs/environment/load';
import { resilience } from '../../constructs/environment/resilience';
import type { Environment } from '../../constructs/environment/schema';

const staging = loadEnvironment('marenland-staging');
const withHa = (env: Environment, level: Environment['ha']['level']): Environment => ({ ...env, ha: { level } });

describe('the resolved stage and HA decisions', () => {
  it('lets the HA level decide how many copies run, databases included', () => {
    expect(resilience(withHa(staging, 'single'))).toMatchObject({ controllerReplicas: 1, quorumReplicas: 1, databaseInstances: 1, spreads: false });
    expect(resilience(withHa(staging, 'replicated'))).toMatchObject({ controllerReplicas: 2, quorumReplicas: 3, databaseInstances: 3, spreads: true });
  });

  it('spreads over nodes, and over zones too in a multi-zone environment', () => {
    expect(resilience(withHa(staging, 'replicated'))).toMatchObject({ spreadKey: 'kubernetes.io/hostname', spreadKeys: ['kubernetes.io/hostname'] });
    expect(resilience(withHa(staging, 'multi-zone'))).toMatchObject({
      spreadKey: 'topology.kubernetes.io/zone',
      spreadKeys: ['kubernetes.io/hostname', 'topology.kubernetes.io/zone'],
    });
  });

  it('lets the stage decide how strict the rules are', () => {
    const production = loadEnvironment('veloria-production');
    const sandbox = loadEnvironment('sandbox');
    expect(resilience(production)).toMatchObject({ spreadIsRequired: true, singleReplicaIsException: true, databaseBackups: true, egressAnywhereNeedsReason: true, observabilityVolume: '50Gi' });
    expect(resilience(staging)).toMatchObject({ spreadIsRequired: false, singleReplicaIsException: false, egressAnywhereNeedsReason: true });
    expect(resilience(sandbox)).toMatchObject({ spreadIsRequired: false, databaseBackups: false, egressAnywhereNeedsReason: false, observabilityVolume: '5Gi' });
  });

  it('keeps no database backups where the environment turns backups off', () => {
    const off = { ...staging, platform: { ...staging.platform, backups: { ...staging.platform.backups, enabled: false } } };
    expect(resilience(off).databaseBackups).toBe(false);
  });
});
