/**
 * The calendar check on dates, applied by the validator on top of both parsers: smol-toml reads
 * 1988-02-30 as March 1 (JavaScript Date rollover) and our parser, to agree with it on syntax,
 * accepts any day up to 31 too; TOML (RFC 3339) says the day must exist in its month.
 */
import type { ScalarNode, TomlDocument, ValueNode } from './ast';

/** Why `raw` (a TOML date or date-time) names a day that does not exist, or undefined. */
export function impossibleDate(raw: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(raw);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1];
  if (days === undefined || d <= days) return undefined;
  return `invalid date '${raw}': ${MONTHS[mo - 1]} ${y} has ${days} days`;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Every date or date-time value in the tree, in document order. */
export function dateValues(doc: TomlDocument): ScalarNode[] {
  const out: ScalarNode[] = [];
  const walk = (v: ValueNode): void => {
    if (v.type === 'scalar') {
      if (v.kind === 'datetime') out.push(v);
    } else if (v.type === 'array') v.items.forEach(walk);
    else for (const e of v.entries.values()) walk(e.value);
  };
  walk(doc.root);
  return out.sort((a, b) => a.span.start - b.span.start);
}
