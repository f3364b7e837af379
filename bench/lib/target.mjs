/**
 * Starts bench/target-server.mjs pinned to CPU 0 (the generators get CPU 1) and hands back its
 * port and pid. The server exits when its stdin closes, so it never outlives the bench even if
 * the bench is killed.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export const TARGET_CPU = '0';

export function startTarget(root) {
  return new Promise((resolve, reject) => {
    const child = spawn('taskset', ['-c', TARGET_CPU, process.execPath, join(root, 'bench/target-server.mjs')], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let buf = '';
    const onData = (d) => {
      buf += d;
      const nl = buf.indexOf('\n');
      if (nl < 0) return;
      child.stdout.off('data', onData);
      const { port } = JSON.parse(buf.slice(0, nl));
      resolve({
        port,
        pid: child.pid,
        close: () =>
          new Promise((r) => {
            if (child.exitCode !== null) return r();
            child.once('exit', () => r());
            child.kill('SIGTERM');
          }),
      });
    };
    child.stdout.on('data', onData);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`target server exited early (${code})`)));
  });
}
