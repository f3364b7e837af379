/**
 * The names a template can use, and how they resolve: built-ins, `[vars]` constants (bare
 * names), `env.NAME`, and dynamic names whose value changes during the run (data-file columns,
 * extracted values). All bare names share one flat scope; the validator refuses the same name
 * from two sources, so a name always means one thing and needs no prefix.
 */
import type { Value } from './builtins';

export interface Var {
  value: Value;
  secret: boolean;
}

/** Where a dynamic name's value comes from (for messages, hover and go-to-definition). */
export type DynamicSource = 'data' | 'extract';

/**
 * A name whose value is set while the run goes (per VU): it lives in TemplateState.values[slot].
 * Until something sets it, a request that uses it fails as kind 'template'.
 */
export interface DynamicVar {
  slot: number;
  secret: boolean;
  source: DynamicSource;
}

export interface TemplateScope {
  vars: ReadonlyMap<string, Var>;
  /** Dynamic names and their value slots; absent when the scenario has none. */
  dynamic?: ReadonlyMap<string, DynamicVar>;
  /**
   * Validation only: some dynamic names could not be listed (a data file whose header could not
   * be read), so an unknown bare name may be one of them and is not reported.
   */
  openNames?: boolean;
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
