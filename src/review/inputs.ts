import { collectServiceCatalogue } from '../../constructs/information-mediator/service-catalogue';
import type { Environment } from '../../constructs/environment/schema';
import type { PolicyReport, PolicyResult } from '../policy';
import type { EnvironmentSynthesis } from '../synth/synthesize';

/**
 * What the review bundle reads besides the synthesised objects: results that other parts of the
 * kit compute. Each is optional; the bundle says plainly when one is not available in a build.
 */

/** One service of the Information Mediator's catalogue and who may call it. */
export interface AccessRight {
  /** Provider member, e.g. `VELORIA/GOV/7000002`. */
  readonly provider: string;
  /** Provider subsystem code, e.g. `DIGITAL-REGISTRIES`. */
  readonly subsystem: string;
  /** X-Road service code, e.g. `registry-api`. */
  readonly service: string;
  /** Client ids (member or subsystem) allowed to call the service. */
  readonly consumers: readonly string[];
}

/** What the review shows of one environment: its synthesis and, once the policy suite has judged it, the suite's report. */
export interface ReviewSubject {
  readonly synthesis: EnvironmentSynthesis;
  /**
   * The policy suite's report on the synthesis (the review never runs the suite itself).
   * @default none: the bundle says the results are not available
   */
  readonly policy?: PolicyReport;
}

export interface ReviewInputs {
  readonly accessRights?: readonly AccessRight[];
  readonly policyResults?: readonly PolicyResult[];
}

/** The inputs of one subject: the access rights from the Information Mediator's service catalogue, the results from the policy report. */
export function collectReviewInputs(subject: ReviewSubject): ReviewInputs {
  return { accessRights: accessRightsOf(subject.synthesis.env), policyResults: subject.policy?.results };
}

function accessRightsOf(env: Environment): AccessRight[] {
  return collectServiceCatalogue(env).services.map((service) => ({
    provider: [env.xroad.instance, service.provider.member.memberClass, service.provider.member.memberCode].join('/'),
    subsystem: service.provider.subsystemCode,
    service: service.serviceCode,
    consumers: service.consumers.map((consumer) => consumer.id.replace(/:/g, '/')),
  }));
}
