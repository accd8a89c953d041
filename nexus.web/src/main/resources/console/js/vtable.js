// A virtualised table: only the rows in view (plus a margin) are in the DOM, so 10,000 or 100,000
// rows scroll as fast as 20. Rows have one fixed height. Cells are made by the caller's render
// function, as text (dom.js h()), never as HTML.

import {h, fill} from './dom.js';

const ROW_PX = 24;
const MARGIN_ROWS = 10;

/**
 * @param columns [{key, label, cls, width}] — header labels, the cell class, a CSS width (e.g. '30%')
 * @param render  (row, column) → a string or a node for the cell
 * @param height  the viewport's height in px
 * @param rowAttrs optional (row, index) → more attributes for the row's <tr> (data-*, class)
 * @param keyed   optional: a row object rendered once is drawn again only when setRows() gives another
 *                object in its place (rows that did not change keep their DOM: focus, clicks and a test's
 *                element references survive updates elsewhere); refresh() still re-renders every row
 * @returns {el, setRows(rows), refresh(), rows()} — refresh() re-renders the visible rows (live values)
 */
export function virtualTable(columns, render, {height = 480, id, rowAttrs, keyed = false} = {}) {
  let rows = [];
  let drawn = new Map(); // row object → its <tr>, when keyed
  const cols = () => h('colgroup', {}, columns.map((c) => h('col', {style: c.width ? `width:${c.width}` : null})));
  const header = h('table', {class: 'vhead'}, cols(), h('thead', {}, h('tr', {},
    columns.map((c) => h('th', {class: c.cls, scope: 'col'}, c.label)))));
  const body = h('tbody');
  const table = h('table', {class: 'vbody', style: 'position:absolute;left:0;right:0;top:0'}, cols(), body);
  const sizer = h('div', {style: 'position:relative'}, table);
  const viewport = h('div', {class: 'vviewport', style: `height:${height}px;overflow:auto`}, sizer);
  const el = h('div', {class: 'vtable', id}, header, viewport);
  let frame = 0;

  function draw() {
    frame = 0;
    const first = Math.max(0, Math.floor(viewport.scrollTop / ROW_PX) - MARGIN_ROWS);
    const count = Math.ceil(height / ROW_PX) + 2 * MARGIN_ROWS;
    const last = Math.min(rows.length, first + count);
    table.style.top = (first * ROW_PX) + 'px';
    const trs = [];
    const next = new Map();
    for (let i = first; i < last; i++) {
      const row = rows[i];
      let tr = keyed ? drawn.get(row) : null;
      if (tr) {
        tr.dataset.row = i;
      } else {
        tr = h('tr', {style: `height:${ROW_PX}px`, 'data-row': i, ...(rowAttrs ? rowAttrs(row, i) : {})},
          columns.map((c) => h('td', {class: c.cls}, render(row, c))));
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

  // Puts the rows in order touching only what changed: a row that stays is neither removed nor moved.
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
