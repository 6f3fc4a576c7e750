import { BlockList, isIPv4 } from 'node:net';
import { z } from 'zod';

/**
 * Values with a format, checked as the products will read them, so a value that would fail only at
 * deploy or run time fails when the environment is loaded. Addresses are parsed by Node's own `net`
 * (isIPv4, BlockList), URLs by the WHATWG URL parser, host names by zod's hostname format.
 */

/** An address (`10.0.0.1`), a CIDR whose host bits are zero (`10.0.0.0/24`) or a range (`10.0.0.10-10.0.0.20`). */
export type Ipv4Block = { readonly kind: 'address'; readonly address: string } | { readonly kind: 'cidr'; readonly network: string; readonly prefix: number } | { readonly kind: 'range'; readonly first: string; readonly last: string };

const ipv4Number = (address: string) => address.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);
const ipv4Address = (value: number) => [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');

/** The parsed block, or why `text` is not one. */
export function parseIpv4Block(text: string, forms: readonly Ipv4Block['kind'][]): Ipv4Block | { readonly problem: string } {
  const cidr = /^([^/]+)\/(\d{1,2})$/.exec(text);
  if (cidr && forms.includes('cidr')) {
    const [, network, prefixText] = cidr;
    const prefix = Number(prefixText);
    if (!isIPv4(network)) return { problem: `"${network}" is not an IPv4 address` };
    if (prefix > 32) return { problem: `the prefix length /${prefix} is more than 32` };
    const size = 2 ** (32 - prefix);
    const start = Math.floor(ipv4Number(network) / size) * size;
    if (start !== ipv4Number(network)) return { problem: `host bits are set: the network is ${ipv4Address(start)}/${prefix}` };
    return { kind: 'cidr', network, prefix };
  }
  const range = /^([^-]+)-([^-]+)$/.exec(text);
  if (range && forms.includes('range')) {
    const [, first, last] = range;
    if (!isIPv4(first) || !isIPv4(last)) return { problem: `"${isIPv4(first) ? last : first}" is not an IPv4 address` };
    if (ipv4Number(first) > ipv4Number(last)) return { problem: `the range is reversed: ${first} comes after ${last}` };
    return { kind: 'range', first, last };
  }
  if (forms.includes('address') && isIPv4(text)) return { kind: 'address', address: text };
  return { problem: 'not of that form' };
}

/** A zod string accepted when it parses as one of `forms`; the message says what is wrong with it. */
export function ipv4Block(forms: readonly Ipv4Block['kind'][], expected: string) {
  // The pattern's shape is what editors check through the JSON Schema; the refinement reads the numbers.
  const address = '\\d{1,3}(\\.\\d{1,3}){3}';
  const shapes = { address, cidr: `${address}\\/\\d{1,2}`, range: `${address}-${address}` };
  const shape = new RegExp(`^(${forms.map((form) => shapes[form]).join('|')})$`);
  return z.string().regex(shape, { message: expected, abort: true }).superRefine((value, ctx) => {
    const parsed = parseIpv4Block(value, forms);
    if ('problem' in parsed) ctx.addIssue({ code: 'custom', message: parsed.problem === 'not of that form' ? expected : `${expected} (${parsed.problem})` });
  });
}

/** Whether `address` lies inside one of `blocks` (each already valid), by Node's BlockList. */
export function insideAny(address: string, blocks: readonly string[]): boolean {
  const list = new BlockList();
  for (const block of blocks) {
    const parsed = parseIpv4Block(block, ['address', 'cidr', 'range']);
    if ('problem' in parsed) continue;
    if (parsed.kind === 'address') list.addAddress(parsed.address);
    else if (parsed.kind === 'cidr') list.addSubnet(parsed.network, parsed.prefix);
    else list.addRange(parsed.first, parsed.last);
  }
  return list.check(address);
}

/** A host name (lowercase DNS labels), as zod's hostname format reads it, or an IPv4 address. */
const HOST_NAME = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$/;
export function isHost(text: string): boolean {
  return isIPv4(text) || (HOST_NAME.test(text) && z.hostname().safeParse(text).success);
}

/**
 * A URL of one of `schemes`, with a host and without credentials (which would land in Terraform
 * JSON and the review bundle). `javascript:`, `file:` and the like are refused by scheme.
 */
export function urlOf(schemes: readonly string[], example: string) {
  const expected = `an ${schemes.join(' or ')} URL such as "${example}"`;
  return z.string().superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: expected });
      return;
    }
    const scheme = url.protocol.replace(/:$/, '');
    const problem = !schemes.includes(scheme)
      ? `the scheme "${scheme}" is not allowed`
      : !isHost(url.hostname)
        ? `"${url.hostname}" is not a host name`
        : url.username || url.password
          ? 'credentials in the URL would be written into the output: give them through the environment'
          : undefined;
    if (problem) ctx.addIssue({ code: 'custom', message: `${expected} (${problem})` });
  });
}

/**
 * A registry host with an optional port and repository path, e.g. `registry.gov.example:5000/mirror`;
 * path components as the OCI distribution specification defines them, so no `..` or empty segment.
 */
const PATH_COMPONENT = /^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*$/;
export const registryHost = z.string().superRefine((value, ctx) => {
  const [authority, ...components] = value.split('/');
  const [host, port, ...rest] = authority.split(':');
  const validPort = port === undefined || (/^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535);
  if (!isHost(host) || !validPort || rest.length > 0 || !components.every((component) => PATH_COMPONENT.test(component))) {
    ctx.addIssue({
      code: 'custom',
      message: 'a registry host with an optional port and path, e.g. "registry.gov.example/mirror" (path segments of lowercase letters and digits joined by ".", "_" or "-"; no ".." or empty segments)',
    });
  }
});

/** Cron fields as Kubernetes CronJobs and Velero read them (minute hour day-of-month month day-of-week). */
const CRON_FIELDS: readonly { readonly min: number; readonly max: number; readonly names?: readonly string[] }[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  { min: 0, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
];
const CRON_DESCRIPTORS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];

export function isCronSchedule(text: string): boolean {
  if (CRON_DESCRIPTORS.includes(text)) return true;
  const fields = text.trim().split(/\s+/);
  return fields.length === 5 && fields.every((field, i) => field.split(',').every((item) => cronItem(item, CRON_FIELDS[i])));
}

function cronItem(item: string, { min, max, names }: (typeof CRON_FIELDS)[number]): boolean {
  const [range, step, ...extra] = item.split('/');
  if (extra.length > 0 || (step !== undefined && !(/^\d+$/.test(step) && Number(step) >= 1 && Number(step) <= max))) return false;
  if (range === '*' || range === '?') return true;
  const value = (text: string) => {
    const named = names?.indexOf(text.toUpperCase()) ?? -1;
    const number = named >= 0 ? named + (min === 1 ? 1 : 0) : /^\d+$/.test(text) ? Number(text) : NaN;
    return number >= min && number <= max ? number : NaN;
  };
  const [first, last, ...more] = range.split('-');
  if (more.length > 0) return false;
  return last === undefined ? !Number.isNaN(value(first)) : value(first) <= value(last);
}
