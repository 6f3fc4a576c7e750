import { drawDiagrams, planDiagrams } from '../../src/review/architecture-diagrams';
import * as detailDiagram from '../../src/review/detail-diagram';
import type { DiagramInput } from '../../src/review/diagram';
import type { FlowEnd, FlowRow } from '../../src/review/network-flows';

const chart = (namespace: string, release: string): FlowEnd => ({ id: `${namespace}/chart/${release}`, label: `${release} (upstream chart)`, namespace, kind: 'upstream-chart', ports: [] });
const address = (cidr: string): FlowEnd => ({ id: `addresses:${cidr}`, label: `addresses ${cidr}`, kind: 'addresses', ports: [] });
const flow = (from: FlowEnd, to: FlowEnd, ports = ['any port']): FlowRow => ({ from, to, ports });

const services = ['authmanager', 'idrepo', 'keymanager'].map((release) => chart('bb-identity', release));
const [authmanager, idrepo] = services;
const apiServer = ['10.0.0.1/32', '10.0.0.2/32', '10.0.0.3/32'].map(address);
const cnpg = chart('cnpg-system', 'cloudnative-pg');
const iam = [chart('bb-iam', 'keycloak'), chart('bb-iam', 'keycloak-db')];

const input: DiagramInput = {
  environment: 'atlantis-production',
  endpoints: [...iam, ...services, ...apiServer, cnpg],
  flows: [
    ...services.flatMap((from) => services.filter((to) => to !== from).map((to) => flow(from, to))),
    ...apiServer.map((server) => flow(cnpg, server, ['TCP 6443'])),
    flow(cnpg, idrepo, ['TCP 8080', 'TCP 8443']),
  ],
  namespaceLayers: new Map([
    ['bb-iam', 'building-blocks'],
    ['bb-identity', 'building-blocks'],
    ['cnpg-system', 'platform'],
  ]),
  loadBalanced: new Map(),
};

describe('the architecture diagrams', () => {
  const { detailDot } = detailDiagram;
  const identity = detailDot(input, ['bb-identity'], 'identity', { rankdir: 'TB', ports: true, neighbours: 'namespace' });

  it('say once that the pods of a namespace may all reach one another, instead of an arrow for every pair', () => {
    expect(identity).toContain('bb-identity (building block)\\nevery pod here may reach every other: any port');
    expect(identity).not.toContain(`"${authmanager.id}" -> "${idrepo.id}"`);
  });

  it('draw another namespace as one box, with the ports of every flow to or from it on one arrow', () => {
    expect(identity).toContain('"namespace:cnpg-system" [label="cnpg-system\\n(platform)"');
    expect(identity).toContain(`"namespace:cnpg-system" -> "${idrepo.id}" [label="TCP 8080, 8443"]`);
  });

  it('draw address blocks that the same pods reach on the same ports as one box', () => {
    const platform = detailDot(input, ['cnpg-system'], 'platform', { rankdir: 'LR', ports: true, neighbours: 'namespace' });
    const merged = apiServer.map((a) => a.id).join('+');
    expect(platform).toContain(`"${cnpg.id}" -> "${merged}" [label="TCP 6443"]`);
    expect(platform).not.toContain(`-> "${apiServer[0].id}"`);
  });

  it('group other namespaces by role in the version that leaves most to the flows table', () => {
    const grouped = detailDot(input, ['bb-identity'], 'identity', { rankdir: 'TB', ports: false, neighbours: 'role' });
    expect(grouped).toContain('"role:platform" [label="platform:\\ncnpg-system"');
    expect(grouped).not.toContain('label="TCP');
  });

  it('show a layer whole when it prints legibly, in the version that says most, and in parts when it does not', () => {
    const plan = planDiagrams(input);
    // every graph lays out 600 pt wide (legible on A4) but the building blocks' whole layer, and the platform's versions with ports
    const tooWide = (dot: string) =>
      dot.startsWith('digraph "atlantis-production building-blocks" {') || (dot.startsWith('digraph "atlantis-production platform" {') && dot.includes('label="TCP'));
    const laidOut: string[] = [];
    const [shown] = drawDiagrams([plan], (graphs) => {
      laidOut.push(...graphs);
      return graphs.map((dot) => ({ svg: `<svg>${dot.split('\n')[0]}</svg>`, width: tooWide(dot) ? 2000 : 600, height: 300 }));
    });
    expect(shown.map((d) => d.file)).toEqual(['architecture.svg', 'architecture-building-blocks-1.svg', 'architecture-building-blocks-2.svg', 'architecture-platform.svg']);
    expect(shown[1].caption).toContain('bb-iam: pods, databases and upstream charts, and the flows their NetworkPolicies allow (ports on the arrows)');
    expect(shown[3].caption).toContain('too many to print their ports legibly');
    // laid out only until one fits: the overview once; the platform (one part) with ports both ways, then without;
    // the building blocks whole only with ports (both ways), then its two parts once each
    expect(laidOut).toHaveLength(1 + 3 + 2 + 2);
  });

  it('draw a version only when it is tried: the versions after the one that prints are never made', () => {
    const drawn = jest.spyOn(detailDiagram, 'detailDot');
    try {
      const plan = planDiagrams(input);
      expect(drawn).not.toHaveBeenCalled();
      const laidOut: string[] = [];
      drawDiagrams([plan], (graphs) => {
        laidOut.push(...graphs);
        return graphs.map(() => ({ svg: '<svg/>', width: 600, height: 300 }));
      });
      // everything prints in its first version: one overview, and each detailed diagram drawn once
      expect(drawn.mock.calls.length).toBe(laidOut.length - 1);
      expect(drawn.mock.calls.length).toBeLessThan(plan.layers.flatMap((layer) => [layer.whole, ...layer.parts]).reduce((sum, d) => sum + d.versions.length, 0));
    } finally {
      drawn.mockRestore();
    }
  });
});
