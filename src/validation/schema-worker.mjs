// Validates manifests against the Kubernetes OpenAPI schemas compiled into kubernetes-models.
// Plain ESM on purpose: kubernetes-models ships only ES modules, and this file runs in a worker
// thread so that Jest's CommonJS module system and the CLI can both use it unchanged.
//
// Two passes per object:
//  1. the compiled schema validator (types, enums, required fields, formats);
//  2. a strict pass for unknown fields, which the compiled validators do not reject (kubeconform's
//     -strict is the bar). The object is wrapped in proxies that record which keys the validator
//     read: a struct's known properties are read by name, a map's keys by enumeration. A key that
//     was neither read nor enumerated is not in the schema — an unknown field.
import { parentPort } from 'node:worker_threads';

async function loadValidator(specifier) {
  try {
    return (await import(specifier)).validate;
  } catch {
    return undefined;
  }
}

function track(value, path, read, enumerated) {
  if (Array.isArray(value)) return value.map((item, i) => track(item, `${path}/${i}`, read, enumerated));
  if (value === null || typeof value !== 'object') return value;
  const wrapped = {};
  for (const [key, child] of Object.entries(value)) wrapped[key] = track(child, `${path}/${key}`, read, enumerated);
  return new Proxy(wrapped, {
    get(target, key, receiver) {
      if (typeof key === 'string' && Object.hasOwn(target, key)) read.add(`${path}/${key}`);
      return Reflect.get(target, key, receiver);
    },
    ownKeys(target) {
      enumerated.add(path);
      return Reflect.ownKeys(target);
    },
  });
}

function unknownFields(value, path, read, enumerated, found) {
  if (Array.isArray(value)) {
    value.forEach((item, i) => unknownFields(item, `${path}/${i}`, read, enumerated, found));
    return found;
  }
  if (value === null || typeof value !== 'object') return found;
  for (const [key, child] of Object.entries(value)) {
    const childPath = `${path}/${key}`;
    if (!enumerated.has(path) && !read.has(childPath)) found.push(childPath);
    else unknownFields(child, childPath, read, enumerated, found);
  }
  return found;
}

// The compiled validators carry no messages; phrase the common keywords the way kubectl would.
function describe({ keyword, params }) {
  switch (keyword) {
    case 'enum':
      return `must be one of ${params.allowedValues.join(', ')}`;
    case 'type':
      return `must be of type ${params.type}`;
    case 'required':
      return `must have field ${params.missingProperty}`;
    case 'format':
      return `must match format ${params.format}`;
    case 'pattern':
      return `must match pattern ${params.pattern}`;
    default:
      return `fails ${keyword} ${JSON.stringify(params)}`;
  }
}

// Kept for the worker's life: the parent keeps one worker per process and sends it every validation.
const cache = new Map();

async function validateAll(items) {
  const results = [];
  for (const { manifest, specifier } of items) {
    if (!cache.has(specifier)) cache.set(specifier, await loadValidator(specifier));
    const validate = cache.get(specifier);
    if (!validate) {
      results.push({ errors: [`no schema for ${manifest.apiVersion} ${manifest.kind}`] });
      continue;
    }
    const read = new Set();
    const enumerated = new Set();
    const valid = validate(track(manifest, '', read, enumerated));
    const errors = valid ? [] : validate.errors.map((e) => `${e.instancePath || '/'} ${describe(e)}`);
    for (const field of unknownFields(manifest, '', read, enumerated, [])) errors.push(`${field} is not a field of ${manifest.kind}`);
    results.push({ errors });
  }
  return results;
}

parentPort.on('message', async ({ id, items }) => {
  parentPort.postMessage({ id, results: await validateAll(items) });
});
