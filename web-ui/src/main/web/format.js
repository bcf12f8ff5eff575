// Money is shown exactly: wei and token base units are BigInts formatted by viem, never floating point.
import { formatEther, formatUnits, parseUnits } from 'viem';

/** Ether as a token: what a listing without an ERC-20 counts in. */
export const ETHER = Object.freeze({ address: '0x0000000000000000000000000000000000000000', symbol: 'ETH', decimals: 18 });

/**
 * An amount of the token's smallest unit, exactly, with the token's symbol: amount(1000n, {symbol: 'USDT-demo',
 * decimals: 6}) → "0.001 USDT-demo". A missing token is ether.
 */
export function amount(units, token = ETHER) {
  if (units === null || units === undefined) return '–';
  const t = token ?? ETHER;
  return `${formatUnits(BigInt(units), t.decimals)} ${t.symbol}`;
}

/** The amount without the symbol, for input fields ("0.001"). */
export function units(value, token = ETHER) {
  return formatUnits(BigInt(value), (token ?? ETHER).decimals);
}

/** What a person typed in the token's whole units as base units (BigInt); throws on what is not an amount. */
export function parseAmount(text, token = ETHER) {
  const t = token ?? ETHER;
  const trimmed = String(text).trim();
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(trimmed)) throw new Error(`'${text}' is not an amount of ${t.symbol}`);
  const fraction = trimmed.split('.')[1] ?? '';
  if (fraction.replace(/0+$/, '').length > t.decimals) {
    throw new Error(`'${text}' has more than ${t.decimals} decimal places, the smallest unit of ${t.symbol}`);
  }
  return parseUnits(trimmed, t.decimals);
}

/** Base units to a plain number of whole units, for drawing charts only (tables show the exact amounts). */
export function unitsNumber(value, token = ETHER) {
  return Number(formatUnits(BigInt(value), (token ?? ETHER).decimals));
}

export function ether(wei) {
  if (wei === null || wei === undefined) return '–';
  return `${formatEther(BigInt(wei))} ETH`;
}

export function short(address) {
  return address ? `${address.slice(0, 6)}…${address.slice(-4)}` : '';
}

export function when(instant) {
  return instant ? new Date(instant).toISOString().replace('T', ' ').slice(0, 16) + ' UTC' : '';
}

/** Wei to a plain number of ether, for drawing charts only (tables show the exact amounts). */
export function etherNumber(wei) {
  return Number(formatEther(BigInt(wei)));
}

/** Basis points as a percentage with two decimals, exactly (9950 → "99.50 %"). */
export function percent(bps) {
  if (bps === null || bps === undefined) return '–';
  return `${Math.floor(bps / 100)}.${String(bps % 100).padStart(2, '0')} %`;
}

/** A percentage typed by a person ("99.5") as basis points (9950), exactly; NaN when it is not one. */
export function bpsOf(text) {
  const match = /^\s*(\d{1,3})(?:[.,](\d{0,2}))?\s*%?\s*$/.exec(String(text));
  if (!match) return NaN;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

/** A duration in seconds as a person reads it: "1 minute", "5 minutes", "1 hour", "90 seconds". */
export function duration(seconds) {
  const units = [[86_400, 'day'], [3_600, 'hour'], [60, 'minute']];
  for (const [size, name] of units) {
    if (seconds % size === 0) {
      const n = seconds / size;
      return `${n} ${name}${n === 1 ? '' : 's'}`;
    }
  }
  return `${seconds} seconds`;
}
