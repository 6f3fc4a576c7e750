"""The sandbox's test certification authority: OpenSSL behind a small HTTP front, like NIIS's test CA.

Port 8888: POST /testca/sign (multipart: type=auth|sign, certreq=<CSR file>) returns the signed
certificate as PEM; GET /testca/certs/<ca|ocsp|tsa>.pem returns the CA, OCSP responder and TSA
certificates; POST / answers OCSP requests (`openssl ocsp` in responder mode over the CA's index).
Port 8899: POST / answers RFC 3161 time-stamp queries (`openssl ts -reply`).
Keys and the certificate database live on the volume under CA_HOME, created on first start.
For the sandbox only: nothing here is meant to protect real data.
"""
import email.parser
import email.policy
import http.server
import os
import subprocess
import sys
import tempfile
import threading

HOME = os.environ.get('CA_HOME', '/ca')
ORGANIZATION = os.environ.get('CA_ORGANIZATION', 'GovStack Sandbox Test CA')
MAX_REQUEST = 64 * 1024
LOCK = threading.Lock()

CONFIG = """
[ ca ]
default_ca = test_ca
[ test_ca ]
dir = {home}
database = $dir/index.txt
serial = $dir/serial
new_certs_dir = $dir/issued
certificate = $dir/ca.pem
default_md = sha256
default_days = 7300
policy = loose
unique_subject = no
copy_extensions = copy
[ loose ]
countryName = optional
organizationName = optional
organizationalUnitName = optional
commonName = supplied
serialNumber = optional
[ req ]
distinguished_name = dn
prompt = no
[ dn ]
O = {organization}
CN = {organization}
[ v3_ca ]
basicConstraints = critical, CA:true
keyUsage = critical, digitalSignature, cRLSign, keyCertSign
subjectKeyIdentifier = hash
[ ocsp_ext ]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = critical, OCSPSigning
[ tsa_ext ]
basicConstraints = CA:FALSE
keyUsage = critical, nonRepudiation
extendedKeyUsage = critical, timeStamping
[ auth_ext ]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment, dataEncipherment, keyAgreement
extendedKeyUsage = clientAuth, serverAuth
[ sign_ext ]
basicConstraints = CA:FALSE
keyUsage = critical, nonRepudiation
[ tsa ]
default_tsa = test_tsa
[ test_tsa ]
dir = {home}
serial = $dir/tsa-serial
crypto_device = builtin
signer_cert = $dir/tsa.pem
signer_key = $dir/private/tsa.key
signer_digest = sha256
certs = $dir/tsa.pem
default_policy = 1.2.3.4.1
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = no
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"""


def path(*parts):
    return os.path.join(HOME, *parts)


def openssl(*args, data=None):
    return subprocess.run(['openssl', *args], input=data, capture_output=True, check=True).stdout


def initialise():
    """Creates the CA, OCSP responder and TSA keys and certificates once."""
    with open(path('openssl.cnf'), 'w') as handle:
        handle.write(CONFIG.format(home=HOME, organization=ORGANIZATION))
    if os.path.exists(path('ca.pem')):
        return
    os.makedirs(path('private'), mode=0o700, exist_ok=True)
    os.makedirs(path('issued'), exist_ok=True)
    open(path('index.txt'), 'w').close()
    with open(path('serial'), 'w') as handle:
        handle.write('1000\n')
    with open(path('tsa-serial'), 'w') as handle:
        handle.write('01\n')
    cnf = path('openssl.cnf')
    openssl('req', '-config', cnf, '-x509', '-newkey', 'rsa:3072', '-nodes', '-keyout', path('private', 'ca.key'),
            '-out', path('ca.pem'), '-days', '7300', '-extensions', 'v3_ca')
    for name, extension in (('ocsp', 'ocsp_ext'), ('tsa', 'tsa_ext')):
        csr = openssl('req', '-config', cnf, '-newkey', 'rsa:3072', '-nodes', '-keyout', path('private', f'{name}.key'),
                      '-subj', f'/O={ORGANIZATION}/CN={ORGANIZATION} {name.upper()}')
        sign(csr, extension, path(f'{name}.pem'))
    print('created the test CA, OCSP responder and TSA certificates', flush=True)


def sign(csr_pem, extension, out):
    with LOCK, tempfile.NamedTemporaryFile('wb', suffix='.csr') as request:
        request.write(csr_pem)
        request.flush()
        openssl('ca', '-batch', '-config', path('openssl.cnf'), '-keyfile', path('private', 'ca.key'), '-extensions', extension, '-notext',
                '-in', request.name, '-out', out)


def csr_as_pem(data):
    if b'BEGIN CERTIFICATE REQUEST' in data:
        return data
    return openssl('req', '-inform', 'DER', '-outform', 'PEM', data=data)


class Handler(http.server.BaseHTTPRequestHandler):
    def body(self):
        length = int(self.headers.get('Content-Length', 0))
        if length > MAX_REQUEST:
            raise ValueError('request too large')
        return self.rfile.read(length)

    def reply(self, status, content_type, data):
        self.send_response(status)
        self.send_header('Content-Type', content_type)
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def fail(self, error):
        self.reply(400, 'text/plain', f'{error}\n'.encode())


class CaHandler(Handler):
    def do_GET(self):
        name = self.path.rsplit('/', 1)[-1]
        if self.path.startswith('/testca/certs/') and name in ('ca.pem', 'ocsp.pem', 'tsa.pem'):
            with open(path(name), 'rb') as handle:
                return self.reply(200, 'application/x-pem-file', handle.read())
        self.reply(404, 'text/plain', b'not found\n')

    def do_POST(self):
        try:
            data = self.body()
            if self.path.startswith('/testca/sign'):
                return self.sign_request(data)
            with tempfile.TemporaryDirectory() as work:
                with open(os.path.join(work, 'request'), 'wb') as handle:
                    handle.write(data)
                with LOCK:
                    openssl('ocsp', '-index', path('index.txt'), '-CA', path('ca.pem'), '-rsigner', path('ocsp.pem'),
                            '-rkey', path('private', 'ocsp.key'), '-reqin', os.path.join(work, 'request'),
                            '-respout', os.path.join(work, 'response'), '-nmin', '60')
                with open(os.path.join(work, 'response'), 'rb') as handle:
                    self.reply(200, 'application/ocsp-response', handle.read())
        except (ValueError, subprocess.CalledProcessError) as error:
            self.fail(error)

    def sign_request(self, data):
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            b'Content-Type: ' + self.headers['Content-Type'].encode() + b'\r\n\r\n' + data)
        fields = {part.get_param('name', header='content-disposition'): part.get_payload(decode=True) for part in message.iter_parts()}
        kind = (fields.get('type') or b'').decode().strip()
        if kind not in ('auth', 'sign') or not fields.get('certreq'):
            raise ValueError('expected type=auth|sign and a certreq file')
        with tempfile.TemporaryDirectory() as work:
            out = os.path.join(work, 'certificate.pem')
            sign(csr_as_pem(fields['certreq']), f'{kind}_ext', out)
            with open(out, 'rb') as handle:
                self.reply(200, 'application/x-pem-file', handle.read())


class TsaHandler(Handler):
    def do_POST(self):
        try:
            with tempfile.TemporaryDirectory() as work:
                with open(os.path.join(work, 'query'), 'wb') as handle:
                    handle.write(self.body())
                with LOCK:
                    openssl('ts', '-reply', '-config', path('openssl.cnf'), '-queryfile', os.path.join(work, 'query'),
                            '-out', os.path.join(work, 'reply'))
                with open(os.path.join(work, 'reply'), 'rb') as handle:
                    self.reply(200, 'application/timestamp-reply', handle.read())
        except (ValueError, subprocess.CalledProcessError) as error:
            self.fail(error)


def main():
    initialise()
    tsa = http.server.ThreadingHTTPServer(('', 8899), TsaHandler)
    threading.Thread(target=tsa.serve_forever, daemon=True).start()
    http.server.ThreadingHTTPServer(('', 8888), CaHandler).serve_forever()


if __name__ == '__main__':
    sys.exit(main())
