/**
 * The self-contained HTML report (decisions §4): one file with the results JSON, the same
 * renderer the editor's results panel uses, and its CSS all inlined, so it opens offline and
 * loads nothing remote. A strict CSP lets only our own script (by hash) run.
 */
import { createHash } from 'node:crypto';
import type { Comparison } from '../compare/compare';
import type { Results } from '../metrics/results-types';
import { loadRendererAssets } from './assets';

/** JSON that is safe inside <script type="application/json">: no `</script>`, no `<!--`. */
export function embedJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/** Text for the <title>: escaped, since a scenario name is user text. */
function escapeText(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** comparison: a baseline comparison (z6 report/run --baseline), drawn as its own section. */
export function renderHtmlReport(results: Results, opts: { comparison?: Comparison } = {}): string {
  const { js, css } = loadRendererAssets();
  // The boot line reads the embedded JSON and hands it to the renderer's global (an IIFE).
  const boot = `(function(d){var c=d.getElementById('z6-comparison-data');Z6Renderer.mountReport(d.getElementById('z6-root'),JSON.parse(d.getElementById('z6-results').textContent),c?JSON.parse(c.textContent):undefined);})(document);`;
  const csp = [
    "default-src 'none'",
    `script-src ${sha256(js)} ${sha256(boot)}`,
    `style-src ${sha256(css)}`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const file = results.scenario.file?.split(/[\\/]/).pop();
  const title = `Z6 report — ${results.scenario.name ?? file ?? 'scenario'}`;
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="color-scheme" content="light dark">',
    `<title>${escapeText(title)}</title>`,
    `<style>${css}</style>`,
    '</head>',
    '<body class="z6-report">',
    '<main id="z6-root"></main>',
    `<script type="application/json" id="z6-results">${embedJson(results)}</script>`,
    ...(opts.comparison ? [`<script type="application/json" id="z6-comparison-data">${embedJson(opts.comparison)}</script>`] : []),
    `<script>${js}</script>`,
    `<script>${boot}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
