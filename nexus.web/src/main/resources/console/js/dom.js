// DOM helpers. Every text that comes from the node (paths, names, messages, values) is set as text
// (textContent, attribute values), never parsed as HTML: a name like <script> shows as written.

/**
 * Makes an element: h('button', {class: 'x', onclick: f, 'data-id': 3}, 'text', child, ...).
 * Attributes starting with "on" are event listeners; null/undefined/false attributes are left out;
 * children are nodes or strings (strings become text nodes); arrays are flattened.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value);
    } else if (key === 'class') {
      el.className = value;
    } else if (value === true) {
      el.setAttribute(key, '');
    } else {
      el.setAttribute(key, String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces an element's children. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** A value as an operator reads it: numbers with up to 6 significant digits, booleans as ON/OFF. */
export function formatValue(value) {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'boolean') return value ? 'ON' : 'OFF';
  if (typeof value === 'number') {
    if (Number.isInteger(value)) return String(value);
    return Number(value.toPrecision(6)).toString();
  }
  return String(value);
}

/** An ISO-8601 time as local HH:MM:SS.mmm (the date when it is not today), or '—'. */
export function formatTime(iso) {
  if (!iso) return '—';
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return String(iso);
  const now = new Date();
  const time = t.toLocaleTimeString([], {hour12: false}) + '.' + String(t.getMilliseconds()).padStart(3, '0');
  return t.toDateString() === now.toDateString() ? time : t.toLocaleDateString() + ' ' + time;
}

/** A quality as a short mark and a class: GOOD is plain; anything else is marked (text, not colour alone). */
export function qualityMark(quality) {
  if (!quality || quality === 'GOOD') return {text: '', cls: ''};
  return {text: quality.replace(/^BAD_/, 'BAD ').replaceAll('_', ' '), cls: 'bad'};
}
