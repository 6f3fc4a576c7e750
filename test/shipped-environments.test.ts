/**
 * Every specification that reads a synthesis of all the shipped environments, run against one
 * synthesis (`synthesizedShipped`, test/support/shipped.ts): synthesising them takes one and a half
 * seconds of CPU, and jest gives each spec file its own modules, so a file of its own would synthesise
 * them again. Each part stays in its folder as `*.shipped-spec.ts`; run one with
 * `npx jest test/shipped-environments.test.ts -t '<its describe title>'`.
 */
import './synth/outputs.shipped-spec';
import './synth/no-secrets.shipped-spec';
import './synth/kubernetes-schemas.shipped-spec';
import './policy/policy-suite.shipped-spec';
import './policy/limit-range-max.shipped-spec';
import './platform/platform-manifests.shipped-spec';
import './review/shipped-bundle.shipped-spec';
import './review/review-html.shipped-spec';
