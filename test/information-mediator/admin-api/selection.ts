/**
 * What the kit takes from X-Road's admin APIs: the operations its scripts call or its fake serves,
 * and the few facts the OpenAPI definitions do not hold (the form login and the API-key endpoint
 * are plain Spring code) or state differently from the code that runs. `extract.ts` reads these
 * from an X-Road checkout; every fact below names the file it comes from and the text that proves
 * it, and the extraction fails when that text is gone, so an upgrade of X-Road re-reads them.
 */

export type AdminApi = 'security-server' | 'central-server';

export const DEFINITIONS = {
  'security-server': 'src/security-server/openapi-model/src/main/resources/META-INF/openapi-definition.yaml',
  'central-server': 'src/central-server/openapi-model/src/main/resources/openapi-definition.yaml',
  /** Schemas both definitions reference (ErrorInfo, CodeWithDetails). */
  common: 'src/common/common-admin-api/src/main/resources/common-openapi-definition.yaml',
} as const;

export const LICENCE_FILE = 'LICENSE';

/** `METHOD /path` as the definition spells it, relative to its base path /api/v1. */
export const KIT_OPERATIONS: Readonly<Record<AdminApi, readonly string[]>> = {
  'security-server': [
    // register_services.py and xroad_api.py (and so the fake)
    'GET /initialization/status',
    'POST /system/anchor',
    'POST /initialization',
    'GET /clients',
    'POST /clients',
    'PUT /clients/{id}/register',
    'PATCH /clients/{id}',
    'GET /clients/{id}/tls-certificates',
    'POST /clients/{id}/tls-certificates',
    'DELETE /clients/{id}/tls-certificates/{hash}',
    'GET /clients/{id}/service-descriptions',
    'POST /clients/{id}/service-descriptions',
    'PATCH /service-descriptions/{id}',
    'DELETE /service-descriptions/{id}',
    'PUT /service-descriptions/{id}/enable',
    'PATCH /services/{id}',
    'GET /services/{id}/service-clients',
    'POST /services/{id}/service-clients',
    'POST /services/{id}/service-clients/delete',
    // bootstrap_sandbox.py
    'GET /tokens/{id}',
    'PUT /tokens/{id}/login',
    'GET /certificate-authorities',
    'POST /tokens/{id}/keys-with-csrs',
    'GET /keys/{id}/csrs/{csr_id}',
    'POST /token-certificates',
    'PUT /token-certificates/{hash}/register',
    'PUT /token-certificates/{hash}/activate',
    'GET /system/timestamping-services',
    'POST /system/timestamping-services',
    'GET /timestamping-services',
    'POST /clients/{id}/service-clients/{sc_id}/access-rights',
  ],
  'central-server': [
    'GET /initialization/status',
    'POST /initialization',
    'GET /member-classes',
    'POST /member-classes',
    'GET /tokens',
    'PUT /tokens/{token_id}/login',
    'POST /configuration-sources/{configuration_type}/signing-keys',
    'POST /members',
    'POST /subsystems',
    'GET /management-services-configuration',
    'PATCH /management-services-configuration',
    'POST /management-services-configuration/register-provider',
    'GET /certification-services',
    'POST /certification-services',
    'POST /certification-services/{certification_service_id}/ocsp-responders',
    'GET /timestamping-services',
    'POST /timestamping-services',
    'GET /configuration-sources/{configuration_type}/anchor/download',
    'GET /management-requests',
    'POST /management-requests/{management_request_id}/approval',
  ],
};

/** A fact read from X-Road's Java sources: `evidence` must occur in `file` (whitespace collapsed). */
export interface SourceEvidence {
  readonly file: string;
  readonly evidence: readonly string[];
}

const COMMON_ADMIN_API = 'src/common/common-admin-api/src/main/java/org/niis/xroad/restapi';
const FORM_LOGIN: SourceEvidence = {
  file: `${COMMON_ADMIN_API}/auth/securityconfigurer/FormLoginWebSecurityConfig.java`,
  evidence: [
    'LOGIN_URL = "/login"',
    '.formLogin(',
    'response.setContentType("application/json;charset=UTF-8"); response.getWriter().println("OK");',
    'response.sendError(HttpServletResponse.SC_UNAUTHORIZED, "Authentication Failed");',
  ],
};
/** NIIS's own setup sequence logs in with form parameters, as a user whose name is shorter than LoginRequest allows. */
const SETUP_LOGIN: SourceEvidence = {
  file: 'development/hurl/scenarios/setup.hurl',
  evidence: ['POST https://{{cs_host}}:4000/login [FormParams] username: xrd password: secret HTTP 200'],
};
const API_KEYS: SourceEvidence = {
  file: `${COMMON_ADMIN_API}/controller/ApiKeysController.java`,
  evidence: [
    '@PostMapping(produces = MediaType.APPLICATION_JSON_VALUE)',
    'public ResponseEntity<PublicApiKeyData> createKey(@RequestBody List<String> roles)',
    'return ResponseEntity.ok(publicApiKeyDataConverter.convert(createdKeyData));',
    '@DeleteMapping("/{id}")',
    'public ResponseEntity<Void> revoke(@PathVariable("id") long id)',
    'return ResponseEntity.ok().build();',
  ],
};
const API_KEYS_PATH: SourceEvidence = { file: `${COMMON_ADMIN_API}/controller/CommonModuleEndpointPaths.java`, evidence: ['return getBasePath() + "/api-keys";'] };
const API_KEY_DATA: SourceEvidence = {
  file: `${COMMON_ADMIN_API}/domain/PublicApiKeyData.java`,
  evidence: ['private Long id;', 'private String key;', 'private Set<Role> roles;'],
};
/**
 * Most error statuses of the definitions carry no schema; the body the code sends for them is the
 * common definition's ErrorInfo, which the contract check holds every JSON error answer to.
 */
export const ERROR_ANSWERS: SourceEvidence & { readonly note: string } = {
  file: `${COMMON_ADMIN_API}/exceptions/ExceptionTranslator.java`,
  evidence: ['Translate exceptions to ResponseEntities that contain the standard error object {@link ErrorInfo}'],
  note: 'An error answer with a JSON body is an ErrorInfo (ExceptionTranslator), also where the definition names no schema for that status.',
};

/** The roles are read from this enum, not written here. */
export const ROLES_ENUM = `${COMMON_ADMIN_API}/domain/Role.java`;

/**
 * Operations the definitions leave out, described from the code that serves them (both servers run
 * common-admin-api). Their schemas are JSON Schema written from the cited classes; `{roles}` stands
 * for the Role enum's constants.
 */
export const SOURCE_DESCRIBED = [
  {
    id: 'formLogin',
    method: 'POST',
    path: '/login',
    // at the root, not under /api/v1 as openapi-authentication.yaml's servers say
    atRoot: true,
    apis: ['security-server', 'central-server'],
    requestContentType: 'application/x-www-form-urlencoded',
    requestSchema: { type: 'object', required: ['username', 'password'], properties: { username: { type: 'string' }, password: { type: 'string' } } },
    responses: { '200': { contentType: 'application/json;charset=UTF-8', rawBody: 'OK\n' }, '401': {} },
    sources: [FORM_LOGIN, SETUP_LOGIN],
    note:
      'Spring Security form login (FormLoginWebSecurityConfig) reads the form parameters username and password (Spring\'s defaults). ' +
      'openapi-authentication.yaml describes them as a JSON body (LoginRequest, at least 4 characters each) at /api/v1/login, ' +
      'which is not what runs: NIIS\'s setup.hurl logs in with form parameters as "xrd". ' +
      'On success it writes "OK" and a newline, typed application/json but not JSON.',
  },
  {
    id: 'createApiKey',
    method: 'POST',
    path: '/api-keys',
    apis: ['security-server'],
    requestContentType: 'application/json',
    requestSchema: { type: 'array', items: { type: 'string', enum: '{roles}' } },
    responses: { '200': { schema: { $ref: '#/components/schemas/PublicApiKeyData' } } },
    sources: [API_KEYS, API_KEYS_PATH, API_KEY_DATA],
    note: 'ApiKeysController.createKey: a JSON array of role names; an unknown role is refused with 400.',
  },
  {
    id: 'revokeApiKey',
    method: 'DELETE',
    path: '/api-keys/{id}',
    apis: ['security-server'],
    parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer', format: 'int64' } }],
    responses: { '200': {}, '404': {} },
    sources: [API_KEYS, API_KEYS_PATH],
    note: 'ApiKeysController.revoke: answers 200 without a body.',
  },
] as const;

export const SOURCE_SCHEMAS = {
  PublicApiKeyData: {
    type: 'object',
    required: ['id', 'key', 'roles'],
    properties: {
      id: { type: 'integer', format: 'int64' },
      key: { type: 'string' },
      roles: { type: 'array', uniqueItems: true, items: { type: 'string', enum: '{roles}' } },
    },
  },
} as const;

/**
 * Where the code that runs answers differently from its definition. Each is honoured by the
 * contract check, and each must still be provable from the code at the next version.
 */
export const IMPLEMENTATION_DEVIATIONS = [
  {
    api: 'security-server',
    operation: 'POST /services/{id}/service-clients',
    declaredStatus: '201',
    actualStatus: '200',
    sources: [
      {
        file: 'src/security-server/admin-service/application/src/main/java/org/niis/xroad/securityserver/restapi/openapi/ServicesApiController.java',
        evidence: [
          'serviceClients = accessRightService.addSoapServiceAccessRights(clientId, fullServiceCode, xRoadIds); ' +
            '} catch (ServiceClientNotFoundException e) { throw new BadRequestException(e); } ' +
            'Set<ServiceClientDto> serviceClientDtos = serviceClientConverter.convertServiceClientDtos(serviceClients); ' +
            'return new ResponseEntity<>(serviceClientDtos, HttpStatus.OK);',
        ],
      },
    ],
    note: 'ServicesApiController.addServiceServiceClients answers 200 with the access rights, where the definition says 201.',
  },
  {
    api: 'security-server',
    operation: 'PUT /service-descriptions/{id}/enable',
    declaredStatus: '204',
    actualStatus: '200',
    sources: [
      {
        file: 'src/security-server/admin-service/application/src/main/java/org/niis/xroad/securityserver/restapi/openapi/ServiceDescriptionsApiController.java',
        evidence: ['serviceDescriptionService.enableServices(serviceDescriptionId); return new ResponseEntity<>(HttpStatus.OK);'],
      },
    ],
    note: 'ServiceDescriptionsApiController.enableServiceDescription answers 200 without a body, where the definition says 204.',
  },
] as const;
