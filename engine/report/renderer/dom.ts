/**
 * The one way the renderer builds DOM. Every piece of text goes through `textContent`
 * (document.createTextNode), never innerHTML, so a request name or a response message such as
 * `<img src=x onerror=...>` shows up as literal text (decisions §5).
 */

export type Child = Node | string | number | null | undefined | false;

export interface Attrs {
  class?: string;
  title?: string;
  id?: string;
  /** data-* and aria-* and the few plain attributes we use (scope, colspan, role, type). */
  [name: string]: string | number | boolean | undefined | ((ev: Event) => void);
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [name, value] of Object.entries(attrs)) {
      if (value === undefined || value === false) continue;
      if (typeof value === 'function') {
        el.addEventListener(name.replace(/^on/, '').toLowerCase(), value as EventListener);
      } else if (name.startsWith('on')) {
        // An inline handler attribute would be both a CSP violation and an injection path.
        throw new Error(`h(): '${name}' must be a function`);
      } else {
        el.setAttribute(name, value === true ? '' : String(value));
      }
    }
  }
  append(el, ...children);
  return el;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    parent.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)));
  }
}

export function clear(el: Element): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

/** A section with a heading; `id` lets tests and links find it. */
export function section(id: string, title: string, ...body: Child[]): HTMLElement {
  return h('section', { class: 'z6-section', id: `z6-${id}`, 'aria-labelledby': `z6-${id}-h` }, h('h2', { id: `z6-${id}-h` }, title), ...body);
}

/**
 * A table from a header row and body rows; cells may be nodes. `num` marks numeric columns. Each
 * cell carries its column's name (data-label): at a narrow width (the editor's side-by-side panel)
 * a table of more than four columns turns each row into a block of "label  value" lines instead
 * of being cut off (styles.css, .z6-reflow).
 */
export function table(cls: string, head: string[], rows: Child[][], num: boolean[] = []): HTMLTableElement {
  const reflow = head.length > 4 ? ' z6-reflow' : '';
  return h(
    'table',
    { class: `z6-table ${cls}${reflow}` },
    h('thead', null, h('tr', null, ...head.map((t, i) => h('th', { scope: 'col', class: num[i] ? 'num' : undefined }, t)))),
    h('tbody', null, ...rows.map((r) => h('tr', null, ...r.map((c, i) => h('td', { class: num[i] ? 'num' : undefined, 'data-label': head[i] ?? '' }, c))))),
  );
}
