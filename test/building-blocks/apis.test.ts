import { apiServiceUrl, componentServiceName } from '../../constructs/catalogue/addresses';
import { CATALOGUE, catalogueEntry, enabledEntries } from '../../constructs/catalogue/catalogue';
import { BUILDING_BLOCK_IDS, type BuildingBlockId } from '../../constructs/catalogue/types';
import { buildingBlockNamespace, buildingBlockServiceEndpoint } from '../../constructs/information-mediator/contract';
import { buildingBlockManifests } from '../support/building-blocks';
import { shippedEnvironments } from '../support/shipped';

type ServiceSpec = { ports: { port: number }[] };
type EnvVar = { name: string; value?: string };

describe.each(shippedEnvironments().map((env) => [env.name, env] as const))('%s', (_name, env) => {
  const entries = enabledEntries(env);
  const manifests = buildingBlockManifests(env);

  it('serves every declared API at the address the Information Mediator derives for it', () => {
    for (const entry of entries) {
      for (const api of entry.apis) {
        // WHATWG URLs drop a default port: a Service on 80 (bb-consent's) has none in its URL.
        const url = new URL(apiServiceUrl(entry, api));
        const [service, namespace] = url.hostname.split('.');
        expect(namespace).toBe(buildingBlockNamespace(entry.buildingBlock));
        const found = manifests.find((m) => m.kind === 'Service' && m.metadata.name === service && m.metadata.namespace === namespace);
        expect([api.serviceCode, (found?.spec as ServiceSpec | undefined)?.ports.map((p) => p.port)]).toEqual([api.serviceCode, expect.arrayContaining([Number(url.port || 80)])]);
        expect(url.pathname).toBe(api.basePath);
      }
    }
  });

  it('gives every caller the X-Road URL and client header from the Information Mediator contract, never a hand-written one', () => {
    for (const entry of entries.filter((e) => e.deployment.kind === 'manifests')) {
      const vars = manifests
        .filter((m) => m.metadata.namespace === buildingBlockNamespace(entry.buildingBlock) && ['Deployment', 'StatefulSet'].includes(m.kind))
        .flatMap((m) => (m.spec as { template: { spec: { containers: { env?: EnvVar[] }[] } } }).template.spec.containers.flatMap((c) => c.env ?? []));
      for (const callee of entry.calls) {
        const selection = env.buildingBlocks[callee];
        const provider = selection?.enabled ? catalogueEntry(callee, selection.product, selection.version) : undefined;
        const prefix = `GOVSTACK_${callee.toUpperCase().replace(/-/g, '_')}`;
        if (!provider?.apis[0]) {
          expect(vars.find((v) => v.name === `${prefix}_URL`)).toBeUndefined();
          continue;
        }
        const endpoint = buildingBlockServiceEndpoint(env, entry.buildingBlock, callee, provider.apis[0].serviceCode);
        expect(vars).toContainEqual({ name: `${prefix}_URL`, value: endpoint.url });
        expect(vars).toContainEqual({ name: `${prefix}_XROAD_CLIENT`, value: endpoint.xroadClient });
      }
    }
  });
});

describe('the catalogue\'s access rights', () => {
  it('name only building blocks the kit knows, or the e-services', () => {
    for (const entry of CATALOGUE) {
      for (const api of entry.apis) {
        for (const caller of api.allowedCallers) expect([...BUILDING_BLOCK_IDS, 'e-services']).toContain(caller);
        expect(api.basePath).toMatch(/^\//);
        // An OpenAPI document where it is served, or the reason the product serves none (registered as REST).
        expect({ service: api.serviceCode, exactlyOne: (api.openApiPath === undefined) !== (api.withoutOpenApi === undefined) }).toEqual({ service: api.serviceCode, exactlyOne: true });
        if (api.openApiPath !== undefined) expect(api.openApiPath).toMatch(/^(\/|https:\/\/)/);
        else expect(api.withoutOpenApi!.length).toBeGreaterThan(20);
        expect(componentServiceName(entry, api.component)).toMatch(/^[a-z0-9-]+$/);
        expect(entry.components.map((c) => c.name)).toContain(api.component);
      }
    }
  });

  it('let every product call the first API of each product it may find in the building blocks it calls', () => {
    for (const caller of CATALOGUE) {
      for (const callee of caller.calls) {
        for (const provider of CATALOGUE.filter((entry) => entry.buildingBlock === (callee as BuildingBlockId) && entry.apis.length > 0)) {
          expect([caller.product, callee, provider.product, provider.apis[0].allowedCallers]).toEqual([
            caller.product,
            callee,
            provider.product,
            expect.arrayContaining([caller.buildingBlock]),
          ]);
        }
      }
    }
  });

  it('keep service codes unique within a building block', () => {
    for (const entry of CATALOGUE) {
      const codes = entry.apis.map((api) => api.serviceCode);
      expect(new Set(codes).size).toBe(codes.length);
    }
  });
});

