import { HAPI_FHIR, SCHEDULING_RESOURCES } from '../../constructs/catalogue/products/hapi-fhir';
import { collectServiceCatalogue } from '../../constructs/information-mediator/service-catalogue';
import type { Manifest } from '../../src/synth/manifest';
import { allowsTraffic } from '../support/network-policy';
import { buildingBlockManifests, canWrite, environmentRunning, literalEnv, shippedEnvironmentOfStage, synthesisedContainer } from '../support/building-blocks';

/**
 * What the HAPI FHIR JPA server starter writes and reads when it starts, read in
 * hapifhir/hapi-fhir-jpaserver-starter at image/v8.10.0-3:
 * - Dockerfile: the default image is distroless (java21-debian13:nonroot), USER 65532:65532, and
 *   starts `java … PropertiesLauncher` directly, with no shell to read JAVA_OPTS;
 * - application.yaml: H2 in memory unless the datasource is set, the Hibernate dialect from
 *   HIBERNATE_DIALECT (HAPI's own PostgreSQL dialect for PostgreSQL), an MCP server turned on,
 *   OpenAPI at /fhir/api-docs, Spring Boot's health probe groups on;
 * - charts/hapi-fhir-jpaserver: a read-only root with /tmp (Tomcat, the JVM) and /app/target
 *   (Lucene files) writable, management and metrics on 8081.
 */
describe.each(HAPI_FHIR.stages)('the HAPI FHIR server as the kit runs it in %s', (stage) => {
  const manifests = buildingBlockManifests(environmentRunning(HAPI_FHIR, stage), HAPI_FHIR.buildingBlock);
  const hapi = synthesisedContainer(manifests, 'hapi-fhir-server', 'hapi');

  it('keeps a read-only root filesystem and may still write where Tomcat, the JVM and HAPI\'s Lucene files go', () => {
    expect(hapi.securityContext?.readOnlyRootFilesystem).toBe(true);
    for (const path of ['/tmp/tomcat.8080.1/work', '/tmp/hsperfdata_nonroot', '/app/target/lucenefiles']) {
      expect([path, canWrite(hapi, path)]).toEqual([path, true]);
    }
  });

  it('runs as the distroless image\'s non-root user, by number', () => {
    const workload = manifests.find((m) => m.kind === 'Deployment' && m.metadata.name === 'hapi-fhir-server') as Manifest;
    const pod = (workload.spec as { template: { spec: { securityContext: { runAsUser: number; runAsNonRoot: boolean } } } }).template.spec;
    expect(pod.securityContext).toMatchObject({ runAsUser: 65532, runAsNonRoot: true });
  });

  it('keeps its data in the building block\'s own PostgreSQL with HAPI\'s dialect, not in the H2 the starter defaults to', () => {
    expect(literalEnv(hapi, 'SPRING_DATASOURCE_URL')).toBe('jdbc:postgresql://hapi-fhir-db-rw.bb-scheduling.svc:5432/hapi');
    expect(literalEnv(hapi, 'SPRING_DATASOURCE_DRIVERCLASSNAME')).toBe('org.postgresql.Driver');
    expect(literalEnv(hapi, 'HIBERNATE_DIALECT')).toBe('ca.uhn.fhir.jpa.model.dialect.HapiFhirPostgresDialect');
    expect(hapi.env?.find((variable) => variable.name === 'SPRING_DATASOURCE_PASSWORD')).toEqual({
      name: 'SPRING_DATASOURCE_PASSWORD',
      valueFrom: { secretKeyRef: { name: 'hapi-fhir-db-app', key: 'password' } },
    });
  });

  it('keeps the scheduling resources, the actors they refer to and what HAPI needs to start, and refuses every other FHIR type', () => {
    const kept = literalEnv(hapi, 'HAPI_FHIR_SUPPORTED_RESOURCE_TYPES')!.split(',');
    expect(kept).toEqual(expect.arrayContaining([...SCHEDULING_RESOURCES, 'Patient', 'Practitioner', 'Location']));
    // Its $merge and $replace-references services look up these DAOs when they are built.
    expect(kept).toEqual(expect.arrayContaining(['Patient', 'Task', 'Provenance']));
    for (const clinical of ['Observation', 'Condition', 'MedicationRequest', 'Encounter']) expect(kept).not.toContain(clinical);
    expect(literalEnv(hapi, 'HAPI_FHIR_FHIR_VERSION')).toBe('R4');
  });

  it('serves its OpenAPI document and turns off the MCP server, which would read and write every resource', () => {
    expect(literalEnv(hapi, 'HAPI_FHIR_OPENAPI_ENABLED')).toBe('true');
    expect(literalEnv(hapi, 'SPRING_AI_MCP_SERVER_ENABLED')).toBe('false');
  });

  it('sizes its heap from the container\'s memory through the variable the JVM itself reads', () => {
    expect(literalEnv(hapi, 'JAVA_TOOL_OPTIONS')).toMatch(/-XX:MaxRAMPercentage=\d+/);
  });

  it('lets Prometheus reach its management port and not its FHIR port', () => {
    const server = { namespace: 'bb-scheduling', labels: { 'govstack.dev/product': 'hapi-fhir', 'app.kubernetes.io/name': 'hapi-fhir', 'app.kubernetes.io/component': 'server' } };
    const prometheus = { namespace: 'monitoring', labels: { 'app.kubernetes.io/name': 'prometheus' } };
    expect(literalEnv(hapi, 'MANAGEMENT_SERVER_PORT')).toBe('8081');
    expect(allowsTraffic(manifests, prometheus, server, 8081)).toBe(true);
    expect(allowsTraffic(manifests, prometheus, server, 8080)).toBe(false);
  });
});

describe('the scheduling building block through the Information Mediator', () => {
  const env = shippedEnvironmentOfStage('production');
  const fhir = collectServiceCatalogue(env).services.find((service) => service.buildingBlock === 'scheduling');

  it('registers the FHIR API from the OpenAPI document the server serves', () => {
    expect(fhir?.serviceUrl).toBe('http://hapi-fhir-server.bb-scheduling.svc:8080/fhir');
    expect(fhir?.descriptionType).toBe('OPENAPI3');
    expect(fhir?.descriptionUrl).toBe('http://hapi-fhir-server.bb-scheduling.svc:8080/fhir/api-docs');
  });

  it('grants booking to the workflow and the e-services only', () => {
    expect(fhir?.consumers.map((consumer) => consumer.subsystemCode).sort()).toEqual(['E-SERVICES', 'WORKFLOW']);
  });

  it('is what the workflow engine is told to call, through its own security server, to book and to remind', () => {
    const engine = synthesisedContainer(buildingBlockManifests(env, 'workflow'), 'camunda-engine', 'camunda');
    expect(literalEnv(engine, 'GOVSTACK_SCHEDULING_URL')).toMatch(/^https:\/\/ss-gov-platform\.xroad\.svc:8443\/r1\/VELORIA\/GOV\/7000002\/SCHEDULING\/fhir-scheduling$/);
    expect(literalEnv(engine, 'GOVSTACK_SCHEDULING_XROAD_CLIENT')).toBe('VELORIA/GOV/7000002/WORKFLOW');
  });
});

describe('the HAPI FHIR server in production', () => {
  const manifests = buildingBlockManifests(shippedEnvironmentOfStage('production'), 'scheduling');

  it('runs several replicas on a highly available PostgreSQL that is backed up', () => {
    const workload = manifests.find((m) => m.kind === 'Deployment' && m.metadata.name === 'hapi-fhir-server') as Manifest;
    expect((workload.spec as { replicas: number }).replicas).toBeGreaterThanOrEqual(2);
    const cluster = manifests.find((m) => m.kind === 'Cluster' && m.metadata.name === 'hapi-fhir-db') as Manifest;
    expect((cluster.spec as { instances: number }).instances).toBe(3);
    expect(manifests.some((m) => m.kind === 'ScheduledBackup')).toBe(true);
  });
});
