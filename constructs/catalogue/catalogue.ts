import type { Environment } from '../environment/schema';
import { APPRISE } from './products/apprise';
import { BASEROW } from './products/baserow';
import { CAMUNDA_REGISTRATION, CAMUNDA_WORKFLOW } from './products/camunda';
import { CONSENT } from './products/bb-consent';
import { ESIGNET } from './products/esignet';
import { HAPI_FHIR } from './products/hapi-fhir';
import { G2P_BRIDGE } from './products/g2p-bridge';
import { KEYCLOAK } from './products/keycloak';
import { MOSIP } from './products/mosip';
import { N8N } from './products/n8n';
import type { BuildingBlockId, CatalogueEntry } from './types';

/**
 * Every product the kit can deploy, one entry per product and version (see `products/`).
 *
 * Left out on purpose: the GovStack digital-registries emulator (its image exists only in the GovStack
 * sandbox's private registry, tagged `latest`), Joget (no released community image; see the Camunda
 * registration entry), openIMIS (its images run as root and need the GovStack adapter built in),
 * RapidPro (no official images; see the Apprise entry).
 *
 * No maintained scheduling product fits: Cal.com's open-source edition is now Cal.diy (calcom/cal.diy, MIT),
 * whose README recommends it "strictly for personal, non-production use" and says its official images are
 * not yet published; Cal.com's own Docker files are community-supported only (calcom/docker archived, Oct
 * 2025), and its image runs as root and rewrites its built files at every start (scripts/start.sh,
 * replace-placeholder.sh), with the public REST APIs (v1, v2) in separate applications. Easy!Appointments
 * and LibreBooking run on MySQL only, which the kit does not provide; GovStack's own scheduler is a mock.
 * So scheduling runs the best available, stated as such: the HAPI FHIR JPA server (Apache-2.0, official
 * distroless non-root image, PostgreSQL) keeping FHIR's Schedule, Slot, Appointment and
 * AppointmentResponse, with no booking UI, no reminders and not the GovStack scheduling API (see its entry).
 *
 * Payments is OpenG2P G2P Bridge (see its entry), although it speaks OpenG2P's disbursement API in G2P
 * Connect envelopes rather than GovStack's Payments API: it is the one open-source disbursement product
 * that runs on the kit's own data services (PostgreSQL, Redis). Mifos Payment Hub EE, which implements
 * GovStack's Payments API, needs Zeebe (source-available), Elasticsearch, Kafka and MySQL and ships
 * `:latest` tags; Mojaloop, a switch between financial institutions, needs Kafka, MySQL, MongoDB and Redis.
 */
export const CATALOGUE: readonly CatalogueEntry[] = [KEYCLOAK, ESIGNET, MOSIP, BASEROW, CAMUNDA_REGISTRATION, CAMUNDA_WORKFLOW, N8N, APPRISE, CONSENT, HAPI_FHIR, G2P_BRIDGE];

export function catalogueEntry(buildingBlock: BuildingBlockId, product: string, version: string): CatalogueEntry | undefined {
  return CATALOGUE.find((entry) => entry.buildingBlock === buildingBlock && entry.product === product && entry.version === version);
}

/** The catalogue entries an environment enables, by building block; assumes the environment was validated. */
export function enabledEntries(env: Pick<Environment, 'buildingBlocks'>): readonly CatalogueEntry[] {
  return Object.entries(env.buildingBlocks)
    .filter(([, selection]) => selection.enabled)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([id, selection]) => {
      const entry = catalogueEntry(id as BuildingBlockId, selection.product, selection.version);
      if (!entry) throw new Error(`building block ${id}: ${selection.product} ${selection.version} is not in the catalogue`);
      return entry;
    });
}
