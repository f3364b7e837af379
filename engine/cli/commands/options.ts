/** A small option parser for the engine commands: `--name value`, `--name=value` and flags. */

export class UsageError extends Error {}

export interface ParsedArgs {
  positional: string[];
  values: Map<string, string>;
  /** Every value of each value option, in order (for repeatable options such as --env). */
  lists: Map<string, string[]>;
  flags: Set<string>;
}

export function parseArgs(args: string[], valueOptions: readonly string[], flagOptions: readonly string[]): ParsedArgs {
  const out: ParsedArgs = { positional: [], values: new Map(), lists: new Map(), flags: new Set() };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('--') || a === '--') {
      out.positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
    if (valueOptions.includes(name)) {
      const v = eq > 0 ? a.slice(eq + 1) : args[++i];
      if (v === undefined || v === '') throw new UsageError(`--${name} needs a value`);
      out.values.set(name, v);
      out.lists.set(name, [...(out.lists.get(name) ?? []), v]);
    } else if (flagOptions.includes(name) && eq < 0) {
      out.flags.add(name);
    } else {
      throw new UsageError(`unknown option --${name}`);
    }
  }
  return out;
}

/** A whole number in [min, max], or a UsageError naming the option. */
export function intOption(p: ParsedArgs, name: string, min: number, max: number): number | undefined {
  const v = p.values.get(name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got '${v}'`);
  return n;
}

export function numberOption(p: ParsedArgs, name: string, min: number, max: number): number | undefined {
  const v = p.values.get(name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < min || n > max) throw new UsageError(`--${name} must be a number from ${min} to ${max}, got '${v}'`);
  return n;
}
