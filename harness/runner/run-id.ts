import { randomBytes } from 'node:crypto';

/** Returns a run id such as `20261204t201530-3fa2`: sortable by time, unique by its random tail. */
export function newRunId(now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').toLowerCase();
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}
