"""A small client for X-Road's admin REST API (/api/v1 on port 4000), standard library only.

It logs in with a session (form login, then the XSRF-TOKEN cookie echoed in X-XSRF-TOKEN), which
X-Road accepts from any address, unlike basic authentication for API keys (localhost only by
default). It throttles itself: X-Road allows 20 requests per second and 600 per minute per address;
XROAD_API_MIN_INTERVAL (seconds between requests) changes the pace, for tests against a fake server.
"""
import http.cookiejar
import json
import os
import ssl
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

MIN_INTERVAL = float(os.environ.get('XROAD_API_MIN_INTERVAL', '0.25'))  # by default at most 4 requests a second, 240 a minute


def log(message):
    print(time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime()), message, flush=True)


class ApiError(Exception):
    def __init__(self, method, path, status, body):
        super().__init__(f'{method} {path} answered HTTP {status}: {body[:500]}')
        self.status = status
        self.body = body


class XRoadApi:
    def __init__(self, base_url):
        self.base_url = base_url.rstrip('/')
        # The admin UI's certificate is self-signed and generated at first start; traffic stays in the namespace.
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPSHandler(context=context), urllib.request.HTTPCookieProcessor(self.cookies))
        # Requests with an API key go without the session cookie: while a request carries a live session,
        # X-Road authenticates the session (all of the user's roles, not the key's) and wants its XSRF token.
        self.key_opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=context))
        self.authorization = None
        self.last_call = 0.0

    def _xsrf(self):
        for cookie in self.cookies:
            if cookie.name == 'XSRF-TOKEN':
                return cookie.value
        return None

    def request(self, method, path, body=None, raw=None, content_type=None, accept='application/json', accept_statuses=(), json_answer=True):
        """`accept` must admit what the operation answers: X-Road answers 406 to a download asked for as JSON."""
        wait = self.last_call + MIN_INTERVAL - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        headers = {'Accept': accept}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers['Content-Type'] = 'application/json'
        elif raw is not None:
            data = raw
            headers['Content-Type'] = content_type or 'application/octet-stream'
        if self.authorization:
            headers['Authorization'] = self.authorization
        elif self._xsrf():
            headers['X-XSRF-TOKEN'] = self._xsrf()
        url = path if path.startswith('http') else f'{self.base_url}{path}'
        for attempt in range(6):
            self.last_call = time.monotonic()
            status, answer_type, text = self.send(urllib.request.Request(url, data=data, method=method, headers=headers))
            if status < 400:
                return json.loads(text) if json_answer and text and 'json' in answer_type else text
            if status in accept_statuses:
                return None
            if status == 429 and attempt < 5:
                time.sleep(2 ** attempt)
                continue
            raise ApiError(method, path, status, text)
        raise ApiError(method, path, 429, 'rate limited')

    def send(self, request):
        """The one place a request leaves: (status, content type, body text), an HTTP error as its status."""
        opener = self.key_opener if self.authorization else self.opener
        try:
            with opener.open(request, timeout=60) as response:
                return response.status, response.headers.get('Content-Type', ''), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get('Content-Type', ''), error.read().decode(errors='replace')

    def get(self, path, **kwargs):
        return self.request('GET', path, **kwargs)

    def post(self, path, body=None, **kwargs):
        return self.request('POST', path, body=body, **kwargs)

    def put(self, path, body=None, **kwargs):
        return self.request('PUT', path, body=body, **kwargs)

    def patch(self, path, body=None, **kwargs):
        return self.request('PATCH', path, body=body, **kwargs)

    def delete(self, path, **kwargs):
        return self.request('DELETE', path, **kwargs)

    def login(self, user, secret_file):
        """Session login; the secret is read from a mounted file and never logged."""
        with open(secret_file) as handle:
            pw = handle.read().strip()
        form = urllib.parse.urlencode({'username': user, 'password': pw}).encode()
        # X-Road answers a login with "OK", typed application/json
        self.request('POST', '/login', raw=form, content_type='application/x-www-form-urlencoded', json_answer=False)
        if not self._xsrf():
            raise RuntimeError('login gave no XSRF-TOKEN cookie')

    def use_temporary_key(self, roles):
        """Creates an API key with only `roles` (allowed through a session from any address) and uses it from now on."""
        created = self.post('/api/v1/api-keys', body=list(roles))
        self.key_id = created['id']
        self.authorization = 'X-Road-ApiKey token=' + created['key']
        return self.key_id

    def revoke_temporary_key(self):
        if getattr(self, 'key_id', None) is None:
            return
        self.authorization = None  # API keys are managed through the session
        self.delete(f'/api/v1/api-keys/{self.key_id}', accept_statuses=(404,))
        self.key_id = None


def wait_until(description, check, timeout_seconds, interval_seconds=15):
    """Polls `check` until it returns a true value (which is returned) or the timeout passes."""
    deadline = time.monotonic() + timeout_seconds
    while True:
        try:
            result = check()
            if result:
                return result
        except (ApiError, urllib.error.URLError, OSError) as error:
            log(f'waiting for {description}: {error}')
        if time.monotonic() > deadline:
            sys.exit(f'gave up waiting for {description}')
        time.sleep(interval_seconds)


def missing_initialisation(status, owner_member_class, owner_member_code, server_code, read_pin):
    """The body of POST /api/v1/initialization with only the parts the server still lacks: X-Road
    refuses a part that is already initialised, and an earlier run may have stopped half-way (the
    token and its GPG key are not transactional). `read_pin` is called only when the token needs it."""
    conf = {'ignore_warnings': True}
    if not status['is_server_owner_initialized']:
        conf.update(owner_member_class=owner_member_class, owner_member_code=owner_member_code)
    if not status['is_server_code_initialized']:
        conf['security_server_code'] = server_code
    if status['software_token_init_status'] != 'INITIALIZED':
        conf['software_token_pin'] = read_pin()
    return conf
