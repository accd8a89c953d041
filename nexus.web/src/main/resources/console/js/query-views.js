// The views a query may read, with their columns, beside the editor. The names are the four public
// views of docs/query.md (as nexus.mcp's schema resource lists them); the columns are asked from the
// node, as the caller sees them: `SELECT * FROM <view>` with limit 0 answers the columns and no rows
// (docs/query.md "Size and shape limits"). The OpenAPI document describes requests, not the views'
// columns, so it cannot answer this. Clicking a name puts it into the editor.

import {api} from './api.js';
import {h, fill} from './dom.js';

export const VIEWS = ['tags', 'tag_properties', 'alarms', 'banks'];

/**
 * Fills #views and returns it.
 * @param insert (text, replaceAll) — puts a name at the editor's caret (or a whole statement)
 */
export function viewsPanel(insert) {
  const panel = h('aside', {id: 'views', 'aria-label': 'Views and their columns'}, h('h2', {}, 'Views'));
  const lists = VIEWS.map((view) => {
    const columns = h('ul', {class: 'columns'}, h('li', {class: 'muted'}, 'loading…'));
    const section = h('section', {class: 'view', 'data-view': view},
      h('h3', {}, h('button', {type: 'button', class: 'link', title: `SELECT * FROM ${view} LIMIT 100`,
        onclick: () => insert(`SELECT * FROM ${view} LIMIT 100`, true)}, view)),
      columns);
    describe(view, columns);
    return section;
  });
  panel.append(...lists);
  return panel;

  async function describe(view, columns) {
    try {
      const answer = await api('POST', '/api/v1/query', {sql: `SELECT * FROM ${view}`, limit: 0});
      fill(columns, answer.columns.map((column) => h('li', {},
        h('button', {type: 'button', class: 'link column', onclick: () => insert(column, false)}, column))));
    } catch (e) {
      fill(columns, h('li', {class: 'error'}, String(e)));
    }
  }
}
