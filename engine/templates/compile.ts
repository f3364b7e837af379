/**
 * Compiles a string's templates into its fastest render form, once per run:
 * - everything constant for the run (text, [vars], env values, pure functions of them) is
 *   computed now, so a string of only those becomes a plain string and costs nothing per request;
 * - what remains (vu, iteration, time, random draws) becomes a closure over an array of pieces,
 *   run per request with no allocation beyond the resulting string.
 * A name missing at run time (an unset env value) compiles to a piece that fails the render with
 * a message naming it; it is never rendered as an empty string.
 *
 * With `mask`, anything that depends on a secret (env.*, a secret var) renders as `***`, after
 * evaluating it so that random draws stay in step with a real run (z6 plan).
 */
import { BUILTIN_BY_NAME, ENV, type Value } from './builtins';
import { parseTemplate, type Expr } from './parse';
import { envValue, type TemplateScope } from './scope';
import type { TemplateState } from './state';

export const MASK = '***';

export interface CompileOptions {
  mask: boolean;
  /**
   * z6 plan: an extracted name (from a response, or by setup) renders as its own `{{ name }}`
   * text, since the plan is made before any response exists. Data columns render their row.
   */
  placeholders?: boolean;
}

/** A rendered string, or undefined when a value was missing (`s.missing` says which). */
export type StringRenderer = (s: TemplateState) => string | undefined;

/** A string's compiled form: the string itself when it is constant for the run. */
export type Compiled = string | StringRenderer;

type Node =
  | { constant: true; value: Value; secret: boolean }
  | { constant: false; eval: (s: TemplateState) => Value | undefined; secret: boolean };

export class TemplateCompileError extends Error {}

/** Compiles a string that validated; a problem the validator would have reported throws. */
export function compileString(text: string, scope: TemplateScope, opts: CompileOptions): Compiled {
  const parsed = parseTemplate(text);
  if (parsed.errors.length) throw new TemplateCompileError(parsed.errors[0]!.message);
  const pieces: (string | ((s: TemplateState) => Value | undefined))[] = [];
  let pending = '';
  for (const p of parsed.parts) {
    const n = p.type === 'text' ? ({ constant: true, value: p.text, secret: false } as Node) : masked(node(p.expr, scope, opts), opts);
    if (n.constant) pending += String(n.value);
    else {
      if (pending) pieces.push(pending);
      pending = '';
      pieces.push(n.eval);
    }
  }
  if (pieces.length === 0) return pending;
  if (pending) pieces.push(pending);
  return join(pieces);
}

function join(pieces: (string | ((s: TemplateState) => Value | undefined))[]): StringRenderer {
  const n = pieces.length;
  return (s) => {
    let out = '';
    for (let i = 0; i < n; i++) {
      const p = pieces[i]!;
      if (typeof p === 'string') out += p;
      else {
        const v = p(s);
        if (v === undefined) return undefined;
        out += v;
      }
    }
    return out;
  };
}

function masked(n: Node, opts: CompileOptions): Node {
  if (!opts.mask || !n.secret) return n;
  if (n.constant) return { constant: true, value: MASK, secret: true };
  const inner = n.eval;
  return { constant: false, secret: true, eval: (s) => (inner(s) === undefined ? undefined : MASK) };
}

function node(e: Expr, scope: TemplateScope, opts: CompileOptions): Node {
  switch (e.type) {
    case 'string':
    case 'number':
      return { constant: true, value: e.value, secret: false };
    case 'name':
      return nameNode(e.parts, scope, opts);
    case 'call':
      return callNode(e.name, e.args.map((a) => node(a, scope, opts)));
  }
}

function nameNode(parts: string[], scope: TemplateScope, opts: CompileOptions): Node {
  if (parts[0] === ENV && parts.length === 2) {
    const name = parts[1]!;
    const v = envValue(scope.env, name);
    if (v !== undefined) return { constant: true, value: v, secret: true };
    const why = `env.${name} is ${scope.env?.[name] === '' ? 'empty' : 'not set'}`;
    return { constant: false, secret: true, eval: (s) => ((s.missing = why), undefined) };
  }
  if (parts.length === 1) {
    const v = scope.vars.get(parts[0]!);
    if (v !== undefined) return { constant: true, value: v.value, secret: v.secret };
    const d = scope.dynamic?.get(parts[0]!);
    // A data column's value is known before the run (the plan draws rows as a run does): only extracted names are placeholders.
    if (d !== undefined && opts.placeholders && d.source === 'extract') return { constant: true, value: `{{ ${parts[0]} }}`, secret: d.secret };
    if (d !== undefined) {
      const slot = d.slot;
      const why = `'${parts[0]}' has no value yet (${d.source === 'extract' ? 'no earlier response of this VU set it' : 'no data row'})`;
      return { constant: false, secret: d.secret, eval: (s) => s.values[slot] ?? ((s.missing = why), undefined) };
    }
    const b = BUILTIN_BY_NAME.get(parts[0]!);
    if (b?.kind === 'value') return { constant: false, secret: false, eval: (s) => b.call(s, NO_ARGS) };
  }
  throw new TemplateCompileError(`unknown name '${parts.join('.')}'`);
}

const NO_ARGS: readonly Value[] = [];

function callNode(name: string, args: Node[]): Node {
  const b = BUILTIN_BY_NAME.get(name);
  if (!b || b.kind !== 'function') throw new TemplateCompileError(`unknown function '${name}'`);
  if (args.length < b.minArgs || args.length > b.maxArgs) throw new TemplateCompileError(`${b.signature}: wrong number of arguments`);
  const secret = args.some((a) => a.secret);
  if (b.pure && args.every((a) => a.constant)) {
    // Computed once; a pure built-in never fails on constant input.
    const v = b.call(undefined as unknown as TemplateState, args.map((a) => (a as { value: Value }).value));
    return { constant: true, value: v!, secret };
  }
  // One argument array per call site, refilled on every render (renders never nest in a site).
  const values: Value[] = new Array<Value>(args.length);
  const n = args.length;
  return {
    constant: false,
    secret,
    eval: (s) => {
      for (let i = 0; i < n; i++) {
        const a = args[i]!;
        if (a.constant) values[i] = a.value;
        else {
          const v = a.eval(s);
          if (v === undefined) return undefined;
          values[i] = v;
        }
      }
      return b.call(s, values);
    },
  };
}
