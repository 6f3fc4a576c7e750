"""A stand-in product for the harness's own specs: serves what its sandbox looks like from inside."""
import json
import os
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer


def writable(path):
    try:
        with open(os.path.join(path, '.probe'), 'w') as f:
            f.write('x')
        os.remove(os.path.join(path, '.probe'))
        return True
    except OSError:
        return False


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == '/ready':
            self.reply(200, {'ready': True})
        elif self.path == '/openapi.json':
            self.reply(200, {'openapi': '3.0.3', 'info': {'title': 'fixture', 'version': '1'}, 'paths': {'/inside': {}}})
        elif self.path == '/inside':
            files, modes = {}, {}
            for root, _, names in [w for top in ('/etc/fixture', '/etc/fixture-secret') for w in os.walk(top)]:
                for name in names:
                    path = os.path.join(root, name)
                    info = os.stat(path)
                    modes[path] = [oct(info.st_mode & 0o7777), info.st_uid, info.st_gid]
                    try:
                        with open(path) as f:
                            files[path] = f.read()
                    except PermissionError:
                        files[path] = None
            self.reply(200, {
                'uid': os.getuid(), 'gid': os.getgid(), 'groups': sorted(os.getgroups()),
                'writable': {p: writable(p) for p in ['/', '/app', '/tmp', '/etc', '/var/data']},
                'env': {k: v for k, v in os.environ.items() if k.startswith('FIXTURE_')},
                'files': files, 'modes': modes, 'argv': sys.argv, 'cwd': os.getcwd(),
                'hosts': open('/etc/hosts').read(),
                'usr_local': sorted(os.listdir('/usr/local')),
            })
        else:
            self.reply(404, {'error': 'not found'})

    def reply(self, code, body):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header('Content-Type', 'application/json')
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


if __name__ == '__main__':
    if os.environ.get('FIXTURE_EXIT'):
        print('fixture: told to exit at start', flush=True)
        sys.exit(3)
    # Memory held for the life of the process, touched so that it is resident.
    held = bytearray(int(os.environ.get('FIXTURE_HOLD_MIB', '0')) * 1024 * 1024)
    for i in range(0, len(held), 4096):
        held[i] = 1
    print('fixture: listening', flush=True)
    HTTPServer(('127.0.0.1', int(os.environ.get('FIXTURE_PORT', '18080'))), Handler).serve_forever()
