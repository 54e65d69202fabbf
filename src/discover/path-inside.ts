import path from 'node:path';

/**
 * Whether `target` is `folder` itself or lies below it. Both are absolute, resolved paths; a
 * sibling whose name only starts with the folder's (`/src-old` beside `/src`) is not inside.
 */
export function isSameOrInside(folder: string, target: string): boolean {
  return target === folder || target.startsWith(folder.endsWith(path.sep) ? folder : folder + path.sep);
}
