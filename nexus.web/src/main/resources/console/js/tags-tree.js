// The namespace as a tree of folders (path segments), loaded lazily: expanding a folder is one
// GET /api/v1/browse?prefix=&limit= (docs: TagService.browse), which answers the folder's next
// segments with how many tags each holds. The tree lists the children that hold tags under them;
// the tags directly in a folder are the page's table. A folder with more children than the limit
// says so in words (complete=false): the rest are reached through the search.

import {api} from './api.js';
import {h, fill} from './dom.js';

/** Children asked for per folder: enough for any plant's folder, few enough to draw at once. */
export const BROWSE_LIMIT = 1000;

/** One level of the namespace: {prefix, children: [{name, path, tags, tag}], complete, registryVersion}. */
export function browse(prefix, limit = BROWSE_LIMIT) {
  return api('GET', '/api/v1/browse?prefix=' + encodeURIComponent(prefix) + '&limit=' + limit);
}

/**
 * Builds the tree into nav#tree.
 * @param nav     the nav element
 * @param onOpen  (path, folder) when a folder is opened (clicked or Enter): folder is its browse answer
 * @param onError (ApiError) when a folder cannot be loaded
 * @returns {reload()} — reads the roots again (after a registry change)
 */
export function folderTree(nav, {onOpen, onError}) {
  const loaded = new Map();   // folder path → its browse answer
  let selected = null;

  async function load(prefix) {
    if (!loaded.has(prefix)) loaded.set(prefix, await browse(prefix));
    return loaded.get(prefix);
  }

  function list(folder) {
    const folders = folder.children.filter((c) => c.tags > (c.tag ? 1 : 0));
    const items = folders.map(item);
    if (!folder.complete) {
      items.push(h('li', {class: 'more muted', role: 'none'},
        `Only the first ${folder.children.length} entries are listed (complete=false): find the rest with the search.`));
    }
    return h('ul', {role: 'group'}, items);
  }

  function item(child) {
    const caret = h('span', {class: 'caret', 'aria-hidden': 'true'}, '▸');
    const label = h('div', {class: 'folder', 'data-folder': child.path, role: 'treeitem', tabindex: '0',
      'aria-expanded': 'false', title: child.path},
    caret, h('span', {class: 'name'}, child.name), ' ', h('span', {class: 'count muted'}, `(${child.tags})`));
    const li = h('li', {role: 'none'}, label);
    const toggle = async () => {
      select(label);
      const open = label.getAttribute('aria-expanded') === 'true';
      if (open) {
        label.setAttribute('aria-expanded', 'false');
        caret.textContent = '▸';
        li.querySelector(':scope > ul')?.remove();
        return;
      }
      label.setAttribute('aria-busy', 'true');
      try {
        const folder = await load(child.path);
        label.setAttribute('aria-expanded', 'true');
        caret.textContent = '▾';
        li.querySelector(':scope > ul')?.remove();
        li.append(list(folder));
        onOpen(child.path, folder);
      } catch (e) {
        onError(e);
      } finally {
        label.removeAttribute('aria-busy');
      }
    };
    label.addEventListener('click', toggle);
    label.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        toggle();
      } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        move(label, event.key === 'ArrowDown' ? 1 : -1);
      }
    });
    return li;
  }

  function select(label) {
    if (selected) selected.removeAttribute('aria-selected');
    selected = label;
    label.setAttribute('aria-selected', 'true');
  }

  function move(label, step) {
    const all = [...nav.querySelectorAll('[data-folder]')];
    const next = all[all.indexOf(label) + step];
    if (next) next.focus();
  }

  async function reload() {
    loaded.clear();
    fill(nav, h('p', {class: 'muted'}, 'Loading the namespace…'));
    try {
      const root = await load('');
      if (!root.children.length) {
        fill(nav, h('p', {class: 'muted'}, 'No tags you may read.'));
      } else {
        const tree = list(root);
        tree.setAttribute('role', 'tree');
        tree.setAttribute('aria-label', 'Namespace');
        fill(nav, tree);
      }
      return root;
    } catch (e) {
      fill(nav, h('p', {class: 'error'}, 'The namespace cannot be read: ' + e));
      onError(e);
      return null;
    }
  }

  return {reload};
}
