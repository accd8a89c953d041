// Alarms: the live alarm list (docs/streams.md "alarms and alarm"). ONE stream subscription with the
// filter; the node sends the list, then one event per transition or action, applied to the list
// (alarms-model.js) — no polling. A reconnect resumes from the last feed position (run, sequence), so
// nothing is missed while the stream was down. A filter change subscribes again with the new filter.
// Sorted by priority, then the newest occurrence; only the rows in view are in the DOM (vtable.js).

import {api} from './api.js';
import {h, fill, formatValue, formatTime, qualityMark} from './dom.js';
import {stream} from './stream.js';
import {virtualTable} from './vtable.js';
import {AlarmList, STATES, SEVERITIES, abnormal, unacknowledged} from './alarms-model.js';
import {ACTIONS, allowed, actOnMany, refusal, shelveDialog} from './alarms-actions.js';

const ABNORMAL = 'abnormal'; // the default view: every state but NORMAL
const PREFIX_WAIT_MS = 300;
const WORDS = {ack: ['Acknowledged', 'Acknowledging'], shelve: ['Shelved', 'Shelving'], unshelve: ['Unshelved', 'Unshelving'],
  reset: ['Reset', 'Resetting']};

export function mount(container, ctx) {
  const selected = new Set();
  let list = null;
  let unsubscribe = null;
  let subscribed = '';     // the filter followed now, as JSON
  let frame = 0;
  let prefixTimer = 0;
  const fetching = new Set();

  const stateFilter = h('select', {id: 'alarm-state', onchange: subscribe},
    h('option', {value: ABNORMAL}, 'Not NORMAL (in alarm, unacknowledged, shelved, suppressed, out of service)'),
    h('option', {value: ''}, 'Any state'),
    STATES.map((s) => h('option', {value: s}, s)));
  const severityFilter = h('select', {id: 'alarm-severity', onchange: subscribe},
    h('option', {value: ''}, 'Any severity'),
    SEVERITIES.map((s) => h('option', {value: s}, s)));
  const prefixFilter = h('input', {id: 'alarm-prefix', type: 'search', placeholder: 'site1/area2/', size: '28',
    'aria-label': 'Alarm name or tag path prefix',
    oninput: () => { clearTimeout(prefixTimer); prefixTimer = setTimeout(subscribe, PREFIX_WAIT_MS); },
    onchange: () => { clearTimeout(prefixTimer); subscribe(); }});
  const count = h('span', {id: 'alarm-count', class: 'muted', role: 'status'}, 'Waiting for the alarm list…');
  const selectAll = h('input', {type: 'checkbox', id: 'select-all', 'aria-label': 'Select every alarm shown',
    onchange: () => {
      selected.clear();
      if (selectAll.checked && list) for (const a of list.rows()) selected.add(a.name);
      for (const box of container.querySelectorAll('input.select')) box.checked = selected.has(box.closest('tr').dataset.alarm);
      changed();
    }});
  const ackComment = h('input', {id: 'ack-comment', type: 'text', maxlength: '500', size: '24',
    placeholder: 'comment (optional)', 'aria-label': 'Comment for acknowledgements and resets'});
  const ackSelected = h('button', {type: 'button', id: 'ack-selected', onclick: ackSelection}, 'Acknowledge selected');
  const shelveSelected = h('button', {type: 'button', id: 'shelve-selected',
    onclick: () => dialog.open(chosen('shelve'))}, 'Shelve selected…');
  const message = h('div', {id: 'alarm-message', class: 'message', role: 'status', 'aria-live': 'polite'});
  const dialog = shelveDialog((names, {minutes, oneShot, comment: why}) =>
    run(names, 'shelve', {...(oneShot ? {oneShot: true} : {minutes}), ...(why ? {comment: why} : {})}));

  const columns = [
    {key: 'select', label: '', cls: 'select', width: '2.2em'},
    {key: 'severity', label: 'Priority', cls: 'severity', width: '7.5em'},
    {key: 'state', label: 'State', cls: 'state', width: '11.5em'},
    {key: 'name', label: 'Alarm', cls: 'name', width: '30%'},
    {key: 'message', label: 'Message', cls: 'message', width: '15%'},
    {key: 'value', label: 'Value', cls: 'num value', width: '6em'},
    {key: 'time', label: 'Activated', cls: 'time', width: '9.5em'},
    {key: 'quality', label: 'Quality', cls: 'quality', width: '7em'},
    {key: 'actions', label: 'Actions', cls: 'actions', width: '19em'},
  ];
  const table = virtualTable(columns, cell, {id: 'alarm-table', height: tableHeight(), keyed: true,
    rowAttrs: (a) => ({'data-alarm': a.name, 'data-state': a.state,
      class: [unacknowledged(a.state) ? 'unack' : '', abnormal(a.state) ? 'abnormal sev-row-' + a.severity : ''].join(' ').trim() || null})});

  const permissions = ACTIONS.filter((s) => !ctx.may(s.permission)).map((s) => s.permission);
  const note = permissions.length === 0 ? null : h('p', {id: 'alarm-note', class: 'muted'},
    `Your roles (${(ctx.me.roles || []).join(', ')}) do not grant ${[...new Set(permissions)].map((p) => `'${p}'`).join(' or ')}:`
    + ' their buttons are disabled. The node decides every action and says why when it refuses one.');

  fill(container, h('section', {id: 'alarms'},
    h('div', {class: 'filters'},
      h('label', {for: 'alarm-state'}, 'State'), stateFilter,
      h('label', {for: 'alarm-severity'}, 'Priority'), severityFilter,
      h('label', {for: 'alarm-prefix'}, 'Prefix'), prefixFilter,
      count),
    h('div', {class: 'bulk'},
      selectAll, h('label', {for: 'select-all'}, 'All shown'),
      ackComment, ackSelected, shelveSelected),
    message, note, table.el, dialog.el));

  subscribe();

  /** The filter as chosen, in the stream's terms. */
  function filter() {
    const state = stateFilter.value;
    return {
      states: state === ABNORMAL ? STATES.filter((s) => s !== 'NORMAL') : state ? [state] : [],
      severities: severityFilter.value ? [severityFilter.value] : [],
      prefix: prefixFilter.value.trim(),
    };
  }

  function subscribe() {
    const f = filter();
    const key = JSON.stringify(f);
    if (unsubscribe && key === subscribed) return; // e.g. the prefix field's change event after its input events
    subscribed = key;
    if (unsubscribe) unsubscribe();
    const current = new AlarmList(f);
    list = null;
    selected.clear();
    selectAll.checked = false;
    count.textContent = 'Waiting for the alarm list…';
    table.setRows([]);
    const request = {states: f.states, severities: f.severities};
    if (f.prefix) request.prefix = f.prefix;
    unsubscribe = stream.subscribe({alarms: request}, (m) => receive(current, m),
      () => (current.run ? {run: current.run, sequence: current.sequence} : undefined));
  }

  function receive(current, m) {
    if (m.type === 'alarms') {
      current.reset(m);
      list = current;
      if (m.gap) say(`The list was taken again: ${m.gap}.`);
    } else if (m.type === 'alarm') {
      if (!list) return;
      const missing = current.apply(m);
      if (missing) fetchOne(missing);
    } else if (m.type === 'error') {
      say(`The alarm list cannot be followed: ${m.message} (${m.code})`, true);
      count.textContent = 'No list: see the message above.';
      return;
    } else {
      return;
    }
    changed();
  }

  // The whole alarm, for one the list learnt of from an event (the event does not carry its definition).
  async function fetchOne(name) {
    if (fetching.has(name)) return;
    fetching.add(name);
    const current = list;
    try {
      const alarm = await api('GET', '/api/v1/alarms/' + name.split('/').map(encodeURIComponent).join('/'));
      if (current === list) { current.update(alarm); changed(); }
    } catch (e) {
      // Gone or out of scope meanwhile: the next event says what became of it; nothing to show.
    } finally {
      fetching.delete(name);
    }
  }

  /** Redraws once per frame however many events arrived. */
  function changed() {
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      if (!list) return;
      const rows = list.rows();
      for (const name of selected) if (!list.get(name)) selected.delete(name);
      table.setRows(rows);
      const unack = rows.filter((a) => unacknowledged(a.state)).length;
      count.textContent = `${rows.length} alarm${rows.length === 1 ? '' : 's'}, ${unack} unacknowledged`
        + (selected.size ? `, ${selected.size} selected` : '');
      ackSelected.disabled = !ctx.may('acknowledge');
      shelveSelected.disabled = !ctx.may('shelve');
    });
  }

  function cell(a, column) {
    switch (column.key) {
      case 'select':
        return h('input', {type: 'checkbox', class: 'select', checked: selected.has(a.name), 'aria-label': 'Select ' + a.name,
          onchange: (e) => { if (e.target.checked) selected.add(a.name); else selected.delete(a.name); changed(); }});
      case 'severity':
        return h('span', {class: abnormal(a.state) ? 'sev-' + a.severity : null}, a.severity);
      case 'state':
        return h('span', {title: stateTitle(a)}, a.state);
      case 'name':
        return h('span', {title: a.tag ? `${a.name}\ntag ${a.tag}` : a.name}, a.name);
      case 'message':
        return h('span', {title: a.message || ''}, a.message || '');
      case 'value':
        return formatValue(a.value);
      case 'time':
        return (a.unknown || []).includes('activatedAt') ? h('span', {class: 'muted', title: 'unknown (lost in a restart)'}, 'unknown')
          : h('span', {title: a.activatedAt || ''}, formatTime(a.activatedAt));
      case 'quality': {
        const q = qualityMark(a.quality);
        return h('span', {class: q.cls || null, title: a.qualityDetail || ''}, q.text);
      }
      case 'actions':
        return ACTIONS.map((spec) => {
          const may = allowed(ctx, spec, a);
          return h('button', {type: 'button', class: spec.action, disabled: !may.ok, title: may.ok ? null : may.why,
            onclick: () => (spec.action === 'shelve' ? dialog.open([a]) : run([a.name], spec.action, comment(spec.action)))},
          spec.label);
        });
      default:
        return '';
    }
  }

  function stateTitle(a) {
    const parts = [];
    if (a.latched) parts.push('latched: reset it once acknowledged');
    if (a.shelved && a.shelvedUntil) parts.push(`shelved until ${formatTime(a.shelvedUntil)}` + (a.shelveUser ? ` by ${a.shelveUser}` : ''));
    if (a.ackUser) parts.push(`acknowledged by ${a.ackUser}` + (a.ackComment ? `: ${a.ackComment}` : ''));
    return parts.join('; ');
  }

  function comment(action) {
    const text = ackComment.value.trim();
    return (action === 'ack' || action === 'reset') && text ? {comment: text} : {};
  }

  /** The selected alarms the action applies to (the others are left out, and said so). */
  function chosen(action) {
    const spec = ACTIONS.find((s) => s.action === action);
    const alarms = [...selected].map((n) => list && list.get(n)).filter(Boolean);
    const fit = alarms.filter((a) => spec.applies(a));
    if (alarms.length === 0) say('Select alarms first (the boxes in the first column).', true);
    else if (fit.length === 0) say(`None of the ${alarms.length} selected alarms can be ${action === 'ack' ? 'acknowledged' : 'shelved'} now: ${spec.why}.`, true);
    return fit;
  }

  function ackSelection() {
    const alarms = chosen('ack');
    if (alarms.length) run(alarms.map((a) => a.name), 'ack', comment('ack'));
  }

  async function run(names, action, body) {
    if (names.length === 0) return;
    const [words, doing] = WORDS[action];
    say(`${doing} ${names.length === 1 ? names[0] : names.length + ' alarms'}…`);
    const current = list;
    let finished = 0;
    const {done, refused} = await actOnMany(names, action, body, (alarm) => {
      if (current === list) { current.update(alarm); changed(); }
      if (names.length > 1 && ++finished % 50 === 0) say(`${doing} ${names.length} alarms… ${finished} done`);
    });
    for (const a of done) selected.delete(a.name);
    const lines = [];
    if (done.length) lines.push(`${words} ${done.length === 1 ? done[0].name : done.length + ' alarms'}.`);
    for (const r of refused) lines.push(`Refused ${action} of ${r.name}: ${refusal(r.error)}`);
    say(lines, refused.length > 0);
    changed();
  }

  function say(lines, bad = false) {
    message.classList.toggle('refused', bad);
    fill(message, [].concat(lines).map((line) => h('div', {}, line)));
  }

  return () => {
    if (unsubscribe) unsubscribe();
    clearTimeout(prefixTimer);
    if (frame) cancelAnimationFrame(frame);
    list = null;
  };
}

function tableHeight() {
  return Math.max(240, window.innerHeight - 260);
}
