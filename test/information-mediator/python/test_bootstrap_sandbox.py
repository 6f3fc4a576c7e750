"""The sandbox X-Road bootstrap (constructs/information-mediator/scripts/bootstrap_sandbox.py) against
recorded answers of X-Road 7.8.0's admin APIs (recorded_answers.py): the Job runs again after every
change of its plan or scripts, so a run against an instance it configured before must finish, and
must add only what is missing. Run with `python3 -m unittest` from this folder (the Jest spec
bootstrap-script.test.ts does).
"""
import json
import os
import sys
import tempfile
import unittest
from unittest import mock

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', '..', '..', 'constructs', 'information-mediator', 'scripts'))

import bootstrap_sandbox  # noqa: E402
import recorded_answers as recorded  # noqa: E402


class RecordedAdminApi:
    """Answers GETs from a recording and accepts the idempotent writes the bootstrap makes on a re-run."""

    def __init__(self, answers):
        self.answers = answers
        self.writes = []

    def login(self, _user, _secret_file):
        return None

    def request(self, method, path, body=None, raw=None, content_type=None, accept=None, accept_statuses=(), json_answer=True):
        if method == 'GET':
            if (method, path) not in self.answers:
                raise AssertionError(f'no recorded answer for GET {path}')
            return self.answers[(method, path)]
        self.writes.append((method, path, body))
        # Writes the real server refuses as already done (409) come back as None, as XRoadApi returns them.
        return None

    def get(self, path, **kwargs):
        return self.request('GET', path, **kwargs)

    def post(self, path, body=None, **kwargs):
        return self.request('POST', path, body=body, **kwargs)

    def put(self, path, body=None, **kwargs):
        return self.request('PUT', path, body=body, **kwargs)

    def patch(self, path, body=None, **kwargs):
        return self.request('PATCH', path, body=body, **kwargs)


class BootstrapRerun(unittest.TestCase):
    def run_bootstrap(self, central_server, security_server):
        apis = {recorded.CS_URL: RecordedAdminApi(central_server), recorded.SS_URL: RecordedAdminApi(security_server)}
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
        central_server[('GET', '/api/v1/tokens')] = [recorded.central_server_token([recorded.configuration_signing_key('INTERNAL', '11')])]
        cs_writes, _ = self.run_bootstrap(central_server, recorded.configured_security_server())
        self.assertEqual([w for w in cs_writes if 'signing-keys' in w[1]], [
            ('POST', '/api/v1/configuration-sources/EXTERNAL/signing-keys', {'key_label': 'EXTERNAL signing key', 'token_id': '0'})])


if __name__ == '__main__':
    unittest.main()
