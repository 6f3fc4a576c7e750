import { isDnsFlow } from '../diagram';
import { list, paragraph, table, type Section } from '../document';
import type { Endpoint } from '../network-flows';
import type { ReviewModel } from '../review-model';

function where(endpoint: Endpoint): string {
  return endpoint.namespace ? `${endpoint.namespace}: ${endpoint.label}` : endpoint.label;
}

export function architectureSection(model: ReviewModel, svg: string): Section {
  const flows = model.network.flows;
  const dns = flows.filter(isDnsFlow);
  const dnsNamespaces = new Set(dns.flatMap((f) => (f.from.namespace ? [f.from.namespace] : [])));
  const flowRows = flows.filter((f) => !isDnsFlow(f)).map((f) => [where(f.from), where(f.to), f.ports.join(', ')]);
  return {
    id: 'architecture',
    title: 'Architecture and allowed flows',
    blocks: [
      { kind: 'diagram', svg, file: 'architecture.svg', alt: `Architecture of ${model.env.name}: namespaces, workloads and the flows their NetworkPolicies allow` },
      list([
        'Boxes are namespaces, coloured by role: building blocks (blue), Information Mediator (orange), ingress (purple), platform (grey); outside the cluster is dashed.',
        'Cylinders are PostgreSQL clusters; dashed nodes are upstream charts\' pods or pods that policies name; arrows are flows allowed by the NetworkPolicies (both egress and ingress), labelled with ports.',
        `Cluster DNS (kube-system, port 53) is allowed from ${dnsNamespaces.size} namespace(s) and not drawn.`,
      ]),
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
