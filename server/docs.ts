/**
 * Markdown for hovers and completion items, all built from the key table in schema.ts, so what
 * the editor says about a key is exactly what the validator enforces.
 */
import { defaultText, rangeText, typeText as schemaTypeText, type KeySpec, type SectionSpec } from '../engine/scenario/schema';

export function typeText(spec: KeySpec): string {
  return spec.type === 'enum' ? 'string (one of the values below)' : schemaTypeText(spec);
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
