/**
 * Checks the templates of one string value against a scope: syntax, unknown names (with "did
 * you mean"), built-in arities, constant arguments of random_int, and env names that are unset
 * when an environment is given. Spans are indices in the string value.
 */
import { didYouMean } from '../scenario/schema';
import { BUILTIN_BY_NAME, BUILTINS, ENV } from './builtins';
import { parseTemplate, type Expr, type TSpan } from './parse';
import { envValue, type TemplateScope } from './scope';

export type TemplateCode = 'template-syntax' | 'unknown-variable' | 'template-arity' | 'template-argument' | 'env-unset';

export interface TemplateProblem {
  span: TSpan;
  code: TemplateCode;
  message: string;
  /** For unknown names: the close known name. */
  suggestion?: string;
}

export function checkTemplate(s: string, scope: TemplateScope): TemplateProblem[] {
  const parsed = parseTemplate(s);
  const out: TemplateProblem[] = parsed.errors.map((e) => ({ span: e.span, code: 'template-syntax', message: e.message }));
  for (const p of parsed.parts) if (p.type === 'expr') checkExpr(p.expr, scope, out);
  return out;
}

/** Every bare name (`{{ token }}`, also inside calls) the templates of `s` use, with its span in `s`. */
export function namesOf(s: string): { name: string; span: TSpan }[] {
  const out: { name: string; span: TSpan }[] = [];
  const walk = (e: Expr): void => {
    if (e.type === 'name' && e.parts.length === 1) out.push({ name: e.parts[0]!, span: e.span });
    else if (e.type === 'call') e.args.forEach(walk);
  };
  for (const p of parseTemplate(s).parts) if (p.type === 'expr') walk(p.expr);
  return out;
}

/** Every `env.NAME` the templates of `s` use (valid ones only), with the span of the whole `env.NAME`. */
export function envUsesOf(s: string): { name: string; span: TSpan }[] {
  const out: { name: string; span: TSpan }[] = [];
  const walk = (e: Expr): void => {
    if (e.type === 'name' && e.parts.length === 2 && e.parts[0] === ENV) out.push({ name: e.parts[1]!, span: e.span });
    else if (e.type === 'call') e.args.forEach(walk);
  };
  for (const p of parseTemplate(s).parts) if (p.type === 'expr') walk(p.expr);
  return out;
}

/** Every env name the templates of `s` use (valid ones only). */
export function envNamesOf(s: string): string[] {
  return envUsesOf(s).map((u) => u.name);
}

function checkExpr(e: Expr, scope: TemplateScope, out: TemplateProblem[]): void {
  if (e.type === 'string' || e.type === 'number') return;
  if (e.type === 'call') {
    const b = BUILTIN_BY_NAME.get(e.name);
    if (!b || b.kind !== 'function') {
      if (b || scope.vars.has(e.name) || scope.dynamic?.has(e.name)) {
        out.push({ span: e.nameSpan, code: 'unknown-variable', message: `'${e.name}' is ${b ? 'a value' : 'a variable'}, not a function: write {{ ${e.name} }}` });
      } else {
        const m = unknownMessage(e.name, functionNames());
        out.push({ span: e.nameSpan, code: 'unknown-variable', message: m.message, suggestion: m.suggestion });
      }
    } else if (e.args.length < b.minArgs || e.args.length > b.maxArgs) {
      const want = b.minArgs === b.maxArgs ? `${b.minArgs}` : b.maxArgs >= 100 ? `at least ${b.minArgs}` : `${b.minArgs} to ${b.maxArgs}`;
      out.push({ span: e.span, code: 'template-arity', message: `${b.signature} takes ${want} argument${want === '1' ? '' : 's'}; found ${e.args.length}` });
    } else if (b.name === 'random_int') checkRandomInt(e.args, scope, out);
    e.args.forEach((a) => checkExpr(a, scope, out));
    return;
  }
  const [head, ...rest] = e.parts;
  if (head === ENV) {
    if (rest.length !== 1) {
      out.push({ span: e.span, code: 'unknown-variable', message: rest.length === 0 ? 'env needs a name: {{ env.NAME }}' : `env.${rest[0]} has no fields: write {{ env.NAME }}` });
    } else if (scope.env !== undefined && envValue(scope.env, rest[0]!) === undefined) {
      out.push({ span: e.span, code: 'env-unset', message: `environment variable ${rest[0]} is ${scope.env[rest[0]!] === '' ? 'empty' : 'not set'}: set it, or give it with --env ${rest[0]}=… or --env-file FILE` });
    }
    return;
  }
  const b = BUILTIN_BY_NAME.get(head!);
  const known = scope.vars.has(head!) || scope.dynamic?.has(head!) === true;
  if (rest.length === 0 && (known || b?.kind === 'value')) return;
  if (rest.length === 0 && b?.kind === 'function') {
    out.push({ span: e.span, code: 'unknown-variable', message: `'${head}' is a function: write {{ ${head}(${b.minArgs ? '…' : ''}) }}` });
    return;
  }
  if (rest.length > 0 && (known || b)) {
    out.push({ span: e.span, code: 'unknown-variable', message: `'${head}' has no fields: write {{ ${head} }}` });
    return;
  }
  if (scope.openNames && rest.length === 0) return;
  const m = unknownMessage(e.parts.join('.'), [...scope.vars.keys(), ...(scope.dynamic?.keys() ?? []), ...BUILTINS.filter((x) => x.kind === 'value').map((x) => x.name)]);
  out.push({ span: e.span, code: 'unknown-variable', message: m.message, suggestion: m.suggestion });
}

function functionNames(): string[] {
  return BUILTINS.filter((b) => b.kind === 'function').map((b) => b.name);
}

function unknownMessage(name: string, candidates: string[]): { message: string; suggestion?: string } {
  const guess = didYouMean(name, candidates);
  return {
    message: `unknown name '${name}'${guess ? `; did you mean '${guess}'?` : ''} (names: [vars] entries, data columns, extracted values, env.NAME, built-ins ${BUILTINS.map((b) => b.kind === 'function' ? `${b.name}()` : b.name).join(', ')})`,
    suggestion: guess,
  };
}

/** random_int's arguments, when they are constants, must be whole numbers with min <= max. */
function checkRandomInt(args: Expr[], scope: TemplateScope, out: TemplateProblem[]): void {
  const values = args.map((a) => constantNumber(a, scope));
  values.forEach((v, k) => {
    if (v !== undefined && !Number.isSafeInteger(v)) out.push({ span: args[k]!.span, code: 'template-argument', message: `random_int needs whole numbers; found ${v}` });
  });
  const [lo, hi] = values;
  if (lo !== undefined && hi !== undefined && Number.isSafeInteger(lo) && Number.isSafeInteger(hi) && lo > hi) {
    out.push({ span: { start: args[0]!.span.start, end: args[1]!.span.end }, code: 'template-argument', message: `random_int(min, max) needs min <= max; found ${lo} > ${hi}` });
  }
}

function constantNumber(e: Expr, scope: TemplateScope): number | undefined {
  if (e.type === 'number') return e.value;
  if (e.type === 'string') return Number(e.value);
  if (e.type === 'name' && e.parts.length === 1) {
    const v = scope.vars.get(e.parts[0]!);
    if (v !== undefined) return Number(v.value);
  }
  return undefined;
}
