/**
 * What kind of file a path names. Only a regular file can be read as a scenario, a body or a CA
 * bundle: a FIFO blocks the reader until someone writes to it, a device such as /dev/zero never
 * ends, and a directory cannot be read at all. Validation says so at the key; reading refuses.
 */
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';

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

/** A system error of reading a file, worded to follow its name: "no such file", "permission denied". */
export function readProblem(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : `cannot read it (${code ?? (e as Error).message})`;
}

/**
 * Reads a regular file whole without ever blocking on a FIFO: stat, then open non-blocking (should
 * a FIFO have replaced the file since the stat, opening it does not wait for a writer), then check
 * the descriptor again. `check` returns the size of an acceptable file or throws the message to
 * show; `problem` words a system error. A file that shrank since the stat is returned as read.
 */
export function readRegularFile(file: string, check: (st: Stats) => number, problem: (e: unknown) => string): Buffer {
  let st: Stats;
  try {
    st = statSync(file);
  } catch (e) {
    throw new Error(problem(e));
  }
  check(st);
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    throw new Error(problem(e));
  }
  try {
    const size = check(fstatSync(fd));
    const buf = Buffer.allocUnsafe(size);
    let n = 0;
    try {
      while (n < size) {
        const got = readSync(fd, buf, n, size - n, n);
        if (got === 0) break;
        n += got;
      }
    } catch (e) {
      throw new Error(problem(e));
    }
    return n === size ? buf : buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}
