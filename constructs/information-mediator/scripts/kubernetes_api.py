"""Reads what the registration needs from the Kubernetes API, standard library only: the client
certificates cert-manager issued in the client namespaces, from their CertificateRequests (which
hold the request and the issued certificate, never a private key).

It authenticates with the pod's service account token, re-read at every request because the kubelet
rotates it, and trusts the cluster's CA from the same directory. KUBERNETES_SERVICE_HOST and _PORT
are the kubelet's; KUBERNETES_SERVICE_ACCOUNT_DIR moves the token and CA, for tests.
"""
import base64
import json
import os
import ssl
import urllib.error
import urllib.parse
import urllib.request

SERVICE_ACCOUNT_DIR = os.environ.get('KUBERNETES_SERVICE_ACCOUNT_DIR', '/var/run/secrets/kubernetes.io/serviceaccount')
CERTIFICATE_NAME = 'cert-manager.io/certificate-name'
CERTIFICATE_REVISION = 'cert-manager.io/certificate-revision'


class KubernetesError(Exception):
    pass


class KubernetesApi:
    def __init__(self):
        host = os.environ.get('KUBERNETES_SERVICE_HOST')
        if not host:
            raise KubernetesError('KUBERNETES_SERVICE_HOST is not set: not running in a pod?')
        host = f'[{host}]' if ':' in host else host
        self.base_url = f'https://{host}:{os.environ.get("KUBERNETES_SERVICE_PORT", "443")}'
        self.context = ssl.create_default_context(cafile=os.path.join(SERVICE_ACCOUNT_DIR, 'ca.crt'))

    def list(self, path):
        """The items of a list at `path` (the registration's lists are small: one page)."""
        with open(os.path.join(SERVICE_ACCOUNT_DIR, 'token')) as handle:
            token = handle.read().strip()
        request = urllib.request.Request(f'{self.base_url}{path}', headers={'Authorization': f'Bearer {token}', 'Accept': 'application/json'})
        try:
            with urllib.request.urlopen(request, context=self.context, timeout=30) as response:
                return json.loads(response.read().decode()).get('items', [])
        except urllib.error.HTTPError as error:
            raise KubernetesError(f'GET {path} answered HTTP {error.code}: {error.read().decode(errors="replace")[:300]}') from error


def leaf(pem):
    """The first certificate of a PEM chain: the issued one (an issuer may append intermediates)."""
    end = '-----END CERTIFICATE-----'
    return pem[pem.index('-----BEGIN CERTIFICATE-----'):pem.index(end) + len(end)] + '\n'


def issued_certificates(kubernetes, namespace, certificate):
    """The PEM certificates cert-manager issued for `certificate` in `namespace` and still keeps, newest revision first."""
    path = f'/apis/cert-manager.io/v1/namespaces/{urllib.parse.quote(namespace)}/certificaterequests'
    issued = []
    for request in kubernetes.list(path):
        annotations = request.get('metadata', {}).get('annotations', {})
        pem = request.get('status', {}).get('certificate')
        if annotations.get(CERTIFICATE_NAME) != certificate or not pem:
            continue
        issued.append((int(annotations.get(CERTIFICATE_REVISION, '0')), leaf(base64.b64decode(pem).decode())))
    return [pem for _revision, pem in sorted(issued, reverse=True)]
