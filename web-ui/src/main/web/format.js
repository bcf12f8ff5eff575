// Money is shown exactly: wei are BigInts formatted by viem, never floating point.
import { formatEther } from 'viem';

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
