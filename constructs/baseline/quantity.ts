/**
 * Kubernetes resource quantities as numbers, so capacity can be summed: CPU in millicores,
 * memory and storage in bytes. Parsing follows the API's quantity grammar (decimal SI suffixes,
 * binary Ki..Ei suffixes, exponents); formatting picks the unit a procurement office reads.
 */
const BINARY: Readonly<Record<string, number>> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Readonly<Record<string, number>> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** The value of a quantity in its base unit (cores, bytes); throws on text that is not a quantity. */
export function parseQuantity(quantity: string | number): number {
  if (typeof quantity === 'number') return quantity;
  const match = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:(Ki|Mi|Gi|Ti|Pi|Ei)|([eE][+-]?\d+)|(n|u|m|k|M|G|T|P|E)?)$/.exec(quantity.trim());
  if (!match) throw new Error(`"${quantity}" is not a Kubernetes quantity`);
  const [, number, binary, exponent, decimal] = match;
  const value = Number(number);
  if (binary) return value * BINARY[binary];
  if (exponent) return value * 10 ** Number(exponent.slice(1));
  return value * DECIMAL[decimal ?? ''];
}

export function millicores(quantity: string | number): number {
  return Math.round(parseQuantity(quantity) * 1000);
}

export function bytes(quantity: string | number): number {
  return Math.round(parseQuantity(quantity));
}

/** `1500` → `1.5`, `250` → `0.25`: cores, as node sizes are given. */
export function formatCores(milli: number): string {
  return `${Number((milli / 1000).toFixed(3))}`;
}

/** Bytes in the largest binary unit that keeps the number readable, e.g. `1.5 GiB`. */
export function formatBytes(value: number): string {
  const units: [string, number][] = [['TiB', 2 ** 40], ['GiB', 2 ** 30], ['MiB', 2 ** 20], ['KiB', 2 ** 10]];
  for (const [unit, size] of units) {
    if (value >= size) return `${Number((value / size).toFixed(2))} ${unit}`;
  }
  return `${value} B`;
}
