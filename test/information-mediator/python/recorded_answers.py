"""Answers of X-Road 7.8.0's admin APIs to the calls the sandbox bootstrap makes, for an instance the
bootstrap has already configured (a re-run). Each answer has the status and shape the definitions
give it, read in nordic-institute/X-Road at tag 7.8.0 (the schema is named beside each):
- central server: src/central-server/openapi-model/src/main/resources/openapi-definition.yaml
- security server: src/security-server/openapi-model/src/main/resources/META-INF/openapi-definition.yaml
Error answers carry the codes the central server's services throw (MemberServiceImpl,
SubsystemServiceImpl, ManagementServicesServiceImpl). Only the values are invented (a sandbox named
DEV with one member, ACME). The Jest spec bootstrap-script.test.ts holds every answer served, and
every request the bootstrap sent, against the recorded definitions (fixtures/xroad-admin-api-7.8.0.json).
"""
import collections
import copy

INSTANCE = 'DEV'
OPERATOR = {'name': 'DEV operator', 'memberClass': 'GOV', 'memberCode': 'OPERATOR'}
ACME = {'name': 'acme', 'memberClass': 'GOV', 'memberCode': 'ACME'}
MANAGEMENT_ID = f'{INSTANCE}:GOV:OPERATOR:MANAGEMENT'
CS_URL = 'https://central-server.test:4000'
SS_URL = 'https://acme-ss.test:4000'
# X-Road's date-times have milliseconds: the definitions allow exactly 24 characters
CREATED = '2026-01-12T00:00:00.001Z'
NOT_BEFORE = '2026-01-01T00:00:00.000Z'
NOT_AFTER = '2046-01-01T00:00:00.000Z'

PLAN = {
    'instance': INSTANCE, 'country': 'XX', 'memberClasses': ['GOV'], 'adminUser': 'xroad-admin',
    'certificateProfile': 'ee.ria.xroad.common.certificateprofile.impl.FiVRKCertificateProfileInfoProvider',
    'testCaUrl': 'http://test-ca.test:8888', 'tsaUrl': 'http://test-ca.test:8899',
    'centralServer': {'address': 'central-server.test', 'adminUrl': CS_URL,
                      'passwordFile': '/credentials/central-server/admin-password', 'pinFile': '/credentials/central-server/token-pin'},
    'members': [OPERATOR, ACME],
    'management': {'id': MANAGEMENT_ID, 'memberClass': 'GOV', 'memberCode': 'OPERATOR', 'subsystem': 'MANAGEMENT', 'operator': OPERATOR},
    'securityServers': [{'code': 'acme-ss', 'owner': ACME, 'address': 'acme-ss.test', 'adminUrl': SS_URL,
                         'passwordFile': '/credentials/acme/admin-password', 'pinFile': '/credentials/acme/token-pin', 'management': True}],
}

Answer = collections.namedtuple('Answer', 'status body content_type', defaults=('application/json',))


def error(status, code, *metadata):
    """ErrorInfo, as ExceptionTranslator writes it for an error the service throws."""
    return Answer(status, {'status': status, 'error': {'code': code, **({'metadata': list(metadata)} if metadata else {})}})


def configuration_signing_key(source, key_id):
    """ConfigurationSigningKey: `label` is a KeyLabel object, `source_type` a ConfigurationType."""
    return {'id': key_id, 'token_id': '0', 'key_hash': f'{key_id}AB', 'label': {'label': f'{source} signing key'},
            'created_at': CREATED, 'active': True, 'available': True, 'possible_actions': ['DELETE'],
            'source_type': source, 'key_algorithm': 'RSA'}


def central_server_token(signing_keys):
    """Token (central server): `id` is a string."""
    return {'id': '0', 'name': 'softToken-0', 'serial_number': '', 'status': 'OK', 'logged_in': True, 'active': True,
            'available': True, 'possible_actions': ['LOGOUT', 'GENERATE_INTERNAL_KEY', 'GENERATE_EXTERNAL_KEY'],
            'configuration_signing_keys': signing_keys}


def certificate_details(subject, certificate_hash):
    """CertificateDetails (both servers): every field is required."""
    return {'issuer_distinguished_name': 'CN=Test CA, O=DEV', 'issuer_common_name': 'Test CA',
            'subject_distinguished_name': f'CN={subject}, O=DEV', 'subject_common_name': subject,
            'not_before': NOT_BEFORE, 'not_after': NOT_AFTER, 'serial': '1', 'version': 3,
            'signature_algorithm': 'SHA256withRSA', 'signature': '3082', 'public_key_algorithm': 'RSA',
            'rsa_public_key_modulus': 'c0ffee', 'rsa_public_key_exponent': 65537, 'hash': certificate_hash,
            'key_usages': ['DIGITAL_SIGNATURE'], 'subject_alternative_names': f'DNS:{subject}'}


def token_certificate(owner_id, certificate_hash):
    """TokenCertificate with its CertificateDetails, registered and active."""
    return {'owner_id': owner_id, 'active': True, 'saved_to_configuration': True, 'status': 'REGISTERED',
            'ocsp_status': 'OCSP_RESPONSE_GOOD', 'possible_actions': ['DISABLE'],
            'certificate_details': certificate_details('acme-ss.test', certificate_hash)}


def key(key_id, usage, certificates):
    """Key (security server): here `label` is a plain string."""
    return {'id': key_id, 'name': key_id, 'label': f'{usage.lower()} key', 'usage': usage, 'available': True,
            'saved_to_configuration': True, 'certificates': certificates, 'certificate_signing_requests': [],
            'possible_actions': ['DELETE'], 'key_algorithm': 'RSA'}


def client(member, subsystem=None):
    """Client (security server)."""
    identifier = ':'.join([INSTANCE, member['memberClass'], member['memberCode']] + ([subsystem] if subsystem else []))
    return {'id': identifier, 'instance_id': INSTANCE, 'member_name': member['name'], 'member_class': member['memberClass'],
            'member_code': member['memberCode'], **({'subsystem_code': subsystem} if subsystem else {}),
            'owner': subsystem is None, 'has_valid_local_sign_cert': True, 'connection_type': 'HTTP', 'status': 'REGISTERED'}


def management_services_configuration():
    """ManagementServicesConfiguration."""
    return {'service_provider_id': MANAGEMENT_ID, 'service_provider_name': 'DEV operator',
            'security_server_id': f'{INSTANCE}:GOV:ACME:acme-ss', 'security_server_owners_global_group_code': 'security-server-owners',
            'services_address': 'https://central-server.test/managementservice/manage/',
            'wsdl_address': 'https://central-server.test/managementservices.wsdl'}


def configured_central_server():
    """(method, path) → answer of a central server the bootstrap has configured before."""
    return copy.deepcopy({
        ('GET', '/api/v1/initialization/status'): Answer(200, {  # InitializationStatus
            'instance_identifier': INSTANCE, 'central_server_address': 'central-server.test', 'software_token_init_status': 'INITIALIZED'}),
        ('GET', '/api/v1/member-classes'): Answer(200, [{'code': 'GOV', 'description': 'GOV members'}]),  # MemberClass[]
        ('GET', '/api/v1/tokens'): Answer(200, [central_server_token([configuration_signing_key('INTERNAL', '11'),
                                                                      configuration_signing_key('EXTERNAL', '12')])]),
        ('POST', '/api/v1/members'): error(409, 'member_exists', f'{INSTANCE}:GOV:OPERATOR'),
        ('POST', '/api/v1/subsystems'): error(409, 'subsystem_exists', MANAGEMENT_ID),
        ('PATCH', '/api/v1/management-services-configuration'): Answer(200, management_services_configuration()),
        ('GET', '/api/v1/certification-services'): Answer(200, [  # ApprovedCertificationServiceListItem[]
            {'id': 1, 'name': 'Test CA', 'not_before': NOT_BEFORE, 'not_after': NOT_AFTER}]),
        ('GET', '/api/v1/timestamping-services'): Answer(200, [  # TimestampingService[]
            {'id': 1, 'timestamping_interval': 60, 'url': PLAN['tsaUrl'], 'cost_type': 'FREE',
             'certificate': certificate_details('Test TSA', 'TSA')}]),
        ('GET', '/api/v1/configuration-sources/INTERNAL/anchor/download'): Answer(200, '<configurationAnchor/>', 'application/xml'),
        ('GET', '/api/v1/management-services-configuration'): Answer(200, management_services_configuration()),
        ('POST', '/api/v1/management-services-configuration/register-provider'): error(400, 'subsystem_already_registered_to_security_server'),
        ('GET', '/api/v1/management-requests?status=WAITING&sort=id&desc=false'): Answer(200, {  # PagedManagementRequests
            'items': [], 'paging_metadata': {'total_items': 0, 'items': 0, 'limit': 25, 'offset': 0}}),
    })


def configured_security_server():
    """(method, path) → answer of the management security server, configured before."""
    acme = f'{INSTANCE}:GOV:ACME'
    operator = f'{INSTANCE}:GOV:OPERATOR'
    return copy.deepcopy({
        ('GET', '/api/v1/initialization/status'): Answer(200, {  # InitializationStatus (security server)
            'is_anchor_imported': True, 'is_server_code_initialized': True, 'is_server_owner_initialized': True,
            'software_token_init_status': 'INITIALIZED', 'enforce_token_pin_policy': False}),
        ('GET', '/api/v1/tokens/0'): Answer(200, {  # Token (security server)
            'id': '0', 'name': 'softToken-0', 'type': 'SOFTWARE', 'status': 'OK', 'logged_in': True, 'available': True,
            'saved_to_configuration': True, 'read_only': False, 'token_infos': [], 'possible_actions': ['LOGOUT'],
            'keys': [key('A1', 'AUTHENTICATION', [token_certificate(acme, 'AUTHHASH')]),
                     key('S1', 'SIGNING', [token_certificate(acme, 'SIGNHASH')]),
                     key('S2', 'SIGNING', [token_certificate(operator, 'OPERATORHASH')])]}),
        ('GET', '/api/v1/system/timestamping-services'): Answer(200, [{'name': 'Test TSA', 'url': PLAN['tsaUrl'], 'cost_type': 'FREE'}]),
        ('GET', '/api/v1/clients'): Answer(200, [client(ACME), client(OPERATOR, 'MANAGEMENT')]),  # Client[]
        ('GET', f'/api/v1/clients/{INSTANCE}%3AGOV%3AOPERATOR%3AMANAGEMENT/service-descriptions'): Answer(200, [  # ServiceDescription[]
            {'id': '1', 'url': 'https://central-server.test/managementservices.wsdl', 'type': 'WSDL', 'disabled': False,
             'disabled_notice': '', 'refreshed_at': CREATED, 'client_id': MANAGEMENT_ID,
             'services': [{'id': f'{MANAGEMENT_ID}:clientReg', 'service_code': 'clientReg', 'full_service_code': 'clientReg',
                           'timeout': 60, 'ssl_auth': False, 'subjects_count': 1, 'url': 'https://central-server.test/managementservice/manage/'}]}]),
    })
