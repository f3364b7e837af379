/**
 * What kind of file a path names. Only a regular file can be read as a scenario, a body or a CA
 * bundle: a FIFO blocks the reader until someone writes to it, a device such as /dev/zero never
 * ends, and a directory cannot be read at all. Validation says so at the key; reading refuses.
 */
import { statSync, type Stats } from 'node:fs';

/** 'file' for a regular file; otherwise why it cannot be read as one. */
export type FileKind = 'file' | 'missing' | 'unreadable' | 'a directory' | 'a FIFO' | 'a character device' | 'a block device' | 'a socket' | 'not a file';

/** Follows symbolic links, as opening the file would. */
export function fileKind(absolutePath: string): FileKind {
  let st: Stats;
  try {
    st = statSync(absolutePath);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR' ? 'missing' : 'unreadable';
  }
  return st.isFile() ? 'file' : kindOf(st);
}

export function kindOf(st: Stats): Exclude<FileKind, 'file' | 'missing' | 'unreadable'> {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a file';
}
