"""Configures the sandbox X-Road instance after deploy, following NIIS's own setup sequence
(development/hurl/scenarios/setup.hurl): the central server (instance, member classes, signing
keys, members, management services, the test CA with OCSP and the TSA) and each security server
(anchor, owner and code, auth and sign keys certified by the test CA, registration, activation,
time-stamping), and the management services on the provider's security server.

Idempotent: each step looks first and acts only when something is missing, so the Job can be
run again at any time. Registration requests are auto-approved by the central server (local.ini);
anything still waiting is approved here, as an operator would. Subsystems and services are the
registration CronJobs' part.
"""
import json
import sys
import time
import urllib.parse
import urllib.request

from xroad_api import ApiError, XRoadApi, log, missing_initialisation, wait_until

MANAGEMENT_SERVICES = ['authCertDeletion', 'clientDeletion', 'clientReg', 'ownerChange', 'clientEnable', 'clientDisable',
                       'addressChange', 'clientRename', 'maintenanceModeEnable', 'maintenanceModeDisable']
TIMEOUT = 1800
SOFTWARE_TOKEN = '0'  # the id of the software token, the only token of a sandbox server


def read(file):
    with open(file) as handle:
        return handle.read().strip()


def multipart(fields, files):
    boundary = 'govstack-sandbox-bootstrap'
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, data) in files.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                     f'Content-Type: application/octet-stream\r\n\r\n'.encode() + data + b'\r\n')
    return b''.join(parts) + f'--{boundary}--\r\n'.encode(), f'multipart/form-data; boundary={boundary}'


def http_get(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read()


def signed_by_test_ca(plan, kind, csr_pem):
    body, content_type = multipart({'type': kind}, {'certreq': (f'{kind}.csr.pem', csr_pem)})
    request = urllib.request.Request(f'{plan["testCaUrl"]}/testca/sign', data=body, method='POST', headers={'Content-Type': content_type})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.read()


def approve_waiting_requests(cs):
    """What an operator would do; normally the central server's auto-approval has done it already."""
    waiting = cs.get('/api/v1/management-requests?status=WAITING&sort=id&desc=false')
    for item in (waiting or {}).get('items', []):
        cs.post(f'/api/v1/management-requests/{item["id"]}/approval', accept_statuses=(400, 404, 409))
        log(f'approved management request {item["id"]} ({item.get("type")})')


def configure_central_server(plan, cs):
    pin = read(plan['centralServer']['pinFile'])
    status = cs.get('/api/v1/initialization/status')
    if status.get('software_token_init_status') != 'INITIALIZED':
        cs.post('/api/v1/initialization', body={'software_token_pin': pin, 'instance_identifier': plan['instance'],
                                                'central_server_address': plan['centralServer']['address']})
        log('initialised the central server')
    existing = {c['code'] for c in cs.get('/api/v1/member-classes')}
    for code in plan['memberClasses']:
        if code not in existing:
            cs.post('/api/v1/member-classes', body={'code': code, 'description': f'{code} members'})
            log(f'added member class {code}')
    # Field types as the central server's OpenAPI definition (7.8.0) gives them: a token's id is a
    # string, a configuration signing key's label an object ({"label": …}) and its source_type the
    # configuration (INTERNAL or EXTERNAL) it signs.
    token = next(t for t in cs.get('/api/v1/tokens') if t['id'] == SOFTWARE_TOKEN)
    if not token.get('logged_in'):
        cs.put(f'/api/v1/tokens/{SOFTWARE_TOKEN}/login', body={'password': pin})
    token = next(t for t in cs.get('/api/v1/tokens') if t['id'] == SOFTWARE_TOKEN)
    for source in ('INTERNAL', 'EXTERNAL'):
        if not any(k.get('source_type') == source for k in token.get('configuration_signing_keys') or []):
            cs.post(f'/api/v1/configuration-sources/{source}/signing-keys',
                    body={'key_label': f'{source} signing key', 'token_id': SOFTWARE_TOKEN}, accept_statuses=(409,))
            log(f'added the {source} configuration signing key')
    for member in plan['members']:
        cs.post('/api/v1/members', body={'member_id': {'member_class': member['memberClass'], 'member_code': member['memberCode']},
                                         'member_name': member['name']}, accept_statuses=(409,))
    management = plan['management']
    cs.post('/api/v1/subsystems', body={'subsystem_id': {'member_class': management['memberClass'], 'member_code': management['memberCode'],
                                                         'subsystem_code': 'MANAGEMENT'}}, accept_statuses=(409,))
    cs.patch('/api/v1/management-services-configuration', body={'service_provider_id': management['id']})

    if not cs.get('/api/v1/certification-services'):
        ca = http_get(f'{plan["testCaUrl"]}/testca/certs/ca.pem')
        body, content_type = multipart({'certificate_profile_info': plan['certificateProfile'], 'tls_auth': 'false', 'default_csr_format': 'DER'},
                                       {'certificate': ('ca.pem', ca)})
        service = cs.request('POST', '/api/v1/certification-services', raw=body, content_type=content_type)
        body, content_type = multipart({'url': plan['testCaUrl'], 'cost_type': 'FREE'},
                                       {'certificate': ('ocsp.pem', http_get(f'{plan["testCaUrl"]}/testca/certs/ocsp.pem'))})
        cs.request('POST', f'/api/v1/certification-services/{service["id"]}/ocsp-responders', raw=body, content_type=content_type)
        log('added the test CA and its OCSP responder')
    if not cs.get('/api/v1/timestamping-services'):
        body, content_type = multipart({'url': plan['tsaUrl'], 'cost_type': 'FREE'},
                                       {'certificate': ('tsa.pem', http_get(f'{plan["testCaUrl"]}/testca/certs/tsa.pem'))})
        cs.request('POST', '/api/v1/timestamping-services', raw=body, content_type=content_type)
        log('added the time-stamping authority')
    return cs.get('/api/v1/configuration-sources/INTERNAL/anchor/download', accept='application/xml').encode()


def certified_key(ss, plan, server, usage, member):
    """Creates a key with a CSR, has the test CA sign it and imports the certificate, unless one exists."""
    for key in ss.get('/api/v1/tokens/0')['keys']:
        owner = f'{plan["instance"]}:{member["memberClass"]}:{member["memberCode"]}'
        if key['usage'] == usage and any(usage == 'AUTHENTICATION' or c.get('owner_id') == owner for c in key['certificates']):
            return next(c for c in key['certificates'] if usage == 'AUTHENTICATION' or c.get('owner_id') == owner)
    ca_name = wait_until('the test CA in the global configuration', lambda: ss.get('/api/v1/certificate-authorities'), TIMEOUT)[0]['name']
    subject = {'C': plan['country'], 'O': member['name'], 'subjectAltName': server['address'],
               'serialNumber': f'{plan["instance"]}/{server["code"]}/{server["owner"]["memberClass"]}',
               'CN': server['address'] if usage == 'AUTHENTICATION' else member['memberCode']}
    request = {'key_usage_type': usage, 'ca_name': ca_name, 'csr_format': 'DER', 'subject_field_values': subject}
    if usage == 'SIGNING':
        request['member_id'] = f'{plan["instance"]}:{member["memberClass"]}:{member["memberCode"]}'
    created = ss.post('/api/v1/tokens/0/keys-with-csrs', body={'key_label': f'{usage.lower()} {member["name"]}', 'csr_generate_request': request})
    csr = ss.get(f'/api/v1/keys/{created["key"]["id"]}/csrs/{created["csr_id"]}?csr_format=PEM', accept='application/octet-stream')
    certificate = signed_by_test_ca(plan, 'auth' if usage == 'AUTHENTICATION' else 'sign', csr.encode() if isinstance(csr, str) else csr)
    imported = ss.request('POST', '/api/v1/token-certificates', raw=certificate, content_type='application/octet-stream')
    log(f'{server["code"]}: imported the {usage.lower()} certificate of {member["name"]}')
    return imported


def configure_security_server(plan, cs, server, anchor):
    ss = XRoadApi(server['adminUrl'])
    wait_until(f'{server["code"]} admin API', lambda: ss.login(plan['adminUser'], server['passwordFile']) or True, TIMEOUT)
    pin = read(server['pinFile'])
    status = ss.get('/api/v1/initialization/status')
    if not status['is_anchor_imported']:
        ss.request('POST', '/api/v1/system/anchor', raw=anchor, content_type='application/octet-stream')
        log(f'{server["code"]}: imported the configuration anchor')
    if not (status['is_server_owner_initialized'] and status['is_server_code_initialized'] and status['software_token_init_status'] == 'INITIALIZED'):
        ss.post('/api/v1/initialization', body=missing_initialisation(
            status, server['owner']['memberClass'], server['owner']['memberCode'], server['code'], lambda: pin))
        log(f'{server["code"]}: initialised')
    if not ss.get('/api/v1/tokens/0').get('logged_in'):
        ss.put('/api/v1/tokens/0/login', body={'password': pin}, accept_statuses=(409,))
    auth = certified_key(ss, plan, server, 'AUTHENTICATION', server['owner'])
    certified_key(ss, plan, server, 'SIGNING', server['owner'])

    hash_ = auth['certificate_details']['hash']
    if auth['status'] == 'SAVED':
        ss.put(f'/api/v1/token-certificates/{hash_}/register', body={'address': server['address']})
        log(f'{server["code"]}: sent the authentication certificate registration request')

    def registered():
        approve_waiting_requests(cs)
        return next((c for k in ss.get('/api/v1/tokens/0')['keys'] for c in k['certificates']
                     if c['certificate_details']['hash'] == hash_ and c['status'] == 'REGISTERED'), None)
    certificate = wait_until(f'{server["code"]} authentication certificate registration', registered, TIMEOUT)
    if not certificate['active']:
        ss.put(f'/api/v1/token-certificates/{hash_}/activate')
        log(f'{server["code"]}: activated the authentication certificate')
    if not ss.get('/api/v1/system/timestamping-services'):
        tsa = wait_until('the TSA in the global configuration', lambda: ss.get('/api/v1/timestamping-services'), TIMEOUT)[0]
        ss.post('/api/v1/system/timestamping-services', body={'name': tsa['name'], 'url': tsa['url'], 'cost_type': tsa.get('cost_type', 'FREE')})
        log(f'{server["code"]}: added the time-stamping service')
    return ss


def publish_management_services(plan, cs, ss, server):
    management = plan['management']
    server_id = f'{plan["instance"]}:{server["owner"]["memberClass"]}:{server["owner"]["memberCode"]}:{server["code"]}'
    cs.post('/api/v1/management-services-configuration/register-provider', body={'security_server_id': server_id}, accept_statuses=(400, 409))
    subsystem = management['subsystem']
    client_id = urllib.parse.quote(management['id'], safe='')
    if not any(c['id'] == management['id'] for c in ss.get('/api/v1/clients')):
        ss.post('/api/v1/clients', body={'ignore_warnings': True, 'client': {'member_class': management['memberClass'],
                'member_code': management['memberCode'], 'subsystem_code': subsystem, 'connection_type': 'HTTP'}})
        log('added the MANAGEMENT subsystem to the management security server')
    # The operator's subsystem is signed for by the operator: it needs its own signing certificate here.
    certified_key(ss, plan, server, 'SIGNING', management['operator'])
    if ss.get(f'/api/v1/clients/{client_id}/service-descriptions'):
        return
    config = cs.get('/api/v1/management-services-configuration')
    description = ss.post(f'/api/v1/clients/{client_id}/service-descriptions',
                          body={'url': config['wsdl_address'], 'type': 'WSDL', 'ignore_warnings': True})
    ss.patch(f'/api/v1/services/{urllib.parse.quote(description["services"][0]["id"], safe="")}', body={
        'url': config['services_address'], 'url_all': True, 'timeout': 60, 'timeout_all': True,
        'ssl_auth': False, 'ssl_auth_all': True, 'ignore_warnings': True})
    owners = urllib.parse.quote(f'{plan["instance"]}:security-server-owners', safe='')
    ss.post(f'/api/v1/clients/{client_id}/service-clients/{owners}/access-rights',
            body={'items': [{'service_code': code} for code in MANAGEMENT_SERVICES]}, accept_statuses=(409,))
    ss.put(f'/api/v1/service-descriptions/{description["id"]}/enable')
    log('published the management services')


def main():
    with open(sys.argv[1]) as handle:
        plan = json.load(handle)
    cs = XRoadApi(plan['centralServer']['adminUrl'])
    wait_until('the central server admin API', lambda: cs.login('xrd', plan['centralServer']['passwordFile']) or True, TIMEOUT)
    wait_until('the test CA', lambda: http_get(f'{plan["testCaUrl"]}/testca/certs/ca.pem'), TIMEOUT)
    anchor = configure_central_server(plan, cs)
    for server in plan['securityServers']:
        ss = configure_security_server(plan, cs, server, anchor)
        if server.get('management'):
            publish_management_services(plan, cs, ss, server)
    approve_waiting_requests(cs)
    log('the sandbox X-Road instance is configured; the registration CronJobs add subsystems and services')


if __name__ == '__main__':
    start = time.monotonic()
    main()
    log(f'done in {int(time.monotonic() - start)} s')
