/**
 * Whether a regular expression or a JSONPath from the scenario compiles: the validator reports
 * the problem at the value, and the runner compiles the same text the same way (so a pattern
 * that validated never fails to compile at run time).
 */
import { compile as compileJsonPath } from 'json-p3';

/** Regexes from a scenario are JavaScript regular expressions with the `u` flag (Unicode-aware, stricter syntax). */
export function compileRegex(source: string): RegExp {
  return new RegExp(source, 'u');
}

/** Why the regex does not compile, or undefined. */
export function regexProblem(source: string): string | undefined {
  try {
    compileRegex(source);
    return undefined;
  } catch (e) {
    return `not a valid regular expression: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}`;
  }
}

/** Why the JSONPath does not compile, or undefined. */
export function jsonPathProblem(path: string): string | undefined {
  try {
    compileJsonPath(path);
    return undefined;
  } catch (e) {
    return `not a valid JSONPath (RFC 9535, e.g. $.items[0].id): ${(e as Error).message}`;
  }
}
