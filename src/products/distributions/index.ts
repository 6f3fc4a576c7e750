import type { ProductDistribution } from '../distribution';
import { CAMUNDA_DISTRIBUTION } from './camunda';
import { G2P_BRIDGE_DISTRIBUTION } from './g2p-bridge';
import { KEYCLOAK_DISTRIBUTION } from './keycloak';
import { N8N_DISTRIBUTION } from './n8n';

/** Every product the harness can start, by catalogue product id. */
export const DISTRIBUTIONS: ReadonlyMap<string, ProductDistribution> = new Map([KEYCLOAK_DISTRIBUTION, CAMUNDA_DISTRIBUTION, N8N_DISTRIBUTION, G2P_BRIDGE_DISTRIBUTION].map((d) => [d.product, d]));
