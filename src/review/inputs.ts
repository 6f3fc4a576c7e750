import { collectServiceCatalogue } from '../../constructs/information-mediator/service-catalogue';
import { evaluatePolicies, policyInputOf } from '../policy';
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

/** The outcome of one policy check on one object (or Terraform resource). */
export interface PolicyResult {
  /** Check id, e.g. `POD-04`. */
  readonly check: string;
  /** The object checked, e.g. `Deployment/bb-iam/keycloak` or a Terraform address. */
  readonly object: string;
  readonly status: 'pass' | 'fail' | 'exception';
  /** Why it failed, or the declared reason of an exception. */
  readonly reason?: string;
}

/** One environment's synthesis as the review sees it: the objects and the Terraform JSON written for them. */
export interface ReviewSubject {
  readonly synthesis: EnvironmentSynthesis;
  /** Terraform JSON (`cdk.tf.json`, parsed) of each of the environment's stacks, by stack name. */
  readonly terraform: Readonly<Record<string, unknown>>;
}

export interface ReviewInputs {
  readonly accessRights?: readonly AccessRight[];
  readonly policyResults?: readonly PolicyResult[];
}

/**
 * Where other parts of the kit plug into the review bundle, one line each:
 * `accessRights` from the Information Mediator's service catalogue, `policyResults` from the policy suite.
 * A provider left out is reported as "not available in this build".
 */
export const REVIEW_INPUT_PROVIDERS: {
  readonly [Input in keyof ReviewInputs]?: (subject: ReviewSubject) => NonNullable<ReviewInputs[Input]>;
} = {
  accessRights: ({ synthesis }) =>
    collectServiceCatalogue(synthesis.env).services.map((service) => ({
      provider: [synthesis.env.xroad.instance, service.provider.member.memberClass, service.provider.member.memberCode].join('/'),
      subsystem: service.provider.subsystemCode,
      service: service.serviceCode,
      consumers: service.consumers.map((consumer) => consumer.id.replace(/:/g, '/')),
    })),
  policyResults: ({ synthesis, terraform }) =>
    evaluatePolicies(policyInputOf(synthesis, terraform as Parameters<typeof policyInputOf>[1])).results.map((result) => ({
      check: result.check,
      object: result.object,
      status: result.status,
      reason: result.reason ?? result.detail,
    })),
};

export function collectReviewInputs(subject: ReviewSubject): ReviewInputs {
  return {
    accessRights: REVIEW_INPUT_PROVIDERS.accessRights?.(subject),
    policyResults: REVIEW_INPUT_PROVIDERS.policyResults?.(subject),
  };
}
