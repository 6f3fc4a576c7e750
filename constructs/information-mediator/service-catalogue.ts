import { apiServiceUrl, componentPort, componentServiceUrl, enabledEntries, type CatalogueEntry } from '../catalogue';
import type { ApiDescription } from '../catalogue/types';
import type { Environment, XRoadMember } from '../environment/schema';
import { buildingBlockNamespace, callerSubsystem, E_SERVICES } from './contract';

/**
 * The service catalogue: every API the deployed building blocks declare, as X-Road services with
 * exactly the access rights the declarations give. One pure function of the environment and the
 * catalogue entries, so the registration Jobs, the reviewable table and the NetworkPolicies all
 * read the same list.
 */

/** An X-Road subsystem a security server hosts. */
export interface XRoadSubsystem {
  readonly member: XRoadMember;
  readonly subsystemCode: string;
  /** `INSTANCE:CLASS:CODE:SUBSYSTEM`, as the Security Server REST API writes client ids. */
  readonly id: string;
  /** Namespace whose pods call as this subsystem, presenting its client certificate (`XROAD_CLIENT_CERTIFICATE`). */
  readonly namespace: string;
}

export interface CatalogueService {
  /** Building block providing the service. */
  readonly buildingBlock: string;
  readonly provider: XRoadSubsystem;
  readonly serviceCode: string;
  /**
   * How the security server learns the service: OPENAPI3 from the document at `descriptionUrl`, or
   * REST by its base URL alone (`descriptionUrl` is then `serviceUrl`) for a product that serves none.
   */
  readonly descriptionType: 'OPENAPI3' | 'REST';
  readonly descriptionUrl: string;
  /** Why a REST service has no OpenAPI description (the catalogue's `withoutOpenApi`). */
  readonly withoutOpenApi?: string;
  /** Where the security server forwards requests: the component's Service inside the cluster. */
  readonly serviceUrl: string;
  /** Namespace and port the provider's security server must reach (NetworkPolicy egress). */
  readonly namespace: string;
  readonly port: number;
  /** Subsystems granted access, sorted by id: exactly the declared callers that are deployed. */
  readonly consumers: readonly XRoadSubsystem[];
  /** Declared callers that this environment does not deploy, so no access right is granted. */
  readonly absentCallers: readonly string[];
}

export interface ServiceCatalogue {
  readonly services: readonly CatalogueService[];
  /** Subsystems each member's security server hosts, by member name, sorted by id. */
  readonly subsystems: Readonly<Record<string, readonly XRoadSubsystem[]>>;
}

export function xroadSubsystem(env: Pick<Environment, 'xroad'>, member: XRoadMember, code: string, namespace: string): XRoadSubsystem {
  return { member, subsystemCode: code, id: [env.xroad.instance, member.memberClass, member.memberCode, code].join(':'), namespace };
}

/**
 * Collects the services of `entries` (by default the products the environment enables). Every
 * deployed building block gets a subsystem on the provider's security server, e-services one on
 * the consumer's; a service is granted to exactly the declared callers that exist.
 */
export function collectServiceCatalogue(env: Pick<Environment, 'buildingBlocks' | 'name' | 'xroad'>, entries: readonly CatalogueEntry[] = enabledEntries(env)): ServiceCatalogue {
  const deployed = new Set(entries.map((entry) => entry.buildingBlock as string));
  const subsystemOf = (caller: string) => {
    const { member, subsystem, namespace } = callerSubsystem(env, caller);
    return xroadSubsystem(env, member, subsystem, namespace);
  };
  const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);

  const services = entries.flatMap((entry) =>
    entry.apis.map((api): CatalogueService => {
      // The same address functions name the building block's Services: the two cannot disagree.
      const base = componentServiceUrl(entry, api.component);
      const callers = [...new Set(api.allowedCallers as readonly string[])];
      return {
        buildingBlock: entry.buildingBlock,
        provider: subsystemOf(entry.buildingBlock),
        serviceCode: api.serviceCode,
        ...serviceDescription(api, base, apiServiceUrl(entry, api)),
        serviceUrl: apiServiceUrl(entry, api),
        namespace: buildingBlockNamespace(entry.buildingBlock),
        port: componentPort(entry, api.component),
        consumers: callers.filter((caller) => caller === E_SERVICES || deployed.has(caller)).map(subsystemOf).sort(byId),
        absentCallers: callers.filter((caller) => caller !== E_SERVICES && !deployed.has(caller)).sort(),
      };
    }),
  );
  const duplicates = services.filter((s, i) => services.findIndex((t) => t.provider.id === s.provider.id && t.serviceCode === s.serviceCode) !== i);
  if (duplicates.length > 0) throw new Error(`service code ${duplicates[0].serviceCode} is declared twice by ${duplicates[0].buildingBlock}`);

  const subsystems: Record<string, XRoadSubsystem[]> = Object.fromEntries(env.xroad.members.map((member) => [member.name, []]));
  for (const subsystem of [...[...deployed].map(subsystemOf), subsystemOf(E_SERVICES)]) subsystems[subsystem.member.name].push(subsystem);
  for (const list of Object.values(subsystems)) list.sort(byId);
  return { services: [...services].sort((a, b) => a.provider.id.localeCompare(b.provider.id) || a.serviceCode.localeCompare(b.serviceCode)), subsystems };
}

function serviceDescription(api: ApiDescription, base: string, serviceUrl: string): Pick<CatalogueService, 'descriptionType' | 'descriptionUrl' | 'withoutOpenApi'> {
  if (api.openApiPath !== undefined && api.withoutOpenApi === undefined) {
    return { descriptionType: 'OPENAPI3', descriptionUrl: /^https?:\/\//.test(api.openApiPath) ? api.openApiPath : `${base}${api.openApiPath}` };
  }
  if (api.withoutOpenApi !== undefined && api.openApiPath === undefined) return { descriptionType: 'REST', descriptionUrl: serviceUrl, withoutOpenApi: api.withoutOpenApi };
  throw new Error(`API ${api.serviceCode} must declare exactly one of openApiPath (its OpenAPI 3 document) and withoutOpenApi (why it has none)`);
}

/** The catalogue as a Markdown table a review board reads: who provides what, and who may call it. */
export function serviceCatalogueMarkdown(env: Pick<Environment, 'name' | 'xroad'>, catalogue: ServiceCatalogue): string {
  const lines = [
    `# X-Road service catalogue of environment "${env.name}"`,
    '',
    `Instance \`${env.xroad.instance}\`. Generated from the building blocks' API declarations; the registration Job of each`,
    'security server applies exactly this: services, their descriptions (OpenAPI 3, or REST by base URL for a product that',
    'serves no OpenAPI document) and access rights (undeclared access is revoked).',
    '',
    '| Provider | Service | Description | Allowed consumers |',
    '| --- | --- | --- | --- |',
    ...catalogue.services.map((service) => {
      const consumers = service.consumers.map((consumer) => `\`${consumer.id}\``).join('<br>') || '(none)';
      const absent = service.absentCallers.length > 0 ? `<br>not deployed, so not granted: ${service.absentCallers.join(', ')}` : '';
      const description = service.descriptionType === 'OPENAPI3' ? `OpenAPI 3: ${service.descriptionUrl}` : `REST: ${service.descriptionUrl}<br>no OpenAPI document: ${service.withoutOpenApi}`;
      return `| \`${service.provider.id}\` | \`${service.serviceCode}\` | ${description} | ${consumers}${absent} |`;
    }),
    ...(catalogue.services.length === 0 ? ['| (no building block declares an API in this environment) | | | |'] : []),
    '',
    '## Subsystems per security server',
    '',
    '| Security server (member) | Subsystems |',
    '| --- | --- |',
    ...env.xroad.members.map((member) => {
      const ids = (catalogue.subsystems[member.name] ?? []).map((s) => `\`${s.id}\``).join('<br>') || '(none)';
      return `| ${member.name} (\`${env.xroad.instance}:${member.memberClass}:${member.memberCode}\`) | ${ids} |`;
    }),
    '',
  ];
  return lines.join('\n');
}
