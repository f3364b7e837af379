/**
 * `--env NAME=value` (repeatable) and `--env-file FILE` (dotenv syntax, repeatable) for `z6 run`
 * and `z6 plan`. The environment templates see is the process's, then each --env-file in order,
 * then each --env: what is given explicitly on the command line wins. The engine gets it as an
 * option and never reads process.env itself.
 */
import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { UsageError, type ParsedArgs } from './options';

export const ENV_VALUE_OPTIONS = ['env', 'env-file'] as const;

export const ENV_OPTIONS_TEXT = `  --env NAME=VALUE    a value for {{ env.NAME }} (repeatable; wins over the environment and --env-file)
  --env-file FILE     read NAME=VALUE lines (dotenv syntax) for {{ env.NAME }} (repeatable)`;

export function envFromArgs(p: ParsedArgs, base: Readonly<Record<string, string | undefined>>): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...base };
  for (const file of p.lists.get('env-file') ?? []) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new UsageError(`--env-file ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : `cannot read it (${code ?? (e as Error).message})`}`);
    }
    Object.assign(env, parseEnv(text));
  }
  for (const pair of p.lists.get('env') ?? []) {
    const eq = pair.indexOf('=');
    const name = eq > 0 ? pair.slice(0, eq) : '';
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new UsageError(`--env needs NAME=VALUE with a name of letters, digits and _; got '${eq > 0 ? name : pair}'`);
    env[name] = pair.slice(eq + 1);
  }
  return env;
}
