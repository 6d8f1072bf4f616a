/** Linux errno values the drills meet, with their symbolic names (asm-generic/errno*.h). */
const errnoNames: Record<number, string> = {
  1: 'EPERM',
  2: 'ENOENT',
  5: 'EIO',
  13: 'EACCES',
  16: 'EBUSY',
  20: 'ENOTDIR',
  22: 'EINVAL',
  28: 'ENOSPC',
  103: 'ECONNABORTED',
  104: 'ECONNRESET',
  107: 'ENOTCONN',
  110: 'ETIMEDOUT',
  111: 'ECONNREFUSED',
  113: 'EHOSTUNREACH',
  116: 'ESTALE',
};

export const ENOTCONN = 107;

export function errnoName(errno: number): string {
  return errnoNames[errno] ?? `errno ${errno}`;
}
