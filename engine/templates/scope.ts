/**
 * The names a template can use, and how they resolve. Today: built-ins, `[vars]` constants
 * (bare names) and `env.NAME`. Later scopes (data-file columns, extracted values, setup results)
 * add bare names to the same flat VU scope; the validator will refuse the same name in two
 * scopes, so a name always means one thing and needs no prefix.
 */
import type { Value } from './builtins';

export interface Var {
  value: Value;
  secret: boolean;
}

export interface TemplateScope {
  vars: ReadonlyMap<string, Var>;
  /**
   * The environment for `env.NAME`. The engine never reads process.env itself: the CLI passes
   * it. An unset or empty value is missing. Undefined while validating without an environment
   * (the editor today): then any env name is accepted.
   */
  env?: Readonly<Record<string, string | undefined>>;
}

/** The value of env.NAME, or undefined when it is unset or empty (CI sets an absent secret to ""). */
export function envValue(env: TemplateScope['env'], name: string): string | undefined {
  const v = env?.[name];
  return v === undefined || v === '' ? undefined : v;
}
