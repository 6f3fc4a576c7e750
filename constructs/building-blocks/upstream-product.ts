import { Construct } from 'constructs';
import { namespaceBaseline } from '../baseline/namespace-sizing';
import { SecureNamespace } from '../baseline/secure-namespace';
import type { CatalogueEntry, ProductContext } from '../catalogue/types';
import type { Environment, Size } from '../environment/schema';
import { resolveChartRepository, resolveImageParts } from '../images';
import { XRoadClientCertificate } from '../information-mediator/client-certificate';
import { providerMember, xroadClientNamespaceLabels } from '../information-mediator/contract';
import { AllowTraffic } from '../baseline/allow-traffic';
import { declareUpstreamException } from '../baseline/policy-exception';
import { UpstreamHelmChart } from '../releases/upstream-helm-chart';

export interface UpstreamProductProps {
  readonly env: Environment;
  readonly entry: CatalogueEntry;
  readonly size: Size;
  readonly ctx: ProductContext;
}

/**
 * A product installed through its own Helm charts (the entry says why): the building block's secure
 * namespace with the entry's quota, traffic allowed only between the product's own pods, and one
 * pinned upstream release per chart, in the entry's order. With a registry mirror, the charts and
 * every image they run come from it.
 */
export class UpstreamProduct extends Construct {
  constructor(scope: Construct, id: string, props: UpstreamProductProps) {
    super(scope, id);
    const { env, entry, ctx } = props;
    if (entry.deployment.kind !== 'upstream-chart') throw new Error(`${entry.product} is not deployed from upstream charts`);
    const deployment = entry.deployment;
    new SecureNamespace(this, 'Namespace', {
      name: ctx.namespace,
      ...namespaceBaseline(env, deployment.quota[props.size]),
      labels: xroadClientNamespaceLabels(providerMember(env)),
    });
    new XRoadClientCertificate(this, 'XRoadClientCertificate', { env, caller: entry.buildingBlock });
    const ownPods = [{ peers: [{ podSelector: {} }], ports: [] }];
    new AllowTraffic(this, `${entry.product}-own-pods`, { namespace: ctx.namespace, pods: {}, ingress: ownPods, egress: ownPods }).declareException(
      'NET-02',
      `${entry.displayName} runs upstream charts whose services, ports and sub-charts the kit does not render; traffic is allowed on any port, but only between pods of this namespace`,
    );
    for (const chart of deployment.charts) {
      const images = Object.fromEntries(Object.entries(chart.images).map(([role, image]) => [role, resolveImageParts(env, image)]));
      const release = new UpstreamHelmChart(this, chart.releaseName, {
        releaseName: chart.releaseName,
        namespace: ctx.namespace,
        repository: resolveChartRepository(env, chart.repository),
        chart: chart.chart,
        version: chart.version,
        // Plain data without shared references: YAML would otherwise write anchors and aliases into the values.
        values: JSON.parse(JSON.stringify(chart.values(ctx, images))) as Record<string, unknown>,
        images: [...new Set(Object.values(images).map((image) => image.reference))],
        reason: deployment.reason,
        dependsOn: chart.dependsOn,
        timeoutSeconds: 1200,
      });
      for (const { check, reason, objects } of chart.exceptions?.(ctx) ?? []) declareUpstreamException(release, check, reason, { objects });
    }
  }
}
