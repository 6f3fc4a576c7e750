import type { IpBlock } from './types';

function ipToNumber(ip: string): number {
  return ip.split('.').reduce((sum, octet) => sum * 256 + Number(octet), 0);
}

/** Whether the IPv4 block `cidr` holds the address `ip`. */
export function cidrContains(cidr: string, ip: string): boolean {
  const [base, bits] = cidr.split('/');
  const block = 2 ** (32 - Number(bits ?? 32));
  return Math.floor(ipToNumber(base) / block) === Math.floor(ipToNumber(ip) / block);
}

/** Whether an ipBlock peer admits `ip`: inside its block and outside every exception. */
export function ipBlockContains(ipBlock: IpBlock, ip: string): boolean {
  return cidrContains(ipBlock.cidr, ip) && !(ipBlock.except ?? []).some((cidr) => cidrContains(cidr, ip));
}
