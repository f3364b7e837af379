/**
 * Markdown for hovers and completion items, all built from the key table in schema.ts, so what
 * the editor says about a key is exactly what the validator enforces.
 */
import { defaultText, type KeySpec, type SectionSpec } from '../engine/scenario/schema';

const TYPE_TEXT: Record<KeySpec['type'], string> = {
  string: 'string',
  integer: 'integer',
  number: 'number (integer or float)',
  boolean: 'boolean',
  enum: 'string (one of the values below)',
  'string-array': 'array of strings',
  'string-map': 'inline table of strings',
};

export function typeText(spec: KeySpec): string {
  return TYPE_TEXT[spec.type];
}

/** "1 … 86400 s", "> 0 ms", "≥ 0". */
export function rangeText(spec: KeySpec): string | undefined {
  const unit = spec.unit ? ` ${spec.unit}` : '';
  if (spec.min !== undefined && spec.max !== undefined) return `${spec.minExclusive ? `> ${spec.min} and ≤ ${spec.max}` : `${spec.min} … ${spec.max}`}${unit}`;
  if (spec.min !== undefined) return `${spec.minExclusive ? '>' : '≥'} ${spec.min}${unit}`;
  if (spec.max !== undefined) return `≤ ${spec.max}${unit}`;
  return undefined;
}

export function keyMarkdown(section: SectionSpec, spec: KeySpec): string {
  const lines: string[] = [`**${section.name}.${spec.key}**${spec.required ? ' (required)' : ''}`, '', spec.summary];
  if (spec.docs) lines.push('', spec.docs);
  const facts: string[] = [`- Type: ${typeText(spec)}`];
  const def = defaultText(spec);
  if (def !== undefined) facts.push(`- Default: ${def}`);
  const range = rangeText(spec);
  if (range) facts.push(`- Range: ${range}`);
  else if (spec.unit) facts.push(`- Unit: ${spec.unit}`);
  if (spec.appliesTo) facts.push(`- Only for \`type\` = ${spec.appliesTo.map((v) => `"${v}"`).join(', ')}`);
  lines.push('', ...facts);
  if (spec.values) {
    lines.push('', 'Values:');
    for (const v of spec.values) lines.push(`- \`"${v}"\`${spec.valueDocs?.[v] ? `: ${spec.valueDocs[v]}` : ''}`);
  }
  lines.push('', 'Example:', '```toml', spec.example, '```');
  return lines.join('\n');
}

export function sectionMarkdown(section: SectionSpec): string {
  const header = section.kind === 'array' ? `[[${section.name}]]` : `[${section.name}]`;
  const lines = [`**${header}**${section.required ? ' (required)' : ''}`, '', section.summary];
  if (section.docs) lines.push('', section.docs);
  if (section.appliesTo) lines.push('', `Only with \`type\` = ${section.appliesTo.map((v) => `"${v}"`).join(', ')}.`);
  lines.push('', 'Keys: ' + section.keys.map((k) => `\`${k.key}\`${k.required ? '*' : ''}`).join(', '));
  lines.push('', 'Example:', '```toml', section.example, '```');
  return lines.join('\n');
}

export function valueMarkdown(section: SectionSpec, spec: KeySpec, value: string): string {
  const doc = spec.valueDocs?.[value];
  return [`**"${value}"**: ${section.name}.${spec.key}`, ...(doc ? ['', doc] : [])].join('\n');
}
