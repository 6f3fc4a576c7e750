import { Construct } from 'constructs';
import { namespaceBaseline } from '../baseline/namespace-sizing';
import { SecureNamespace } from '../baseline/secure-namespace';
import type { CatalogueEntry, ProductContext, UpstreamChartException } from '../catalogue/types';
import type { Environment, Size } from '../environment/schema';
import { XRoadClientCertificate } from '../information-mediator/client-certificate';
import { providerMember, xroadClientNamespaceLabels } from '../information-mediator/contract';
import { AllowTraffic } from '../baseline/allow-traffic';
import { PinnedRelease, type ScopedException } from '../releases/pinned-release';

export interface UpstreamProductProps {
  readonly env: Pick<Environment, 'cluster' | 'name' | 'platform' | 'registry' | 'xroad'>;
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
      new PinnedRelease(this, chart.releaseName, {
        env,
        chart,
        releaseName: chart.releaseName,
        namespace: ctx.namespace,
        values: (images) => ({ ...chart.values(ctx, images) }),
        reason: deployment.reason,
        dependsOn: chart.dependsOn,
        timeoutSeconds: 1200,
        exceptions: exceptionsByCheck(chart.exceptions?.(ctx) ?? []),
      });
    }
  }
}

/** A catalogue entry's exceptions, grouped by check as a pinned release takes them. */
function exceptionsByCheck(exceptions: readonly UpstreamChartException[]): Record<string, ScopedException[]> {
  const byCheck: Record<string, ScopedException[]> = {};
  for (const { check, reason, objects } of exceptions) (byCheck[check] ??= []).push({ reason, objects });
  return byCheck;
}
