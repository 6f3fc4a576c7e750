import type { App } from 'cdk8s';
import type { Environment } from '../constructs/environment/schema';

/** The Information Mediator layer: X-Road security servers (and the sandbox's central server). */
export function addInformationMediatorCharts(_app: App, _env: Environment): void {
  // Filled in by the Information Mediator constructs.
}
