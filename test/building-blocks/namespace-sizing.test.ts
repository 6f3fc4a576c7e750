import { namespaceBaseline, quotaForFootprint } from '../../constructs/baseline/namespace-sizing';
import { loadEnvironment } from '../../constructs/environment/load';
import { InformationMediator } from '../../constructs/information-mediator/information-mediator';
import { buildingBlockFootprint } from '../../constructs/building-blocks/namespace-quota';
import { enabledEntries } from '../../constructs/catalogue';

describe('one way to size a namespace from what it runs', () => {
  it('adds a quarter of headroom to the footprint and rounds up to 100m, 256Mi, whole GiB and two spare pods', () => {
    expect(quotaForFootprint({ cpuMillicores: 1000, memoryMiB: 1000, storageMiB: 1500, pods: 4 })).toEqual({ cpu: '1300m', memory: '1280Mi', storage: '2Gi', pods: 7 });
  });

  it('sizes the Information Mediator and the building blocks through it alike', () => {
    const env = loadEnvironment('veloria-production');
    const mediator = new InformationMediator(env);
    expect(namespaceBaseline(env, mediator.footprint).quota).toEqual(quotaForFootprint(mediator.footprint));
    for (const entry of enabledEntries(env).filter((e) => e.deployment.kind === 'manifests')) {
      const footprint = buildingBlockFootprint(env, entry, 'medium', 3);
      expect(namespaceBaseline(env, footprint).quota).toEqual(quotaForFootprint(footprint));
    }
  });

  it('keeps a size of the environment\'s namespaceQuotas and an upstream product\'s declared quota as they are', () => {
    const env = loadEnvironment('veloria-production');
    const small = env.platform.namespaceQuotas.small;
    expect(namespaceBaseline(env, 'small').quota).toEqual({ cpu: String(small.cpu), memory: `${small.memoryGiB}Gi`, storage: `${small.storageGiB}Gi`, pods: small.pods });
    const declared = { cpu: '4', memory: '8Gi', storage: '20Gi', pods: 30 };
    expect(namespaceBaseline(env, declared).quota).toEqual(declared);
  });
});
