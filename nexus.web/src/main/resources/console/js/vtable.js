// A virtualised table: only the rows in view (plus a margin) are in the DOM, so 10,000 or 100,000
// rows scroll as fast as 20. Rows have one fixed height. Cells are made by the caller's render
// function, as text (dom.js h()), never as HTML. Styles are set through element.style, not a style
// attribute: the page's CSP (style-src 'self') drops style attributes.

import {h, fill} from './dom.js';

const ROW_PX = 24;
const MARGIN_ROWS = 10;

/**
 * @param columns [{key, label, cls, width}] — header labels, the cell class, a CSS width (e.g. '30%')
 * @param render  (row, column) → a string or a node for the cell
 * @param height  the viewport's height in px
 * @param rowAttrs (row) → extra attributes of the row's <tr> (e.g. {'data-tag': path}), optional
 * @param keyed   optional: a row object drawn once is drawn again only when setRows() puts another
 *                object in its place, so rows that did not change keep their DOM (focus, a click in
 *                progress, a test's element references) while others change; refresh() redraws all
 * @returns {el, setRows(rows), refresh(), rows()} — refresh() re-renders the visible rows (live values)
 */
export function virtualTable(columns, render, {height = 480, id, rowAttrs, keyed = false} = {}) {
  let rows = [];
  let drawn = new Map(); // when keyed: row object → its <tr>
  const cols = () => h('colgroup', {}, columns.map((c) => styled(h('col'), {width: c.width || ''})));
  const header = h('table', {class: 'vhead'}, cols(), h('thead', {}, h('tr', {},
    columns.map((c) => h('th', {class: c.cls, scope: 'col'}, c.label)))));
  const body = h('tbody');
  const table = styled(h('table', {class: 'vbody'}, cols(), body), {position: 'absolute', left: '0', right: '0', top: '0'});
  const sizer = styled(h('div', {}, table), {position: 'relative'});
  const viewport = styled(h('div', {class: 'vviewport'}, sizer), {height: height + 'px', overflow: 'auto'});
  const el = h('div', {class: 'vtable', id}, header, viewport);
  let frame = 0;

  function draw() {
    frame = 0;
    const first = Math.max(0, Math.floor(viewport.scrollTop / ROW_PX) - MARGIN_ROWS);
    const count = Math.ceil(height / ROW_PX) + 2 * MARGIN_ROWS;
    const last = Math.min(rows.length, first + count);
    table.style.top = (first * ROW_PX) + 'px';
    header.style.width = viewport.clientWidth + 'px';  // the body's scroll bar takes width from its columns
    const trs = [];
    const next = new Map();
    for (let i = first; i < last; i++) {
      const row = rows[i];
      let tr = keyed ? drawn.get(row) : null;
      if (tr) {
        tr.dataset.row = i;
      } else {
        tr = styled(h('tr', {...(rowAttrs ? rowAttrs(row) : {}), 'data-row': i},
          columns.map((c) => h('td', {class: c.cls}, render(row, c)))), {height: ROW_PX + 'px'});
      }
      if (keyed) next.set(row, tr);
      trs.push(tr);
    }
    if (keyed) {
      drawn = next;
      place(trs);
    } else {
      fill(body, trs);
    }
  }

  // Puts the rows in order, touching only what changed: a row that stays is neither removed nor moved.
  function place(trs) {
    const wanted = new Set(trs);
    for (const tr of [...body.children]) if (!wanted.has(tr)) tr.remove();
    let cursor = body.firstElementChild;
    for (const tr of trs) {
      if (cursor === tr) cursor = cursor.nextElementSibling;
      else body.insertBefore(tr, cursor);
    }
  }

  function schedule() {
    if (!frame) frame = requestAnimationFrame(draw);
  }

  viewport.addEventListener('scroll', schedule, {passive: true});
  return {
    el,
    setRows(next) {
      rows = next;
      sizer.style.height = (rows.length * ROW_PX) + 'px';
      schedule();
    },
    refresh() {
      drawn = new Map();
      schedule();
    },
    rows: () => rows,
  };
}

function styled(el, props) {
  Object.assign(el.style, props);
  return el;
}
