/** How many IPv4 addresses a pool entry holds: one address, a CIDR (`10.0.0.0/28`) or a range (`10.0.0.10-10.0.0.20`). */
export function addressCount(entry: string): number {
  const toNumber = (address: string) => address.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);
  if (entry.includes('/')) return 2 ** (32 - Number(entry.split('/')[1]));
  if (entry.includes('-')) {
    const [first, last] = entry.split('-');
    return Math.max(toNumber(last) - toNumber(first) + 1, 0);
  }
  return 1;
}
