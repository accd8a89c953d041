// Writing a tag: a dialog that shows the tag, its old value, the new value as it will be sent and
// the unit, and sends PUT /api/v1/tags/{path} {"value": …} only on confirm. The value is typed as
// the API takes it (a number for numeric types, true/false for BOOL, text for STRING); whether the
// write is allowed, in range and in scope is the node's decision, and its answer is shown as given.

import {api, tagUrl} from './api.js';
import {h, formatValue} from './dom.js';

const INTEGER = /^(U?INT(8|16|32|64))$/;

/**
 * Reads what the operator typed as a value of the tag's type.
 * @returns {value} or {error: words saying what to type}
 */
export function parseValue(type, text) {
  const raw = text.trim();
  if (type === 'STRING') return {value: text};
  if (type === 'BOOL') {
    const word = raw.toLowerCase();
    if (['true', '1', 'on'].includes(word)) return {value: true};
    if (['false', '0', 'off'].includes(word)) return {value: false};
    return {error: 'type true or false (or ON/OFF, 1/0)'};
  }
  if (raw === '' || !Number.isFinite(Number(raw))) return {error: `type a number (${type})`};
  const value = Number(raw);
  if (INTEGER.test(type) && !Number.isInteger(value)) return {error: `${type} takes a whole number`};
  return {value};
}

/**
 * Opens the dialog for a row {path, type, unit, value}.
 * @param onDone (message, isError) — the outcome in words, after the dialog closed
 * @returns a function that closes the dialog (on unmount)
 */
export function openWriteDialog(row, onDone) {
  document.getElementById('write-dialog')?.remove();
  const before = row.value;
  const input = h('input', {id: 'write-value', autocomplete: 'off', 'aria-describedby': 'write-new',
    value: row.type === 'BOOL' ? (before ? 'false' : 'true') : (before === null || before === undefined ? '' : String(before))});
  const preview = h('span', {id: 'write-new'});
  const confirm = h('button', {type: 'submit', id: 'write-confirm'}, 'Write');
  const cancel = h('button', {type: 'button', id: 'write-cancel', onclick: () => close()}, 'Cancel');

  const show = () => {
    const parsed = parseValue(row.type, input.value);
    preview.textContent = parsed.error ? '— ' + parsed.error : formatValue(parsed.value);
    preview.className = parsed.error ? 'error' : '';
    confirm.disabled = !!parsed.error;
    return parsed;
  };
  input.addEventListener('input', show);

  const form = h('form', {method: 'dialog', 'aria-labelledby': 'write-title', onsubmit: async (event) => {
    event.preventDefault();
    const parsed = show();
    if (parsed.error) return;
    confirm.disabled = true;
    try {
      const answer = await api('PUT', tagUrl(row.path), {value: parsed.value});
      close();
      onDone(`Wrote ${formatValue(answer && 'value' in answer ? answer.value : parsed.value)}${row.unit ? ' ' + row.unit : ''} to ${row.path}.`, false);
    } catch (e) {
      close();
      onDone(`Not written to ${row.path}: ${e}`, true);
    }
  }},
  h('h2', {id: 'write-title'}, 'Write a tag'),
  h('p', {class: 'path'}, row.path),
  h('dl', {},
    h('dt', {}, 'Type'), h('dd', {}, row.type || '?'),
    h('dt', {}, 'Old value'), h('dd', {id: 'write-old'}, formatValue(before)),
    h('dt', {}, h('label', {for: 'write-value'}, 'New value')), h('dd', {}, input),
    h('dt', {}, 'Will write'), h('dd', {}, preview),
    h('dt', {}, 'Unit'), h('dd', {id: 'write-unit'}, row.unit || '(none)')),
  h('div', {class: 'buttons'}, confirm, cancel));

  const dialog = h('div', {id: 'write-dialog', class: 'dialog', role: 'dialog', 'aria-modal': 'true'}, h('div', {}, form));
  const onKey = (event) => { if (event.key === 'Escape') close(); };
  document.addEventListener('keydown', onKey);
  function close() {
    document.removeEventListener('keydown', onKey);
    dialog.remove();
  }
  document.body.append(dialog);
  show();
  input.focus();
  input.select();
  return close;
}
