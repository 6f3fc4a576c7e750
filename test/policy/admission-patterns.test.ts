import { matchPattern } from '../../src/policy/checks/admission';

describe('Kyverno validate patterns, as ADM-01 applies the kit\'s ClusterPolicies to pod templates', () => {
  const images = { spec: { '=(initContainers)': [{ image: 'mirror.example/gov/* | docker.io/*' }], containers: [{ image: '*:* & !*:latest' }] } };

  it('matches wildcards, alternatives (|), conjunctions (&) and negations (!) against every list element', () => {
    expect(matchPattern(images, { spec: { containers: [{ image: 'docker.io/library/nginx:1.27' }] } }, '')).toBeUndefined();
    expect(matchPattern(images, { spec: { containers: [{ image: 'a:1' }, { image: 'b:latest' }] } }, '')).toBe('.spec.containers[1].image is "b:latest", not *:* & !*:latest');
  });

  it('checks a conditional anchor =(key) only where the key is present, and treats null as absent', () => {
    expect(matchPattern(images, { spec: { initContainers: null, containers: [{ image: 'a:1' }] } }, '')).toBeUndefined();
    expect(matchPattern(images, { spec: { initContainers: [{ image: 'quay.io/x:1' }], containers: [{ image: 'a:1' }] } }, '')).toBe(
      '.spec.initContainers[0].image is "quay.io/x:1", not mirror.example/gov/* | docker.io/*',
    );
  });

  it('requires a plain key, and ?* means any non-empty value', () => {
    const resources = { spec: { containers: [{ resources: { requests: { cpu: '?*' }, limits: { memory: '?*' } } }] } };
    expect(matchPattern(resources, { spec: { containers: [{ resources: { requests: { cpu: '100m' }, limits: { memory: '1Gi' } } }] } }, '')).toBeUndefined();
    expect(matchPattern(resources, { spec: { containers: [{ resources: { requests: { cpu: '100m' } } }] } }, '')).toBe('.spec.containers[0].resources.limits is missing');
  });
});
