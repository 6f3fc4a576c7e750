"""Answers of X-Road 7.8.0's admin APIs to the calls the sandbox bootstrap makes, for an instance the
bootstrap has already configured (a re-run). Each answer has the shape and field types of the schema
named beside it, read in nordic-institute/X-Road at tag 7.8.0:
- central server: src/central-server/openapi-model/src/main/resources/openapi-definition.yaml
- security server: src/security-server/openapi-model/src/main/resources/META-INF/openapi-definition.yaml
Only the values are invented (a sandbox named DEV with one member, ACME).
"""
import copy

INSTANCE = 'DEV'
OPERATOR = {'name': 'DEV operator', 'memberClass': 'GOV', 'memberCode': 'OPERATOR'}
ACME = {'name': 'acme', 'memberClass': 'GOV', 'memberCode': 'ACME'}
MANAGEMENT_ID = f'{INSTANCE}:GOV:OPERATOR:MANAGEMENT'
CS_URL = 'https://central-server.test:4000'
SS_URL = 'https://acme-ss.test:4000'

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


def configuration_signing_key(source, key_id):
    """ConfigurationSigningKey: `label` is a KeyLabel object, `source_type` a ConfigurationType."""
    return {'id': key_id, 'token_id': '0', 'key_hash': f'{key_id}AB', 'label': {'label': f'{source} signing key'},
            'created_at': '2026-01-12T00:00:00.001Z', 'active': True, 'available': True, 'possible_actions': ['DELETE'],
            'source_type': source, 'key_algorithm': 'RSA'}


def central_server_token(signing_keys):
    """Token (central server): `id` is a string."""
    return {'id': '0', 'name': 'softToken-0', 'serial_number': '', 'status': 'OK', 'logged_in': True, 'active': True,
            'available': True, 'possible_actions': ['LOGOUT', 'GENERATE_INTERNAL_KEY', 'GENERATE_EXTERNAL_KEY'],
            'configuration_signing_keys': signing_keys}


def token_certificate(owner_id, certificate_hash):
    """TokenCertificate with its CertificateDetails, registered and active."""
    return {'owner_id': owner_id, 'active': True, 'saved_to_configuration': True, 'status': 'REGISTERED',
            'ocsp_status': 'OCSP_RESPONSE_GOOD', 'possible_actions': ['DISABLE'],
            'certificate_details': {'hash': certificate_hash, 'issuer_common_name': 'Test CA', 'subject_common_name': 'acme-ss.test',
                                    'serial': '1', 'version': 3, 'not_before': '2026-01-01T00:00:00Z', 'not_after': '2046-01-01T00:00:00Z',
                                    'key_usages': ['DIGITAL_SIGNATURE']}}


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


def configured_central_server():
    """(method, path) → answer of a central server the bootstrap has configured before."""
    tsa_certificate = {'hash': 'TSA', 'issuer_common_name': 'Test CA', 'subject_common_name': 'Test TSA'}
    return copy.deepcopy({
        ('GET', '/api/v1/initialization/status'): {  # InitializationStatus
            'instance_identifier': INSTANCE, 'central_server_address': 'central-server.test', 'software_token_init_status': 'INITIALIZED'},
        ('GET', '/api/v1/member-classes'): [{'code': 'GOV', 'description': 'GOV members'}],  # MemberClass[]
        ('GET', '/api/v1/tokens'): [central_server_token([configuration_signing_key('INTERNAL', '11'),
                                                          configuration_signing_key('EXTERNAL', '12')])],
        ('GET', '/api/v1/certification-services'): [  # ApprovedCertificationServiceListItem[]
            {'id': 1, 'name': 'Test CA', 'not_before': '2026-01-01T00:00:00Z', 'not_after': '2046-01-01T00:00:00Z'}],
        ('GET', '/api/v1/timestamping-services'): [  # TimestampingService[]
            {'id': 1, 'timestamping_interval': 60, 'url': PLAN['tsaUrl'], 'cost_type': 'FREE', 'certificate': tsa_certificate}],
        ('GET', '/api/v1/configuration-sources/INTERNAL/anchor/download'): '<configurationAnchor/>',  # application/xml
        ('GET', '/api/v1/management-services-configuration'): {  # ManagementServicesConfiguration
            'service_provider_id': MANAGEMENT_ID, 'service_provider_name': 'DEV operator',
            'security_server_id': f'{INSTANCE}:GOV:ACME:acme-ss', 'security_server_owners_global_group_code': 'security-server-owners',
            'services_address': 'https://central-server.test/managementservice/manage/',
            'wsdl_address': 'https://central-server.test/managementservices.wsdl'},
        ('GET', '/api/v1/management-requests?status=WAITING&sort=id&desc=false'): {  # PagedManagementRequests
            'items': [], 'paging_metadata': {'total_items': 0, 'items': 0, 'limit': 25, 'offset': 0}},
    })


def configured_security_server():
    """(method, path) → answer of the management security server, configured before."""
    acme = f'{INSTANCE}:GOV:ACME'
    operator = f'{INSTANCE}:GOV:OPERATOR'
    return copy.deepcopy({
        ('GET', '/api/v1/initialization/status'): {  # InitializationStatus (security server)
            'is_anchor_imported': True, 'is_server_code_initialized': True, 'is_server_owner_initialized': True,
            'software_token_init_status': 'INITIALIZED', 'enforce_token_pin_policy': False},
        ('GET', '/api/v1/tokens/0'): {  # Token (security server)
            'id': '0', 'name': 'softToken-0', 'type': 'SOFTWARE', 'status': 'OK', 'logged_in': True, 'available': True,
            'saved_to_configuration': True, 'read_only': False, 'token_infos': [], 'possible_actions': ['LOGOUT'],
            'keys': [key('A1', 'AUTHENTICATION', [token_certificate(acme, 'AUTHHASH')]),
                     key('S1', 'SIGNING', [token_certificate(acme, 'SIGNHASH')]),
                     key('S2', 'SIGNING', [token_certificate(operator, 'OPERATORHASH')])]},
        ('GET', '/api/v1/system/timestamping-services'): [{'name': 'Test TSA', 'url': PLAN['tsaUrl'], 'cost_type': 'FREE'}],
        ('GET', '/api/v1/clients'): [client(ACME), client(OPERATOR, 'MANAGEMENT')],  # Client[]
        ('GET', f'/api/v1/clients/{INSTANCE}%3AGOV%3AOPERATOR%3AMANAGEMENT/service-descriptions'): [  # ServiceDescription[]
            {'id': '1', 'url': 'https://central-server.test/managementservices.wsdl', 'type': 'WSDL', 'disabled': False,
             'disabled_notice': '', 'refreshed_at': '2026-01-12T00:00:00Z', 'client_id': MANAGEMENT_ID,
             'services': [{'id': f'{MANAGEMENT_ID}:clientReg', 'service_code': 'clientReg', 'full_service_code': 'clientReg',
                           'timeout': 60, 'ssl_auth': False, 'subjects_count': 1, 'url': 'https://central-server.test/managementservice/manage/'}]}],
    })
