import { Chart, Testing } from 'cdk8s';
import { ReviewFile } from '../../charts/review-file';

describe('a review file (written to dist/<env>/<file>)', () => {
  const chart = () => new Chart(Testing.app(), 'chart');

  it('is a relative lowercase path', () => {
    expect(new ReviewFile(chart(), 'file', { file: 'xroad/service-catalogue.md', content: 'x' }).file).toBe('xroad/service-catalogue.md');
    expect(() => new ReviewFile(chart(), 'file', { file: '../outside.md', content: 'x' })).toThrow(/relative lowercase path/);
  });

  it('stays out of the folders the synthesis writes itself', () => {
    for (const file of ['manifests/x.yaml', 'upstream-charts/x.yaml']) {
      expect(() => new ReviewFile(chart(), 'file', { file, content: 'x' })).toThrow(/outside manifests\/ and upstream-charts\//);
    }
  });
});
