/**
 * The results panel's page. vscode-free so the exact page the editor shows can be loaded in
 * chromium by the tests. CSP: scripts only with this page's nonce, styles/fonts/images only
 * from the extension's own resources (cspSource), nothing else; no inline style elements.
 */
export interface PanelPage {
  nonce: string;
  /** URI of dist/renderer.js and dist/renderer.css as the webview sees them (asWebviewUri). */
  scriptUri: string;
  styleUri: string;
  /** webview.cspSource: the origin those URIs are served from. */
  cspSource: string;
}

function attr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

export function panelHtml(p: PanelPage): string {
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${p.nonce}'`,
    `style-src ${p.cspSource}`,
    `img-src ${p.cspSource} data:`,
    `font-src ${p.cspSource}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${attr(p.styleUri)}">
<title>Z6 Results</title>
</head>
<body class="z6-panel">
<main id="z6-root"></main>
<script nonce="${attr(p.nonce)}" src="${attr(p.scriptUri)}"></script>
<script nonce="${attr(p.nonce)}">Z6Renderer.mountPanel(document.getElementById('z6-root'));</script>
</body>
</html>`;
}
