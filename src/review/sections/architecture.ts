import type { Diagram } from '../architecture-diagrams';
import { isDnsFlow } from '../diagram';
import { list, paragraph, table, type Block, type Section } from '../document';
import type { FlowEnd } from '../network-flows';
import type { ReviewModel } from '../review-model';

function where(endpoint: FlowEnd): string {
  return endpoint.namespace ? `${endpoint.namespace}: ${endpoint.label}` : endpoint.label;
}

function diagramBlock(diagram: Diagram): Block {
  return { kind: 'diagram', svg: diagram.svg, file: diagram.file, alt: diagram.caption };
}

export function architectureSection(model: ReviewModel, diagrams: readonly Diagram[]): Section {
  const [overview, ...details] = diagrams;
  const flows = model.network.flows;
  const dns = flows.filter(isDnsFlow);
  const dnsNamespaces = new Set(dns.flatMap((f) => (f.from.namespace ? [f.from.namespace] : [])));
  const flowRows = flows.filter((f) => !isDnsFlow(f)).map((f) => [where(f.from), where(f.to), f.ports.join(', ')]);
  return {
    id: 'architecture',
    title: 'Architecture and allowed flows',
    blocks: [
      list([
        'Namespaces are coloured by role: building blocks (blue), Information Mediator (orange), ingress (purple), platform (grey); outside the cluster is dashed.',
        'The overview shows one box per namespace; the detailed diagrams after it show each layer (or, where a layer is too dense to print legibly, a few of its namespaces at a time) with its pods.',
        'In the detailed diagrams, cylinders are PostgreSQL clusters; dashed nodes are upstream charts\' pods, pods that policies name, or another namespace drawn in its own diagram; arrows are flows allowed by the NetworkPolicies (both egress and ingress), labelled with ports. Pods of a namespace that may all reach one another are said once on the namespace instead of an arrow for each pair.',
        `Cluster DNS (kube-system, port 53) is allowed from ${dnsNamespaces.size} namespace(s) and not drawn.`,
      ]),
      ...(overview ? [diagramBlock(overview)] : []),
      ...details.map(diagramBlock),
      paragraph('Every flow the NetworkPolicies allow (evaluated from the policies themselves; everything else is denied):'),
      table('flows', ['From', 'To', 'Ports'], flowRows, { empty: 'No flow is allowed besides cluster DNS.' }),
      paragraph('Hostnames served through the gateways:'),
      table(
        'routes',
        ['Hostname', 'Route', 'Gateway', 'Serves'],
        model.routes.flatMap((route) =>
          (route.hostnames.length > 0 ? route.hostnames : ['(any)']).map((host) => [host, `${route.kind} ${route.namespace}/${route.name}`, route.gateways.join('\n'), route.workloads.join('\n')]),
        ),
        { empty: 'No route: nothing is exposed through a gateway.' },
      ),
      table(
        'load-balancers',
        ['Service', 'Ports', 'Serves'],
        model.loadBalanced.map((service) => [`${service.namespace}/${service.name}`, service.ports.join(', '), service.workloads.join('\n')]),
        { empty: 'No Service of type LoadBalancer.' },
      ),
    ],
  };
}
