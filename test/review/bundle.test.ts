import { enabledEntries } from '../../constructs/catalogue';
import { loadEnvironment } from '../../constructs/environment/load';
import { buildReviewModel, type ReviewModel } from '../../src/review/review-model';
import { informationMediatorSection } from '../../src/review/sections/information-mediator';
import { reviewBundleFiles } from '../../src/review/write-bundle';
import { fixtureSubject } from './fixture';

const NO_CHANGES = { basis: 'first', changes: [] } as const;
const SVG = '<?xml version="1.0"?>\n<!DOCTYPE svg>\n<!-- graphviz -->\n<svg xmlns="http://www.w3.org/2000/svg"><g id="graph0"></g></svg>\n';
const DIAGRAMS = [{ file: 'architecture.svg', caption: 'Overview', svg: SVG }];

describe('the review bundle', () => {
  const model = buildReviewModel(fixtureSubject());
  const files = reviewBundleFiles(model, DIAGRAMS, NO_CHANGES);
  const markdown = files.get('REVIEW.md')!;
  const html = files.get('review.html')!;

  it('writes the review, the diagram, capacity.json, the offline lists, the change report and the upstream charts\' values', () => {
    expect([...files.keys()].sort()).toEqual([
      'REVIEW.md', 'architecture.svg', 'capacity.json', 'changes.json', 'charts.txt', 'images.txt', 'review.html', 'upstream-charts/envoy-gateway.yaml',
    ]);
    expect(files.get('images.txt')).toBe(`${model.images.join('\n')}\n`);
    expect(JSON.parse(files.get('capacity.json')!)).toEqual(expect.objectContaining({ units: { cpu: 'millicores', memory: 'bytes', storage: 'bytes' }, nodes: model.capacity.nodes }));
    expect(files.get('upstream-charts/envoy-gateway.yaml')).toMatch(/chart: gateway-helm\n[\s\S]*version: 1.5.0/);
  });

  it('names every workload with its replicas and images, and every exposed hostname', () => {
    for (const workload of model.workloads) {
      expect(markdown).toContain(`${workload.kind} ${workload.name}`);
      for (const image of workload.images) expect(markdown).toContain(image.split(':')[0]);
    }
    expect(markdown).toContain('| registry.gov.fixtures.example | HTTPRoute bb-registry/registry | envoy-gateway-system/external |');
    expect(markdown).toContain('| Deployment registry-api | bb-registry | registry | 2 |');
  });

  it('lists declared exceptions from the objects', () => {
    expect(markdown).toContain('| NS-01 | Namespace/xroad | the X-Road security server sidecar image runs its services as root |');
  });

  it('says plainly what it cannot show when a part of the kit provides no input', () => {
    const text = reviewBundleFiles({ ...model, inputs: {} }, DIAGRAMS, NO_CHANGES).get('REVIEW.md')!;
    expect(text).toContain('The access-rights matrix (the Information Mediator\'s service catalogue) is not available in this build.');
    expect(text).toContain('Policy check results are not available in this build');
  });

  it('takes the access rights from the Information Mediator\'s service catalogue and the results from the policy suite', () => {
    expect(model.inputs.accessRights).toBeDefined();
    expect(model.inputs.policyResults?.length).toBeGreaterThan(0);
    expect(markdown).not.toContain('not available in this build');
  });

  it('renders the access-rights matrix and the policy results once they are provided', () => {
    const withInputs = {
      ...model,
      inputs: {
        accessRights: [
          { provider: 'FIXTURES/GOV/1000002', subsystem: 'REGISTRY', service: 'registry-api', consumers: ['FIXTURES/GOV/1000003/PORTAL'] },
          { provider: 'FIXTURES/GOV/1000002', subsystem: 'REGISTRY', service: 'admin-api', consumers: [] },
        ],
        policyResults: [
          { check: 'POD-04', object: 'Deployment/bb-registry/registry-api', status: 'pass' as const },
          { check: 'RES-01', object: 'Deployment/bb-registry/registry-api', status: 'fail' as const, detail: 'container proxy has no memory limit' },
          { check: 'POD-05', object: 'Deployment/xroad/ss-gov-platform', status: 'exception' as const, reason: 'the sidecar image runs as root' },
        ],
      },
    };
    const text = reviewBundleFiles(withInputs, DIAGRAMS, NO_CHANGES).get('REVIEW.md')!;
    expect(text).toContain('| Provider subsystem | Service | FIXTURES/GOV/1000003/PORTAL |');
    expect(text).toContain('| FIXTURES/GOV/1000002/REGISTRY | registry-api | ✓ |');
    expect(text).toContain('| FIXTURES/GOV/1000002/REGISTRY | admin-api |   |');
    // What makes the matrix hold between building blocks: the client certificate, not the NetworkPolicy.
    expect(text).toContain('every subsystem is registered with connection type HTTPS');
    expect(text).toContain('they cannot tell subsystems apart on that port: the certificate does');
    expect(text).toContain('| RES-01 | Deployment/bb-registry/registry-api | container proxy has no memory limit |');
    expect(text).toContain('| POD-05 | Deployment/xroad/ss-gov-platform | the sidecar image runs as root |');
    expect(text).toContain('3 results: 1 passed, 1 failed, 1 accepted as declared exceptions.');
    expect(text).not.toContain('not available in this build');
  });

  it('makes an HTML page that needs nothing from the network: inline style, inline diagram, no script', () => {
    expect(html).toContain('<svg xmlns="http://www.w3.org/2000/svg"><g id="graph0"></g></svg>');
    expect(html).not.toMatch(/<script|<link|<img|@import|url\(|<!DOCTYPE svg|<\?xml/);
    expect(html).toContain('content="default-src \'none\'; style-src \'unsafe-inline\'; img-src data:"');
  });

  it('escapes text in HTML and pipes in Markdown tables', () => {
    const hostile = { ...model, declaredExceptions: [{ check: 'NET-01', object: 'x', reason: '<b>a|b</b> `code`' }] };
    const bundle = reviewBundleFiles(hostile, DIAGRAMS, NO_CHANGES);
    expect(bundle.get('review.html')).toContain('&lt;b&gt;a|b&lt;/b&gt; <code>code</code>');
    expect(bundle.get('REVIEW.md')).toContain('<b>a\\|b</b> `code`');
  });
});

describe('the Information Mediator section of a shipped environment', () => {
  it('lists as a declared limitation each calling product that cannot present its X-Road client certificate itself', () => {
    const env = loadEnvironment('sandbox');
    const section = informationMediatorSection({ ...buildReviewModel(fixtureSubject()), env } as ReviewModel);
    const limitations = section.blocks.find((block) => block.kind === 'table' && block.id === 'xroad-client-limitations') as { rows: string[][] } | undefined;
    expect(limitations?.rows.length).toBeGreaterThan(0);
    expect(limitations?.rows.map((row) => row.slice(0, 2))).toEqual(
      enabledEntries(env)
        .filter((entry) => entry.calls.length > 0)
        .map((entry) => [entry.buildingBlock, entry.displayName]),
    );
  });
});
