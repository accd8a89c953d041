// Live values in a virtual table, shared by the Tags and Query pages: the cells of a tag's value,
// quality and time, and an updater that repaints only the rows in view whose tag changed, once per
// animation frame. The rows are not rebuilt (vtable's refresh() would replace a button under the
// operator's pointer ten times a second); only the text of those three cells changes.

import {h, fill, formatValue, formatTime, qualityMark} from './dom.js';

/** The value cell's content: the value as an operator reads it, marked stale with the stream. */
export function valueCell(row) {
  return h('span', {class: 'live'}, formatValue(row.value));
}

/** The quality cell's content: GOOD plain and quiet, anything else marked with a shape and words. */
export function qualityCell(row) {
  if (row.quality === undefined || row.quality === null) return '';
  const mark = qualityMark(row.quality);
  return mark.cls ? h('span', {class: mark.cls, title: row.quality}, mark.text) : h('span', {class: 'muted'}, 'good');
}

/** The time cell's content: the bank's last write before the sample (a fact, not marked stale: the value is). */
export function timeCell(row) {
  return h('span', {title: row.ts || 'never written'}, formatTime(row.ts));
}

/**
 * Repaints changed rows of a virtual table.
 * @param table  the virtualTable whose rows are the live objects (mutated by the caller)
 * @param keyOf  (row) → the key mark() is called with (a tag path)
 * @returns {mark(key), stop()}
 */
export function liveRows(table, keyOf) {
  const changed = new Set();
  let frame = 0;

  function flush() {
    frame = 0;
    const rows = table.rows();
    for (const tr of table.el.querySelectorAll('tbody tr[data-row]')) {
      const row = rows[Number(tr.dataset.row)];
      if (!row || !changed.has(keyOf(row))) continue;
      paint(tr, 'td.value', valueCell(row));
      paint(tr, 'td.quality', qualityCell(row));
      paint(tr, 'td.time', timeCell(row));
    }
    changed.clear();
  }

  return {
    mark(key) {
      changed.add(key);
      if (!frame) frame = requestAnimationFrame(flush);
    },
    stop() {
      cancelAnimationFrame(frame);
      frame = 0;
    },
  };
}

function paint(tr, selector, content) {
  const td = tr.querySelector(selector);
  if (td) fill(td, content);
}

/** Copies what a stream item says about a tag (docs/streams.md "data") onto a row. */
export function applyItem(row, item) {
  if ('value' in item) row.value = item.value;
  if ('quality' in item) row.quality = item.quality;
  if ('ts' in item) row.ts = item.ts;
  if (item.unit !== undefined && row.unit === undefined) row.unit = item.unit;
}
