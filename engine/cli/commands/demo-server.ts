/** `z6 demo-server [--port N]`: the embedded demo target on 127.0.0.1, until Ctrl-C. */
import { DEMO_ENDPOINTS, startDemoServer } from '../../demo/demo-server';
import { intOption, parseArgs, UsageError } from './options';

export const DEMO_SERVER_USAGE = 'z6 demo-server [--port N]';

export async function demoServerCommand(args: string[]): Promise<number> {
  let port: number;
  try {
    const p = parseArgs(args, ['port'], []);
    if (p.positional.length) throw new UsageError(`unexpected argument '${p.positional[0]}'`);
    port = intOption(p, 'port', 0, 65535) ?? 0;
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`z6 demo-server: ${e.message}\nUsage: ${DEMO_SERVER_USAGE}`);
    return 2;
  }
  let srv;
  try {
    srv = await startDemoServer(port);
  } catch (e) {
    console.error(`z6 demo-server: cannot listen on 127.0.0.1:${port}: ${(e as Error).message}`);
    return 3;
  }
  console.log(`z6 demo target listening on ${srv.url}`);
  for (const e of DEMO_ENDPOINTS) console.log(`  ${(srv.url + e.path).padEnd(40)} ${e.what}`);
  console.log('Press Ctrl-C to stop.');
  await new Promise<void>((r) => {
    const stop = () => r();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await srv.close();
  return 0;
}
