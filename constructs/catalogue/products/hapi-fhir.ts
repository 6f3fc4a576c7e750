import { perSize, resourcesBySize } from '../sizing';
import type { CatalogueEntry } from '../types';

/**
 * The starter's release workflow (.github/workflows/build-images.yaml at image/v8.10.0-3) pushes
 * `docker.io/hapiproject/hapi` tagged with what follows `image/` in the release tag; the untagged
 * flavour is the distroless one (a `-tomcat` suffix marks the other).
 */
const IMAGE = 'docker.io/hapiproject/hapi:v8.10.0-3';
/**
 * The starter itself is not on Maven Central (ca.uhn.hapi.fhir:hapi-fhir-jpaserver-starter is not
 * there); the HAPI FHIR release it is built on (its pom's parent, ca.uhn.hapi.fhir:hapi-fhir 8.10.0) is.
 */
const RELEASE = { maven: 'ca.uhn.hapi.fhir:hapi-fhir-base', version: '8.10.0' } as const;

/**
 * The FHIR R4 resources the server keeps: the scheduling resources (a Schedule of bookable Slots, the
 * Appointment booked in one, each participant's AppointmentResponse) and those they refer to as
 * actors (Schedule.actor, Appointment.participant.actor): HAPI checks on write that a reference
 * points at a stored resource, so a type it does not keep could not be referred to. Every other
 * type is refused; HAPI adds SearchParameter itself (StarterJpaConfig at image/v8.10.0-3).
 */
export const SCHEDULING_RESOURCES = ['Schedule', 'Slot', 'Appointment', 'AppointmentResponse'] as const;
const ACTOR_RESOURCES = ['Patient', 'Practitioner', 'PractitionerRole', 'RelatedPerson', 'Location', 'HealthcareService', 'Organization'] as const;
/**
 * Types HAPI's own services ask the registry for when they are built, so the server would not start
 * without them: the $merge and $replace-references services track their work as a Task (with Patient,
 * starter issue #830: "forcefully requires Patient and Task") and record it as a Provenance
 * (ReplaceReferencesProvenanceSvc's constructor).
 */
const REQUIRED_BY_HAPI = ['Task', 'Provenance'] as const;

/** Spring Boot's management server: health groups and Prometheus metrics apart from the FHIR port. */
const MANAGEMENT_PORT = 8081;

/**
 * The HAPI FHIR JPA server (hapifhir/hapi-fhir-jpaserver-starter) as the scheduling building block,
 * the best available rather than a scheduling product: no maintained open-source appointment
 * product fits the kit (see `catalogue.ts`: Cal.diy non-production and imageless, Cal.com's image
 * root and self-rewriting, Easy!Appointments and LibreBooking MySQL-only), and GovStack's own
 * scheduler exists only as a mock. HAPI is Apache-2.0, released every quarter, ships an official
 * distroless non-root image, runs on PostgreSQL and serves FHIR's scheduling resources — the
 * standard health systems book appointments with — with an OpenAPI document.
 */
export const HAPI_FHIR: CatalogueEntry = {
  buildingBlock: 'scheduling',
  product: 'hapi-fhir',
  version: '8.10.0-3',
  displayName: 'HAPI FHIR JPA server (scheduling resources)',
  homepage: 'https://github.com/hapifhir/hapi-fhir-jpaserver-starter',
  license: 'Apache-2.0',
  specVersion:
    'scheduling 1.0 (FHIR R4 Schedule, Slot, Appointment and AppointmentResponse over REST; not the GovStack scheduling API itself)',
  deployment: {
    kind: 'manifests',
    reason:
      'The starter\'s own chart (charts/hapi-fhir-jpaserver, helm-v0.23.0) bundles its own PostgreSQL chart and is not in the chart mirror; one container with the kit\'s CloudNativePG is simpler rendered by the kit.',
  },
  stages: ['sandbox', 'staging', 'production'],
  notes: [
    'Best available, not a scheduling product: no maintained open-source appointment product runs on PostgreSQL with official non-root images (see catalogue.ts), and GovStack\'s own scheduler is a mock. HAPI keeps FHIR R4 Schedules, Slots, Appointments and AppointmentResponses, as health systems book appointments (e.g. postpartum care visits).',
    'Limits: no booking UI (callers book through the API), no reminders (the workflow sends them through the messaging building block), and not the GovStack scheduling API (its events, subscriptions and alerts); an adapter is not part of the kit.',
    `The server keeps only ${SCHEDULING_RESOURCES.join(', ')}, the actors they refer to (${ACTOR_RESOURCES.join(', ')}) and what HAPI's merge services need to start (${REQUIRED_BY_HAPI.join(', ')}); every other FHIR type is refused. Callers may refer to people by identifier (Reference.identifier) instead of storing them here. The list follows HAPI's sources and the starter's issues, not a start: if a HAPI release asks for another type at start ("No DAO exists for resource type …"), add it.`,
    'Only /fhir is registered with X-Road; HAPI\'s web tester (/) and its management port are on no gateway. The server has no authentication of its own: the NetworkPolicies admit only its security server (and Prometheus on the management port), and X-Road grants /fhir to the declared callers only.',
    'Hibernate creates and updates the schema at start (the starter\'s hbm2ddl `update`): replicas starting together on an empty database may race once and restart. Upgrades across HAPI releases may need HAPI\'s migrate-database command (hapi-fhir-cli) first; read the release notes before changing the version.',
    'Image tag v8.10.0-3 is the newest starter release in the repository snapshot read (tag image/v8.10.0-3, 15 July 2026), built on HAPI FHIR 8.10.0. Maven Central lists newer HAPI FHIR releases (8.10.1 to 8.10.3, 8.12.0 and 8.12.1; `npm run pins` reports the patches), which the starter publishes an image for only when it rebuilds on them: check github.com/hapifhir/hapi-fhir-jpaserver-starter/releases before deploying.',
    'Not yet started by the product harness or on a cluster (see verification): the read-only, non-root start follows the starter\'s own chart (writable /tmp and /app/target, management on 8081).',
  ],
  components: [
    {
      name: 'server',
      // The distroless image's `nonroot` user, numerically (USER 65532:65532 in the Dockerfile), which owns /app.
      user: { uid: 65532, gid: 65532 },
      containers: [
        {
          name: 'hapi',
          image: IMAGE,
          // No args: the image's entrypoint starts the Spring Boot WAR with PropertiesLauncher.
          ports: [
            { name: 'http', port: 8080 },
            { name: 'management', port: MANAGEMENT_PORT },
          ],
          health: {
            // Spring Boot's probe groups (application.yaml: management.endpoint.health.probes.enabled).
            startup: { http: '/actuator/health/readiness', port: 'management' },
            readiness: { http: '/actuator/health/readiness', port: 'management' },
            liveness: { http: '/actuator/health/liveness', port: 'management' },
            // The first start creates HAPI's schema (a few hundred tables and indexes); the starter's chart allows 330 s.
            startupSeconds: 600,
          },
          secretsInEnvironment:
            'HAPI\'s starter reads its database password only as Spring Boot\'s spring.datasource.password; Spring\'s file source (a config tree) would name the property after the Secret CloudNativePG generates, a name the kit would have to repeat in the product\'s configuration',
          env: (ctx) => ({
            SPRING_DATASOURCE_URL: `jdbc:postgresql://${ctx.database?.host}:${ctx.database?.port}/${ctx.database?.name}`,
            SPRING_DATASOURCE_USERNAME: { database: 'username' },
            SPRING_DATASOURCE_PASSWORD: { database: 'password' },
            // application.yaml defaults to H2 (driver and dialect); HAPI needs its own PostgreSQL dialect (README, "PostgreSQL configuration").
            SPRING_DATASOURCE_DRIVERCLASSNAME: 'org.postgresql.Driver',
            HIBERNATE_DIALECT: 'ca.uhn.fhir.jpa.model.dialect.HapiFhirPostgresDialect',
            HAPI_FHIR_FHIR_VERSION: 'R4',
            HAPI_FHIR_SUPPORTED_RESOURCE_TYPES: [...SCHEDULING_RESOURCES, ...ACTOR_RESOURCES, ...REQUIRED_BY_HAPI].join(','),
            // OpenApiInterceptor serves the OpenAPI 3 document at /fhir/api-docs (and Swagger UI beside it).
            HAPI_FHIR_OPENAPI_ENABLED: 'true',
            // The starter turns on an MCP server (/mcp/messages) that reads and writes every resource: not an API the kit registers.
            SPRING_AI_MCP_SERVER_ENABLED: 'false',
            MANAGEMENT_SERVER_PORT: String(MANAGEMENT_PORT),
            MANAGEMENT_ENDPOINTS_WEB_EXPOSURE_INCLUDE: 'health,prometheus',
            // The image starts java directly (no shell, so no JAVA_OPTS): the JVM reads JAVA_TOOL_OPTIONS itself.
            // 60 %, not the 70 % of smaller JVMs: HAPI's classpath (FHIR models, Hibernate, Spring AI, CQL) keeps a large metaspace.
            JAVA_TOOL_OPTIONS: '-XX:MaxRAMPercentage=60',
            TZ: 'Etc/UTC',
          }),
          // /tmp for Tomcat's and the JVM's temporary files; /app/target for the Lucene files (the starter's chart mounts both).
          mounts: { tmp: '/tmp', target: '/app/target' },
          resources: resourcesBySize(['250m', '1', '1536Mi', '1Gi'], ['500m', '2', '3Gi', '1Gi'], ['1', '4', '6Gi', '2Gi']),
        },
      ],
      volumes: {
        tmp: { scratch: '512Mi' },
        target: { scratch: '512Mi' },
      },
      // Everything HAPI keeps is in PostgreSQL (searches, batch jobs included), so replicas scale out.
      scaling: 'horizontal',
      metrics: { port: 'management', path: '/actuator/prometheus' },
    },
  ],
  confirm: { [IMAGE]: RELEASE },
  dataServices: {
    postgres: {
      database: 'hapi',
      owner: 'hapi',
      storage: perSize('5Gi', '20Gi', '50Gi'),
      resources: perSize({ cpu: '250m', memory: '512Mi' }, { cpu: '500m', memory: '1Gi' }, { cpu: '1', memory: '2Gi' }),
    },
  },
  secrets: [],
  apis: [
    {
      serviceCode: 'fhir-scheduling',
      openApiPath: '/fhir/api-docs',
      basePath: '/fhir',
      component: 'server',
      allowedCallers: ['workflow', 'e-services'],
    },
  ],
  calls: [],
  verification: {
    level: 'harness-unavailable',
    reason:
      'The starter publishes its server only as container images and source: Maven Central has HAPI FHIR\'s libraries but not ca.uhn.hapi.fhir:hapi-fhir-jpaserver-starter, so no reachable registry carries the WAR the image runs',
  },
};
