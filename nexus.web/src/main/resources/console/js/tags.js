// The Tags page: the namespace as a lazily loaded tree (tags-tree.js), the open folder's tags (or a
// search's) in a virtual table with live values, units, quality and times, and writing a writable
// tag (tags-write.js). The table's rows come from one request (a query for a folder, POST
// /api/v1/find for a search) and their values from ONE stream subscription that follows the same
// tags, sampled every 100 ms (10 Hz), so the page shows every change an operator can read.

import {api} from './api.js';
import {h, fill} from './dom.js';
import {stream, LIVE_VALUES} from './stream.js';
import {virtualTable} from './vtable.js';
import {folderTree} from './tags-tree.js';
import {openWriteDialog} from './tags-write.js';
import {applyItem, liveRows, qualityCell, timeCell, valueCell} from './tags-live.js';

/** Rows shown at most in the table (a folder or a search); more are said, not drawn. */
const MAX_ROWS = 2000;
const COLUMNS = 'SELECT id, path, type, unit, writable, description FROM tags WHERE ';
/** The tags directly in a folder: a path range (the index) and no further '/' after the folder. */
const IN_FOLDER = 'path >= ? AND path < ? AND instr(substr(path, ?), \'/\') = 0';

export function mount(container, ctx) {
  const message = h('p', {id: 'tag-message', role: 'status'});
  const search = h('input', {id: 'tag-search', type: 'search', placeholder: 'site1/area1/  or  site1/*/line1/pump*/current',
    'aria-label': 'Find tags by path prefix or glob', autocomplete: 'off'});
  const heading = h('h2', {class: 'open-folder'}, 'Choose a folder');
  const count = h('span', {class: 'muted', id: 'tag-count'});
  const nav = h('nav', {id: 'tree', 'aria-label': 'Namespace'});
  const mayWrite = ctx.may('write');

  const table = virtualTable([
    {key: 'path', label: 'Tag', cls: 'path', width: '38%'},
    {key: 'value', label: 'Value', cls: 'value num', width: '14%'},
    {key: 'unit', label: 'Unit', cls: 'unit', width: '8%'},
    {key: 'quality', label: 'Quality', cls: 'quality', width: '14%'},
    {key: 'ts', label: 'Time', cls: 'time', width: '16%'},
    {key: 'write', label: '', cls: 'action', width: '10%'},
  ], render, {height: 520, id: 'tag-table', rowAttrs: (row) => ({'data-tag': row.path})});
  const live = liveRows(table, (row) => row.path);

  let byPath = new Map();
  let unsubscribe = null;
  let closeDialog = null;
  let shown = null;   // what the table shows: {kind: 'folder', path} or {kind: 'search', text}
  let generation = 0; // a newer load makes an older one's answer moot

  function render(row, column) {
    switch (column.key) {
      case 'path': return h('span', {title: row.description ? `${row.path} — ${row.description}` : row.path}, shortPath(row.path));
      case 'value': return valueCell(row);
      case 'unit': return row.unit || '';
      case 'quality': return qualityCell(row);
      case 'ts': return timeCell(row);
      case 'write': return row.writable ? h('button', {type: 'button', class: 'write', disabled: !mayWrite,
        title: mayWrite ? 'Write a new value' : 'Your role may not write tags', onclick: () => {
          closeDialog = openWriteDialog(row, say);
        }}, 'Write…') : '';
      default: return '';
    }
  }

  function shortPath(path) {
    const folder = shown && shown.kind === 'folder' && shown.path ? shown.path + '/' : '';
    return folder && path.startsWith(folder) ? path.slice(folder.length) : path;
  }

  function say(text, isError) {
    message.textContent = text;
    message.className = isError ? 'error' : 'muted';
  }

  function show(rows, more) {
    byPath = new Map(rows.map((row) => [row.path, row]));
    table.setRows(rows);
    count.textContent = rows.length === 0 ? '' : more
      ? `${rows.length} tags shown; more match (not complete): narrow the search or open a sub-folder`
      : `${rows.length} tags`;
  }

  /** Follows the shown tags: one subscription (docs/streams.md), replacing the one before. */
  function follow(sql, params) {
    if (unsubscribe) unsubscribe();
    unsubscribe = sql ? stream.subscribe({sql, params, ...LIVE_VALUES}, onStream) : null;
  }

  function onStream(msg) {
    if (msg.type === 'data') {
      for (const item of msg.items || []) {
        const row = byPath.get(item.path);
        if (!row) continue;
        applyItem(row, item);
        live.mark(item.path);
      }
    } else if (msg.type === 'tags') {
      reload();
    } else if (msg.type === 'error') {
      say(`Live values stopped: ${msg.message} (${msg.code})`, true);
    }
  }

  async function openFolder(path, folder) {
    const mine = ++generation;
    shown = {kind: 'folder', path};
    search.value = '';
    fill(heading, path ? path : 'Top level');
    const tagChildren = folder ? folder.children.filter((c) => c.tag).length : 0;
    if (folder && folder.complete && tagChildren === 0) {
      follow(null);
      show([], false);
      count.textContent = 'No tags directly in this folder: open a sub-folder.';
      return;
    }
    const params = path ? [path + '/', path + '0', path.length + 2] : ['', '\u{10FFFF}', 1];
    try {
      const result = await api('POST', '/api/v1/query', {sql: COLUMNS + IN_FOLDER + ' ORDER BY path', params, limit: MAX_ROWS});
      if (mine !== generation) return;
      show(result.rows.map(tagRow), result.truncated);
      follow('SELECT id FROM tags WHERE ' + IN_FOLDER, params);
    } catch (e) {
      if (mine !== generation) return;
      show([], false);
      follow(null);
      say(`The tags of ${path || 'the top level'} cannot be read: ${e}`, true);
    }
  }

  async function find(text) {
    const mine = ++generation;
    const glob = toGlob(text);
    shown = {kind: 'search', text};
    fill(heading, 'Found: ', h('code', {}, glob));
    try {
      const page = await api('POST', '/api/v1/find', {paths: [glob], limit: MAX_ROWS});
      if (mine !== generation) return;
      const rows = page.rows.map(tagRow);
      show(rows, !!page.cursor);
      say(rows.length ? '' : `No tag you may read matches ${glob}.`, false);
      // The same tags, and no more: the glob, bounded by the last path shown when more match.
      if (!rows.length) follow(null);
      else if (page.cursor) follow('SELECT id FROM tags WHERE path_glob(?, path) AND path <= ?', [glob, rows[rows.length - 1].path]);
      else follow('SELECT id FROM tags WHERE path_glob(?, path)', [glob]);
    } catch (e) {
      if (mine !== generation) return;
      show([], false);
      follow(null);
      say(`The search ${glob} failed: ${e}`, true);
    }
  }

  const tree = folderTree(nav, {
    onOpen: (path, folder) => { say('', false); openFolder(path, folder); },
    onError: (e) => say('A folder cannot be loaded: ' + e, true),
  });

  async function reload() {
    const root = await tree.reload();
    if (!shown) return;
    if (shown.kind === 'search') find(shown.text);
    else openFolder(shown.path, shown.path === '' ? root : null);
  }

  const form = h('form', {class: 'tag-search', role: 'search', onsubmit: (event) => {
    event.preventDefault();
    const text = search.value.trim();
    if (text) find(text);
  }}, h('label', {for: 'tag-search'}, 'Find'), search, h('button', {type: 'submit'}, 'Find'));

  fill(container, h('section', {id: 'tags', class: 'tags'},
    h('aside', {class: 'tree-pane'}, form, nav),
    h('div', {class: 'table-pane'}, h('div', {class: 'table-head'}, heading, count), message, table.el)));

  tree.reload().then((root) => {
    if (root && root.children.some((c) => c.tag)) openFolder('', root);
  });

  return () => {
    generation++;
    live.stop();
    if (unsubscribe) unsubscribe();
    if (closeDialog) closeDialog();
  };
}

/** What the operator typed as a find glob (docs/find.md): a glob as it is, a prefix as prefix*∕**. */
export function toGlob(text) {
  if (/[*?]/.test(text)) return text;
  if (text.endsWith('/')) return text + '**';
  return text + '*/**';
}

/** A row of a query or find answer as the table keeps it. */
function tagRow(row) {
  return {path: row.path, type: row.type, unit: row.unit, description: row.description,
    writable: row.writable === true || row.writable === 1, value: row.value, quality: row.quality, ts: row.ts};
}
