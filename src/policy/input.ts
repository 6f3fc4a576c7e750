import { declaredUpstreamExceptions, upstreamExceptionsOf } from '../../constructs/baseline/policy-exception';
import { declaredUpstreamWorkloads } from '../../constructs/baseline/upstream-workloads';
import type { UpstreamHelmChart } from '../../constructs/releases/upstream-helm-chart';
import type { EnvironmentSynthesis } from '../synth/synthesize';
import type { PolicyInput, UpstreamChartFacts } from './types';

/** The suite's input from one environment's synthesis. */
export function policyInputOf(synthesis: EnvironmentSynthesis): PolicyInput {
  return {
    env: synthesis.env,
    manifests: synthesis.components.flatMap((component) => component.manifests),
    upstreamCharts: synthesis.assembly.upstreamCharts.map(upstreamChartFacts),
    rendered: synthesis.rendered,
    terraform: synthesis.terraform,
  };
}

/** What the construct tree knows about an upstream release: its props plus declared exceptions and workloads. */
export function upstreamChartFacts(chart: UpstreamHelmChart): UpstreamChartFacts {
  const { releaseName, namespace, repository, chart: name, version, values, images, holdsData } = chart.props;
  return {
    releaseName,
    namespace,
    repository,
    chart: name,
    version,
    values,
    images,
    holdsData,
    exceptions: Object.fromEntries(declaredUpstreamExceptions(chart)),
    scopedExceptions: upstreamExceptionsOf(chart).flatMap(({ check, reason, objects }) => (objects ? [{ check, reason, objects }] : [])),
    workloads: declaredUpstreamWorkloads(chart),
  };
}
