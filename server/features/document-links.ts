/** Clickable file paths: body_file and ca_bundle open the file they name (relative to the scenario). */
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { DocumentLink } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { resolvePath, statementPath, type Analysis } from '../analysis';
import { topStatements } from './shared';

export function documentLinks(a: Analysis, td: TextDocument): DocumentLink[] {
  if (!td.uri.startsWith('file:')) return [];
  const dir = dirname(fileURLToPath(td.uri));
  const out: DocumentLink[] = [];
  for (const st of topStatements(a)) {
    const v = st.value;
    if (v?.type !== 'scalar' || v.kind !== 'string' || typeof v.value !== 'string' || v.value === '') continue;
    const r = resolvePath(statementPath(a, st));
    if (r.key?.format !== 'file' || r.rest.length) continue;
    const target = isAbsolute(v.value) ? v.value : resolve(dir, v.value);
    // The link covers the text inside the quotes.
    out.push({
      range: { start: td.positionAt(v.span.start + 1), end: td.positionAt(Math.max(v.span.start + 1, v.span.end - 1)) },
      target: pathToFileURL(target).href,
      tooltip: `Open ${v.value}`,
    });
  }
  return out;
}
