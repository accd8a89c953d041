// The Query page: an SQL editor with the views and their columns beside it (query-views.js), Run →
// POST /api/v1/query → the rows in a virtual table (10,000 rows scroll like 20), and Explain → POST
// /api/v1/explain drawn as a picture (plan.js). When the rows carry a tag (a tag id column: the
// node then adds value, quality and ts), the same SQL is followed through one stream subscription
// (docs/streams.md), so those three columns are live; the node runs the query again for the stream,
// through the same guard, scope and row cap.

import {api} from './api.js';
import {h, fill, formatValue} from './dom.js';
import {stream, LIVE_VALUES} from './stream.js';
import {virtualTable} from './vtable.js';
import {applyItem, liveRows, qualityCell, timeCell, valueCell} from './tags-live.js';
import {viewsPanel} from './query-views.js';
import {drawPlan, explain} from './plan.js';

const EXAMPLE = "SELECT id, path, type, unit FROM tags WHERE path LIKE 'site1/area1/%' ORDER BY path LIMIT 200";
/** The columns the node adds to a row that carries a tag (docs/query.md "Values"). */
const LIVE_COLUMNS = [
  {key: '$value', label: 'value', cls: 'value num'},
  {key: '$quality', label: 'quality', cls: 'quality'},
  {key: '$ts', label: 'ts', cls: 'time'},
];

let lastSql = sessionStorage.getItem('rma-nexus.sql') || EXAMPLE;

export function mount(container) {
  const sql = h('textarea', {id: 'sql', rows: 7, spellcheck: 'false', 'aria-label': 'SQL (one SELECT)'});
  sql.value = lastSql;
  const run = h('button', {type: 'button', id: 'run', title: 'Run (Ctrl+Enter)'}, 'Run');
  const explainButton = h('button', {type: 'button', id: 'explain'}, 'Explain');
  const message = h('p', {id: 'query-message', class: 'error', role: 'alert'});
  const liveNote = h('p', {id: 'query-live', class: 'muted'});
  const count = h('span', {id: 'result-count'});
  const countNote = h('span', {class: 'muted'});
  const results = h('div', {id: 'results'});
  const plan = h('div', {id: 'plan'});

  let table = null;
  let live = null;
  let unsubscribe = null;
  let last = null;        // {sql, columns, rows, ids} of the last run
  let generation = 0;     // a newer run makes an older one's answer moot
  let explained = 0;      // the same for explain

  function insert(text, replaceAll) {
    if (replaceAll) {
      sql.value = text;
    } else {
      const at = sql.selectionStart ?? sql.value.length;
      sql.value = sql.value.slice(0, at) + text + sql.value.slice(sql.selectionEnd ?? at);
      sql.selectionStart = sql.selectionEnd = at + text.length;
    }
    sql.focus();
  }

  function stopLive() {
    if (unsubscribe) unsubscribe();
    unsubscribe = null;
    if (live) live.stop();
    live = null;
    liveNote.textContent = '';
  }

  async function doRun() {
    const text = sql.value.trim();
    if (!text) return;
    const mine = ++generation;
    lastSql = text;
    sessionStorage.setItem('rma-nexus.sql', text);
    stopLive();
    message.textContent = '';
    count.textContent = '';
    countNote.textContent = ' running…';
    run.disabled = true;
    try {
      const answer = await api('POST', '/api/v1/query', {sql: text});
      if (mine !== generation) return;
      show(text, answer);
    } catch (e) {
      if (mine !== generation) return;
      countNote.textContent = '';
      message.textContent = String(e);
    } finally {
      if (mine === generation) run.disabled = false;
    }
  }

  function show(text, answer) {
    const tagColumn = ['id', 'tag_id'].find((c) => answer.columns.includes(c));
    const carriesTags = !!tagColumn && answer.rows.some((row) => 'quality' in row);
    const rows = answer.rows.map((row) => ({cells: row, value: row.value, quality: row.quality, ts: row.ts,
      key: carriesTags ? row[tagColumn] : null}));
    const columns = answer.columns.map((c) => ({key: c, label: c, cls: 'c'}));
    // A result column that is itself called value, quality or ts is the data; the live columns follow it.
    if (carriesTags) columns.push(...LIVE_COLUMNS);
    table = virtualTable(columns, render, {height: 360, id: 'result-table'});
    table.setRows(rows);
    fill(results, table.el);
    count.textContent = `${rows.length} rows`;
    const stats = answer.stats || {};
    countNote.textContent = (answer.truncated ? ' — more rows matched: the answer stops at the row cap; narrow the query or add a LIMIT' : '')
      + (stats.tags ? ` · ${stats.tags} tags read in ${stats.blocks} blocks, ${stats.bytesRead} bytes` : '');
    const ids = carriesTags ? [...new Set(rows.map((row) => row.key))].filter((id) => id !== null && id !== undefined) : [];
    last = {sql: text, ids};
    if (carriesTags && !answer.truncated) follow(text, rows, ids);
    else if (carriesTags) liveNote.textContent = 'Live values are off: the answer is cut at the row cap, and a stream follows every tag its query answers.';
  }

  function render(row, column) {
    switch (column.key) {
      case '$value': return valueCell(row);
      case '$quality': return qualityCell(row);
      case '$ts': return timeCell(row);
      default: {
        const cell = row.cells[column.key];
        if (cell === null || cell === undefined) return h('span', {class: 'null'}, 'NULL');
        const text = typeof cell === 'object' ? JSON.stringify(cell) : formatCell(cell);
        return text.length > 12 ? h('span', {title: text}, text) : text;
      }
    }
  }

  /**
   * Follows the query's tags. Stream items name a tag by path, rows by id: the snapshot lists the
   * tags in the order the query answered them (docs/streams.md "data"), which pairs each path with
   * the id of the same place; when the numbers differ (the registry changed in between) live values
   * are switched off rather than guessed.
   */
  function follow(text, rows, ids) {
    const byKey = new Map();
    for (const row of rows) {
      if (!byKey.has(row.key)) byKey.set(row.key, []);
      byKey.get(row.key).push(row);
    }
    const keyOfPath = new Map();
    live = liveRows(table, (row) => row.key);
    liveNote.textContent = 'Live values: subscribing…';
    unsubscribe = stream.subscribe({sql: text, ...LIVE_VALUES}, (msg) => {
      if (msg.type === 'data') {
        const items = msg.items || [];
        if (msg.snapshot) {
          keyOfPath.clear();
          if (items.length !== ids.length) {
            stopLive();
            liveNote.textContent = `Live values are off: the stream follows ${items.length} tags, the rows hold ${ids.length}; run the query again.`;
            return;
          }
          items.forEach((item, i) => keyOfPath.set(item.path, ids[i]));
          liveNote.textContent = `Live values: ${ids.length} tags followed, sampled every ${LIVE_VALUES.samplingMs} ms.`;
        }
        for (const item of items) {
          const key = keyOfPath.get(item.path);
          for (const row of byKey.get(key) || []) applyItem(row, item);
          if (key !== undefined && live) live.mark(key);
        }
      } else if (msg.type === 'tags') {
        liveNote.textContent = 'The registry changed: run the query again for its current rows (values shown are of the tags as they were).';
      } else if (msg.type === 'error') {
        stopLive();
        liveNote.textContent = `Live values are off: ${msg.message} (${msg.code})`;
      }
    });
  }

  async function doExplain() {
    const text = sql.value.trim();
    if (!text) return;
    const mine = ++explained;
    message.textContent = '';
    explainButton.disabled = true;
    fill(plan, h('p', {class: 'muted'}, 'Explaining…'));
    try {
      let ids = last && last.sql === text ? last.ids : null;
      if (!ids) {
        const answer = await api('POST', '/api/v1/query', {sql: text});
        const column = ['id', 'tag_id'].find((c) => answer.columns.includes(c));
        ids = column ? [...new Set(answer.rows.map((row) => row[column]))].filter((id) => typeof id === 'number') : [];
      }
      const drawn = drawPlan(await explain(text, ids));
      if (mine === explained) fill(plan, drawn);
    } catch (e) {
      if (mine !== explained) return;
      fill(plan);
      message.textContent = String(e);
    } finally {
      if (mine === explained) explainButton.disabled = false;
    }
  }

  run.addEventListener('click', doRun);
  explainButton.addEventListener('click', doExplain);
  sql.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      doRun();
    }
  });

  fill(container, h('section', {id: 'query', class: 'query'},
    h('div', {class: 'editor'},
      h('label', {for: 'sql'}, 'SQL — one SELECT over the views'), sql,
      h('div', {class: 'buttons'}, run, explainButton, h('span', {class: 'muted'}, 'Ctrl+Enter runs')),
      message),
    viewsPanel(insert),
    h('div', {class: 'output'},
      h('p', {class: 'count'}, count, countNote), liveNote, results,
      h('h2', {}, 'Read plan'), plan)));

  return () => {
    generation++;
    explained++;
    stopLive();
  };
}

function formatCell(cell) {
  return typeof cell === 'number' || typeof cell === 'boolean' ? formatValue(cell) : String(cell);
}
