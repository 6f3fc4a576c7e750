"""Applies one security server's part of the service catalogue through its admin REST API.

Idempotent: it compares what the server has with the catalogue (input.json) and changes only the
difference, so a second run changes nothing. It adds and registers the subsystems, gives each
connection type HTTPS and exactly the client certificates cert-manager issued in its namespace (read
from the Kubernetes API, public certificates only), adds each
OpenAPI 3 service description, points the service at the building block inside the cluster, grants
exactly the declared consumers (and revokes any other access right on kit-managed services), and
enables the descriptions. While the server is not yet initialised or registered (outside the
sandbox that is a manual step with the national operator) it reports what waits and exits cleanly;
the CronJob runs it again later.
"""
import base64
import hashlib
import json
import os
import sys
import urllib.parse

from kubernetes_api import KubernetesApi, KubernetesError, issued_certificates
from xroad_api import ApiError, XRoadApi, log, missing_initialisation

ROLES = ['XROAD_SERVICE_ADMINISTRATOR', 'XROAD_REGISTRATION_OFFICER', 'XROAD_SECURITYSERVER_OBSERVER']


def quoted(client_id):
    return urllib.parse.quote(client_id, safe='')


def is_initialised(status):
    return (status['is_anchor_imported'] and status['is_server_code_initialized']
            and status['is_server_owner_initialized'] and status['software_token_init_status'] == 'INITIALIZED')


def initialise(api, plan):
    """Joins the national instance as far as it can without people: the configuration anchor the
    operator put in the cluster, then owner, server code and token PIN. Keys and certificates need
    the national CA and the registration needs the operator's approval: those stay manual."""
    status = api.get('/api/v1/initialization/status')
    steps = plan.get('initialise')
    if is_initialised(status) or not steps:
        return is_initialised(status)
    if not status['is_anchor_imported']:
        if not os.path.exists(steps['anchorFile']):
            log(f'no configuration anchor at {steps["anchorFile"]}: create {steps["anchorSource"]} in this namespace from the file '
                'the X-Road operator gives you; the next run imports it')
            return False
        with open(steps['anchorFile'], 'rb') as handle:
            api.request('POST', '/api/v1/system/anchor', raw=handle.read(), content_type='application/octet-stream')
        log('imported the configuration anchor of the national instance')
    def read_pin():
        with open(steps['pinFile']) as handle:
            return handle.read().strip()

    api.post('/api/v1/initialization', body=missing_initialisation(
        status, steps['ownerMemberClass'], steps['ownerMemberCode'], steps['serverCode'], read_pin))
    log(f'initialised as security server {steps["serverCode"]} of {steps["ownerMemberClass"]}/{steps["ownerMemberCode"]}; next, by hand: '
        'create the authentication and signing keys and CSRs, have them certified by an approved CA, import the certificates, '
        f'register the authentication certificate with address {steps["address"]} and wait for the operator\'s approval')
    return is_initialised(api.get('/api/v1/initialization/status'))


def ensure_subsystem(api, kubernetes, existing, subsystem, changes):
    client = existing.get(subsystem['id'])
    if client is None:
        client = api.post('/api/v1/clients', body={'ignore_warnings': True, 'client': {
            'member_class': subsystem['memberClass'], 'member_code': subsystem['memberCode'],
            'subsystem_code': subsystem['subsystemCode'], 'connection_type': subsystem['connectionType']}})
        changes.append(f'added subsystem {subsystem["id"]}')
    ensure_client_authentication(api, kubernetes, client, subsystem, changes)
    if client.get('status') == 'SAVED':
        try:
            api.put(f'/api/v1/clients/{quoted(subsystem["id"])}/register')
            changes.append(f'sent the registration request of {subsystem["id"]} to the central server')
        except ApiError as error:
            log(f'registration of {subsystem["id"]} must wait (is this security server registered?): {error}')


def certificate_hash(pem):
    """X-Road's hash of a certificate: SHA-256 of its DER encoding, upper-case hex (CertificateDetailsConverter)."""
    body = pem.split('-----BEGIN CERTIFICATE-----', 1)[1].split('-----END CERTIFICATE-----', 1)[0]
    return hashlib.sha256(base64.b64decode(''.join(body.split()))).hexdigest().upper()


def ensure_client_authentication(api, kubernetes, client, subsystem, changes):
    """Connection type HTTPS, so that X-Road lets a client call as this subsystem only with one of its
    internal TLS certificates; and as those exactly the certificates cert-manager issued in the
    subsystem's namespace that it still keeps (the current and the previous one, which pods started
    before the renewal still present). Any other certificate, one added by hand included, is removed.
    HTTPS comes first: until a certificate is issued nobody can call as the subsystem, rather than anybody."""
    client_id = quoted(subsystem['id'])
    if client.get('connection_type') != subsystem['connectionType']:
        api.patch(f'/api/v1/clients/{client_id}', body={'connection_type': subsystem['connectionType']})
        changes.append(f'set the connection type of {subsystem["id"]} to {subsystem["connectionType"]}')
    source = subsystem['clientCertificate']
    where = f'Certificate {source["name"]} in namespace {source["namespace"]}'
    try:
        issued = issued_certificates(kubernetes, source['namespace'], source['name'])
    except (KubernetesError, OSError) as error:
        log(f'cannot read the client certificates of {subsystem["id"]} ({where}): {error}; its registered certificates stay as they are')
        return
    if not issued:
        log(f'no client certificate issued yet for {subsystem["id"]} ({where}): nobody can call as it until the next run registers one')
        return
    wanted = {certificate_hash(pem) for pem in issued}
    registered = {c['hash'].upper() for c in api.get(f'/api/v1/clients/{client_id}/tls-certificates')}
    if certificate_hash(issued[0]) not in registered:
        api.post(f'/api/v1/clients/{client_id}/tls-certificates', raw=issued[0].encode(), content_type='application/octet-stream')
        changes.append(f'registered the client certificate of {subsystem["id"]} issued for {where}')
    for unknown in sorted(registered - wanted):
        api.delete(f'/api/v1/clients/{client_id}/tls-certificates/{unknown}')
        changes.append(f'removed client certificate {unknown} of {subsystem["id"]}: not issued for {where}, or no longer kept')


# Service descriptions the kit manages: OPENAPI3 from a document, REST by base URL (never WSDL).
REST_TYPES = ('OPENAPI3', 'REST')
DESCRIBED_AS = {'OPENAPI3': 'OpenAPI 3 description', 'REST': 'REST base URL'}


def description_of(descriptions, service_code):
    for description in descriptions:
        if description['type'] in REST_TYPES and any(s['service_code'] == service_code for s in description['services']):
            return description
    return None


def ensure_service(api, service, changes):
    provider = quoted(service['provider'])
    descriptions = api.get(f'/api/v1/clients/{provider}/service-descriptions')
    kind, url = service['descriptionType'], service['descriptionUrl']
    description = description_of(descriptions, service['serviceCode'])
    if description is not None and description['type'] != kind:
        # X-Road cannot change a description's type: it is added again (access rights follow below).
        api.delete(f'/api/v1/service-descriptions/{description["id"]}')
        changes.append(f'removed the {DESCRIBED_AS[description["type"]]} of {service["serviceCode"]} to add it as {DESCRIBED_AS[kind]}')
        description = None
    if description is None:
        description = api.post(f'/api/v1/clients/{provider}/service-descriptions', body={
            'url': url, 'type': kind, 'rest_service_code': service['serviceCode'], 'ignore_warnings': True})
        changes.append(f'added {DESCRIBED_AS[kind]} of {service["provider"]}:{service["serviceCode"]}')
    elif description['url'] != url:
        description = api.patch(f'/api/v1/service-descriptions/{description["id"]}', body={
            'url': url, 'type': kind, 'rest_service_code': service['serviceCode'],
            'new_rest_service_code': service['serviceCode'], 'ignore_warnings': True})
        changes.append(f'updated the description URL of {service["serviceCode"]}')

    current = next(s for s in description['services'] if s['service_code'] == service['serviceCode'])
    if current['url'] != service['serviceUrl']:
        api.patch(f'/api/v1/services/{quoted(current["id"])}', body={
            'url': service['serviceUrl'], 'url_all': False, 'timeout': current.get('timeout', 60), 'timeout_all': False,
            'ssl_auth': False, 'ssl_auth_all': False, 'ignore_warnings': True})
        changes.append(f'pointed {service["serviceCode"]} at {service["serviceUrl"]}')

    granted = {c['id'] for c in api.get(f'/api/v1/services/{quoted(current["id"])}/service-clients')}
    wanted = set(service['consumers'])
    missing = sorted(wanted - granted)
    extra = sorted(granted - wanted)
    # One consumer at a time: X-Road refuses the whole request when one of them is not yet in the
    # global configuration, and the others need not wait for it.
    for consumer in missing:
        try:
            api.post(f'/api/v1/services/{quoted(current["id"])}/service-clients',
                     body={'items': [{'id': consumer, 'service_client_type': 'SUBSYSTEM'}]})
            changes.append(f'granted {consumer} access to {service["serviceCode"]}')
        except ApiError as error:
            log(f'access of {consumer} to {service["serviceCode"]} must wait until it is registered: {error}')
    if extra:
        api.post(f'/api/v1/services/{quoted(current["id"])}/service-clients/delete',
                 body={'items': [{'id': c, 'service_client_type': 'SUBSYSTEM'} for c in extra]})
        changes.append(f'revoked undeclared access of {", ".join(extra)} to {service["serviceCode"]}')
    if description['disabled']:
        api.put(f'/api/v1/service-descriptions/{description["id"]}/enable')
        changes.append(f'enabled {service["serviceCode"]}')


def prune_undeclared(api, subsystem_ids, services, changes):
    declared = {(s['provider'], s['serviceCode']) for s in services}
    for subsystem_id in subsystem_ids:
        for description in api.get(f'/api/v1/clients/{quoted(subsystem_id)}/service-descriptions'):
            codes = {(subsystem_id, s['service_code']) for s in description['services']}
            if description['type'] in REST_TYPES and not codes & declared:
                api.delete(f'/api/v1/service-descriptions/{description["id"]}')
                changes.append(f'removed undeclared service description {description["url"]} of {subsystem_id}')


def main():
    with open(sys.argv[1]) as handle:
        plan = json.load(handle)
    api = XRoadApi(plan['adminUrl'])
    api.login(plan['adminUser'], plan['passwordFile'])
    if not initialise(api, plan):
        log('the security server is not initialised yet (configuration anchor, owner, token); nothing to do until it is')
        return
    kubernetes = KubernetesApi()
    api.use_temporary_key(ROLES)
    changes = []
    try:
        existing = {c['id']: c for c in api.get('/api/v1/clients')}
        for subsystem in plan['subsystems']:
            ensure_subsystem(api, kubernetes, existing, subsystem, changes)
        for service in plan['services']:
            ensure_service(api, service, changes)
        prune_undeclared(api, [s['id'] for s in plan['subsystems']], plan['services'], changes)
    finally:
        api.revoke_temporary_key()
    for change in changes:
        log(change)
    log(f'{len(changes)} changes; the security server matches the catalogue' if not changes else f'{len(changes)} changes applied')


if __name__ == '__main__':
    main()
