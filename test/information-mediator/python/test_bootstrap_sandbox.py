"""The sandbox X-Road bootstrap (constructs/information-mediator/scripts/bootstrap_sandbox.py) against
recorded answers of X-Road 7.8.0's admin APIs (recorded_answers.py): the Job runs again after every
change of its plan or scripts, so a run against an instance it configured before must finish, and
must add only what is missing. Run with `python3 -m unittest` from this folder (the Jest spec
bootstrap-script.test.ts does).

The bootstrap's own XRoadApi builds every request (headers, encoding); only the network is replaced.
With XROAD_EXCHANGE_LOG set, every request and the recorded answer it got are written there as JSON,
for the Jest spec to hold against X-Road's definitions.
"""
import json
import os
import sys
import tempfile
import unittest
import urllib.parse
from unittest import mock

os.environ['XROAD_API_MIN_INTERVAL'] = '0'  # no pacing against recordings
sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', '..', '..', 'constructs', 'information-mediator', 'scripts'))

import bootstrap_sandbox  # noqa: E402
import recorded_answers as recorded  # noqa: E402
import xroad_api  # noqa: E402

EXCHANGES = []


def body_of(request):
    """The request body as the contract check reads it: JSON parsed, form fields, or a byte count."""
    data, content_type = request.data, request.get_header('Content-type') or ''
    if data is None:
        return None
    if content_type.startswith('application/json'):
        return json.loads(data)
    if content_type.startswith('multipart/form-data'):
        boundary = content_type.split('boundary=')[1].encode()
        fields = {}
        for part in data.split(b'--' + boundary)[1:-1]:
            head, _, value = part.strip(b'\r\n').partition(b'\r\n\r\n')
            disposition = dict(p.split('=', 1) for p in head.decode().split('\r\n')[0].split('; ')[1:])
            fields[disposition['name'].strip('"')] = f'<{len(value)} bytes>' if 'filename' in disposition else value.decode()
        return fields
    return {'bytes': len(data)}


class RecordedAdminApi(xroad_api.XRoadApi):
    """XRoadApi with its network replaced by a recording: (method, path) → recorded_answers.Answer."""

    def __init__(self, api, base_url, answers):
        super().__init__(base_url)
        self.api = api
        self.answers = answers
        self.writes = []

    def login(self, _user, _secret_file):
        return None  # the form login runs against the fake security server (registration-script.test.ts)

    def send(self, request):
        parts = urllib.parse.urlsplit(request.full_url)
        path = parts.path + (f'?{parts.query}' if parts.query else '')
        method = request.get_method()
        answer = self.answers.get((method, path))
        if answer is None:
            raise AssertionError(f'no recorded answer for {method} {path}')
        if method != 'GET':
            self.writes.append((method, path, body_of(request)))
        EXCHANGES.append({'api': self.api, 'method': method, 'path': path, 'contentType': request.get_header('Content-type'),
                          'accept': request.get_header('Accept'), 'body': body_of(request), 'status': answer.status, 'answer': answer.body})
        text = answer.body if isinstance(answer.body, str) or answer.body is None else json.dumps(answer.body)
        return answer.status, answer.content_type, text or ''


def tearDownModule():
    if os.environ.get('XROAD_EXCHANGE_LOG'):
        with open(os.environ['XROAD_EXCHANGE_LOG'], 'w') as handle:
            json.dump(EXCHANGES, handle, indent=1)


class BootstrapRerun(unittest.TestCase):
    def run_bootstrap(self, central_server, security_server):
        apis = {recorded.CS_URL: RecordedAdminApi('central-server', recorded.CS_URL, central_server),
                recorded.SS_URL: RecordedAdminApi('security-server', recorded.SS_URL, security_server)}
        with tempfile.NamedTemporaryFile('w', suffix='.json') as plan:
            json.dump(recorded.PLAN, plan)
            plan.flush()
            with mock.patch.object(bootstrap_sandbox, 'XRoadApi', side_effect=lambda url: apis[url]), \
                    mock.patch.object(bootstrap_sandbox, 'read', return_value='token-pin'), \
                    mock.patch.object(bootstrap_sandbox, 'http_get', return_value=b'certificate'), \
                    mock.patch.object(bootstrap_sandbox, 'log'), \
                    mock.patch.object(sys, 'argv', ['bootstrap_sandbox.py', plan.name]):
                bootstrap_sandbox.main()
        return apis[recorded.CS_URL].writes, apis[recorded.SS_URL].writes

    def test_a_configured_instance_is_configured_again_without_error_or_new_keys(self):
        cs_writes, ss_writes = self.run_bootstrap(recorded.configured_central_server(), recorded.configured_security_server())
        self.assertEqual([w for w in cs_writes if 'signing-keys' in w[1]], [])
        self.assertEqual([w for w in cs_writes if w[1] in ('/api/v1/initialization', '/api/v1/certification-services', '/api/v1/timestamping-services')], [])
        self.assertEqual([w for w in ss_writes if 'keys-with-csrs' in w[1] or 'token-certificates' in w[1]], [])

    def test_only_the_missing_configuration_signing_key_is_added_with_the_token_id_as_a_string(self):
        central_server = recorded.configured_central_server()
        central_server[('GET', '/api/v1/tokens')] = recorded.Answer(200, [recorded.central_server_token([recorded.configuration_signing_key('INTERNAL', '11')])])
        central_server[('POST', '/api/v1/configuration-sources/EXTERNAL/signing-keys')] = recorded.Answer(201, recorded.configuration_signing_key('EXTERNAL', '12'))
        cs_writes, _ = self.run_bootstrap(central_server, recorded.configured_security_server())
        self.assertEqual([w for w in cs_writes if 'signing-keys' in w[1]], [
            ('POST', '/api/v1/configuration-sources/EXTERNAL/signing-keys', {'key_label': 'EXTERNAL signing key', 'token_id': '0'})])


if __name__ == '__main__':
    unittest.main()
