import { loadEnvironment } from '../../constructs/environment/load';
import { buildReviewModel } from '../../src/review/review-model';
import { splitImageReference, upstreamImage } from '../../src/review/offline';
import { fixtureSubject } from './fixture';

describe('the offline bundle lists', () => {
  it('list every image of the manifests and the upstream charts once, sorted, upstream images through the mirror', () => {
    const model = buildReviewModel(fixtureSubject());
    expect(model.images).toEqual([
      'docker.io/fluent/fluent-bit:3.2.4',
      'docker.io/library/nginx:1.27.3',
      'docker.io/library/redis:7.4.2',
      'docker.io/niis/xroad-security-server-sidecar:7.8.0',
      'docker.io/oliver006/redis_exporter:v1.67.0',
      'ghcr.io/cloudnative-pg/postgresql:16.15-minimal-trixie',
      'registry.example/registry/api:2.1.0',
      'registry.fixtures.example/govstack/envoyproxy/gateway:v1.5.0',
    ]);
    expect(model.charts).toEqual(['oci://docker.io/envoyproxy gateway-helm 1.5.0']);
  });

  it('name upstream images at their source registry when no mirror is set, pinned by digest when the environment lists one', () => {
    const sandbox = loadEnvironment('sandbox');
    const digest = `sha256:${'a'.repeat(64)}`;
    const pinned = { ...sandbox, registry: { ...sandbox.registry, digests: { 'envoyproxy/gateway:v1.5.0': digest } } };
    expect(upstreamImage(sandbox, 'envoyproxy/gateway:v1.5.0')).toBe('docker.io/envoyproxy/gateway:v1.5.0');
    expect(upstreamImage(pinned, 'envoyproxy/gateway:v1.5.0')).toBe(`docker.io/envoyproxy/gateway:v1.5.0@${digest}`);
  });

  it('split an image into repository, tag and digest for the review tables', () => {
    expect(splitImageReference('registry:5000/a/b:1.2@sha256:ff')).toEqual({ repository: 'registry:5000/a/b', tag: '1.2', digest: 'sha256:ff' });
    expect(splitImageReference('registry:5000/a/b')).toEqual({ repository: 'registry:5000/a/b', tag: undefined, digest: undefined });
  });
});
