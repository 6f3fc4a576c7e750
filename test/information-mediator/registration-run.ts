import { loadEnvironment } from '../../constructs/environment/load';
import type { RegistrationInput } from '../../constructs/information-mediator';
import type { Manifest } from '../../src/synth/manifest';
import { renderComponents } from '../../src/synth/render';
import { assembleCountry } from '../../stacks/country';
import type { RecordedRequest } from './fake-security-server';
import type { LocalRun } from './local-cron-job';

/** The CronJob paces itself to X-Road's rate limits (0.25 s a request); the fake has none. */
export const UNPACED = { XROAD_API_MIN_INTERVAL: '0' } as const;

export interface SynthesisedRegistration {
  /** The manifests of the member's security server component. */
  readonly manifests: readonly Manifest[];
  readonly cronJob: string;
  readonly input: RegistrationInput;
}

/** A shipped environment's registration CronJob of one member's security server, as synthesised. */
export function synthesisedRegistration(environment: string, member: string): SynthesisedRegistration {
  const component = renderComponents(assembleCountry(loadEnvironment(environment))).find((c) => c.component === `xroad-ss-${member}`);
  if (!component) throw new Error(`${environment} has no security server for member ${member}`);
  const cronJob = `ss-${member}-register-services`;
  const configMap = component.manifests.find((m) => m.kind === 'ConfigMap' && m.metadata.name === cronJob) as unknown as { data: Record<string, string> };
  return { manifests: component.manifests, cronJob, input: JSON.parse(configMap.data['input.json']) };
}

/** Writes other than the login and the run's own temporary API key, as `METHOD /decoded/path`. */
export function changesIn(requests: readonly RecordedRequest[]): string[] {
  return requests
    .filter((r) => r.method !== 'GET' && r.path !== '/login' && !r.path.startsWith('/api/v1/api-keys'))
    .map((r) => `${r.method} ${decodeURIComponent(r.path)}`);
}

/** The run, if it exited 0; otherwise an error with its output. */
export function succeeded(run: LocalRun): LocalRun {
  if (run.status !== 0) throw new Error(`the CronJob's container exited ${run.status}:\n${run.output}`);
  return run;
}
