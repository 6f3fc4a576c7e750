"""Lists every admin API call the Information Mediator's scripts can make, read from their source
(Python's ast), for admin-api-contract.test.ts: receiver (api, ss: a security server; cs: the
central server), method, path template ('{}' where a value is formatted in), content type, Accept,
and the shape of the body where the source spells it out:

- a dict literal is {"object": {key: shape}, "open": true when it has ** or keys added elsewhere};
- a list literal is {"array": [shapes]}; a constant is {"const": value};
- a name bound to a dict literal in the same function is that literal (with its later item assignments);
- a multipart body built by multipart(fields, files) just before is {"object": ...} with files as "file";
- anything else is {"unknown": "<source>"}, which only the scenarios can check.

Calls XRoadApi makes for itself (login, the temporary API key) are listed under each receiver that
calls them, and XRoadApi.request's default Accept is given beside them. Usage: script_calls.py
SCRIPTS_DIR — prints JSON: {"calls": [...], "defaultAccept": ...}.
"""
import ast
import json
import os
import sys

RECEIVERS = {'api', 'ss', 'cs'}
VERBS = {'get': 'GET', 'post': 'POST', 'put': 'PUT', 'patch': 'PATCH', 'delete': 'DELETE'}


def template(node):
    """The path as written, with '{}' for each formatted value; None when it is not a string literal."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return ''.join(part.value if isinstance(part, ast.Constant) else '{}' for part in node.values)
    return None


class Function:
    """Dict literals bound to names, and multipart bodies, in one function, by the line they are bound at."""

    def __init__(self, node):
        self.bindings = []  # (line, name, shape)
        self.multiparts = []  # (line, name of the body variable, shape)
        for statement in ast.walk(node):
            if isinstance(statement, ast.Assign):
                self.bind(statement)

    def bind(self, statement):
        target = statement.targets[0]
        value = statement.value
        if isinstance(target, ast.Name) and isinstance(value, ast.Dict):
            self.bindings.append((statement.lineno, target.id, None, value))
        elif isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name) and isinstance(target.slice, ast.Constant):
            self.bindings.append((statement.lineno, target.value.id, target.slice.value, value))
        elif (isinstance(target, ast.Tuple) and isinstance(value, ast.Call) and isinstance(value.func, ast.Name)
              and value.func.id == 'multipart' and len(value.args) == 2 and isinstance(target.elts[0], ast.Name)):
            fields, files = value.args
            shape = {'object': {}, 'open': False}
            if isinstance(fields, ast.Dict):
                shape['object'].update({k.value: self.shape(v, statement.lineno) for k, v in zip(fields.keys, fields.values)})
            if isinstance(files, ast.Dict):
                shape['object'].update({k.value: 'file' for k in files.keys})
            self.multiparts.append((statement.lineno, target.elts[0].id, shape))

    def shape(self, node, line):
        if isinstance(node, ast.Dict):
            if any(key is None or not isinstance(key, ast.Constant) for key in node.keys):
                return {'object': {k.value: self.shape(v, line) for k, v in zip(node.keys, node.values) if isinstance(k, ast.Constant)}, 'open': True}
            return {'object': {k.value: self.shape(v, line) for k, v in zip(node.keys, node.values)}, 'open': False}
        if isinstance(node, (ast.List, ast.Tuple)):
            return {'array': [self.shape(item, line) for item in node.elts]}
        if isinstance(node, ast.ListComp):
            return {'array': [self.shape(node.elt, line)]}
        if isinstance(node, ast.Constant):
            return {'const': node.value}
        if isinstance(node, ast.Name):
            bound = [b for b in self.bindings if b[1] == node.id and b[0] <= line]
            literal = next((b for b in reversed(bound) if b[2] is None), None)
            if literal:
                shape = self.shape(literal[3], literal[0])
                for _, _, key, value in (b for b in bound if b[2] is not None and b[0] > literal[0]):
                    shape['object'][key] = self.shape(value, line)
                return shape
        return {'unknown': ast.unparse(node)}

    def multipart_body(self, name, line):
        made = [m for m in self.multiparts if m[1] == name and m[0] <= line]
        return made[-1][2] if made else None


def calls_in(tree, source_file):
    """(receiver, call) for every admin API call in a module, with XRoadApi's own calls kept apart by method name."""
    own = {}  # XRoadApi method name -> calls it makes on self
    found = []
    parents = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[child] = node

    def enclosing(node, kind):
        while node in parents:
            node = parents[node]
            if isinstance(node, kind):
                return node
        return None

    functions = {}
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name)):
            continue
        receiver, verb = node.func.value.id, node.func.attr
        if receiver not in RECEIVERS | {'self'}:
            continue
        function_node = enclosing(node, ast.FunctionDef)
        if function_node not in functions:
            functions[function_node] = Function(function_node) if function_node else None
        function = functions[function_node]
        call = describe(node, verb, function, source_file)
        if call is None:
            if receiver != 'self' and verb in ('login', 'use_temporary_key', 'revoke_temporary_key'):
                found.append((receiver, {'uses': verb, 'file': source_file, 'line': node.lineno}))
            continue
        if receiver == 'self':
            own.setdefault(function_node.name, []).append(call)
        else:
            found.append((receiver, call))
    return own, found


def describe(node, verb, function, source_file):
    if verb in VERBS:
        method, path_node = VERBS[verb], node.args[0] if node.args else None
    elif verb == 'request' and len(node.args) >= 2 and isinstance(node.args[0], ast.Constant):
        method, path_node = node.args[0].value, node.args[1]
    else:
        return None
    keywords = {k.arg: k.value for k in node.keywords}
    path = template(path_node)
    call = {'file': source_file, 'line': node.lineno, 'method': method, 'path': path if path is not None else ast.unparse(path_node)}
    if path is None:
        call['unreadablePath'] = True
    if 'body' in keywords and not (isinstance(keywords['body'], ast.Constant) and keywords['body'].value is None):
        call['contentType'] = 'application/json'
        call['body'] = function.shape(keywords['body'], node.lineno) if function else {'unknown': ast.unparse(keywords['body'])}
    elif 'raw' in keywords:
        content_type = keywords.get('content_type')
        raw = keywords['raw']
        multipart = function.multipart_body(raw.id, node.lineno) if function and isinstance(raw, ast.Name) else None
        if multipart is not None:
            call['contentType'] = 'multipart/form-data'
            call['body'] = multipart
        elif isinstance(content_type, ast.Constant):
            call['contentType'] = content_type.value
            call['body'] = {'unknown': ast.unparse(raw)}
        else:
            call['contentType'] = None
    accept = keywords.get('accept')
    call['accept'] = accept.value if isinstance(accept, ast.Constant) else None
    return call


def default_accept(tree):
    """The default of XRoadApi.request's `accept` parameter, if the module defines it."""
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name == 'request':
            names = [a.arg for a in node.args.args]
            defaults = dict(zip(names[len(names) - len(node.args.defaults):], node.args.defaults))
            if isinstance(defaults.get('accept'), ast.Constant):
                return defaults['accept'].value
    return None


def main():
    scripts = sys.argv[1]
    own, found, accept = {}, [], None
    for name in sorted(os.listdir(scripts)):
        if name.endswith('.py'):
            with open(os.path.join(scripts, name)) as handle:
                tree = ast.parse(handle.read())
            module_own, module_found = calls_in(tree, name)
            accept = accept or default_accept(tree)
            own.update(module_own)
            found.extend(module_found)
    calls = []
    for receiver, call in found:
        if 'uses' in call:
            calls.extend({**own_call, 'receiver': receiver, 'via': f'{call["file"]}:{call["line"]} {call["uses"]}'} for own_call in own.get(call['uses'], []))
        else:
            calls.append({**call, 'receiver': receiver})
    calls.sort(key=lambda call: (call['file'], call['line'], call.get('via', '')))
    print(json.dumps({'calls': calls, 'defaultAccept': accept}, indent=1))


if __name__ == '__main__':
    main()
