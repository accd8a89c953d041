// Overview: the node's health by component (GET /health), the alarm KPIs and the RMA banks
// (GET /api/v1/banks). These are figures, not events: the page asks again every 2 s while it is
// shown (one round at a time, never overlapping) rather than following a stream, and says when it
// last succeeded. An error is shown in words next to the last figures, which are then marked stale.

import {api, ApiError} from './api.js';
import {h, fill, formatTime} from './dom.js';
import {SEVERITIES} from './alarms-model.js';

const REFRESH_MS = 2000;

/**
 * The alarm KPIs: GET /api/v1/alarms/summary (permission read; docs/alarms.md "KPIs"). A node
 * without that route answers it 404 (it reads as an alarm named "summary"): then, and for the rest
 * of the page's life, the figures are the `data` of the `alarms` component of GET /health, which
 * only callers with the permission 'health' get. Fields read: active, unacknowledged, shelved (by
 * severity), flood, chattering (names), chatteringCount, activations10m (activationsLast10m in
 * /health), alarms, suppressed, outOfService. Once every node has the route, drop the fallback.
 * @param health the /health document fetched this round (for the fallback), or null
 * @returns the figures, or null when the caller is not shown them
 */
let summaryRoute = true;
async function summary(health, signal) {
  if (summaryRoute) {
    try {
      return await api('GET', '/api/v1/alarms/summary', undefined, {signal});
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 404)) throw e;
      summaryRoute = false;
    }
  }
  const alarms = health && health.components && health.components.alarms;
  return alarms && alarms.data ? {...alarms.data, activations10m: alarms.data.activationsLast10m} : null;
}

/** GET /health: its document also when the node answers 503 (a required component is DOWN). */
async function health(signal) {
  try {
    return await api('GET', '/health', undefined, {signal});
  } catch (e) {
    if (e instanceof ApiError && e.status === 503 && e.body && e.body.status) return e.body;
    throw e;
  }
}

export function mount(container, ctx) {
  const overall = h('span', {id: 'health-status'});
  const healthBody = h('tbody');
  const healthNote = h('p', {class: 'muted', id: 'health-note', hidden: true});
  const kpis = h('div', {id: 'kpis'});
  const banksBody = h('tbody');
  const banksNote = h('p', {class: 'muted', id: 'banks-note', hidden: true});
  const refreshed = h('span', {id: 'refreshed', class: 'muted'}, 'Loading…');
  const message = h('p', {id: 'overview-message', class: 'error', role: 'alert'});

  fill(container, h('section', {id: 'overview'},
    h('div', {class: 'heading'}, h('h1', {}, 'Node ', overall), refreshed),
    message,
    h('div', {class: 'columns'},
      h('div', {class: 'panel'},
        h('h2', {}, 'Alarms'), kpis),
      h('div', {class: 'panel'},
        h('h2', {}, 'RMA banks'),
        h('table', {id: 'banks'},
          h('thead', {}, h('tr', {}, h('th', {scope: 'col'}, 'Bank'), h('th', {scope: 'col', class: 'num'}, 'Size (bytes)'),
            h('th', {scope: 'col', class: 'num'}, 'Write sequence'), h('th', {scope: 'col'}, 'Last write'))),
          banksBody),
        banksNote)),
    h('div', {class: 'panel'},
      h('h2', {}, 'Health by component'),
      h('table', {id: 'health'},
        h('thead', {}, h('tr', {}, ['Component', 'Status', 'Detail'].map((t) => h('th', {scope: 'col'}, t)))),
        healthBody),
      healthNote)));

  let timer = 0;
  let stopped = false;
  let abort = null;

  async function round() {
    abort = new AbortController();
    const errors = [];
    const [doc, banks] = await Promise.all([
      health(abort.signal).catch((e) => { errors.push('Health: ' + e); return null; }),
      api('GET', '/api/v1/banks', undefined, {signal: abort.signal}).catch((e) => { errors.push('Banks: ' + e); return null; }),
    ]);
    if (stopped) return;
    const figures = await summary(doc, abort.signal).catch((e) => { errors.push('Alarm figures: ' + e); return undefined; });
    if (stopped) return;
    if (doc) showHealth(doc);
    if (figures !== undefined) showKpis(figures);
    if (banks) showBanks(banks);
    fill(message, errors.join(' · '));
    container.querySelector('#overview').classList.toggle('failing', errors.length > 0);
    if (errors.length === 0 || doc || banks) {
      refreshed.textContent = 'Refreshed ' + formatTime(new Date().toISOString()) + ' · every 2 s';
    }
    timer = setTimeout(round, REFRESH_MS);
  }

  function showHealth(doc) {
    fill(overall, h('span', {class: statusClass(doc.status)}, doc.status));
    const components = doc.components || {};
    healthBody.replaceChildren(...Object.keys(components).sort().map((name) => {
      const c = components[name];
      return h('tr', {'data-component': name},
        h('td', {class: 'name'}, name, c.required === false ? h('span', {class: 'muted'}, ' (optional)') : null),
        h('td', {class: 'status'}, h('span', {class: statusClass(c.status)}, c.status)),
        h('td', {class: 'detail', title: c.detail || ''}, c.detail || ''));
    }));
    const hidden = !doc.components;
    healthNote.hidden = !hidden;
    healthNote.textContent = hidden ? `The node tells the overall status only: the components need the permission 'health'`
      + ` (your roles: ${(ctx.me.roles || []).join(', ')}).` + (doc.reason ? ' ' + doc.reason : '') : '';
  }

  function showKpis(s) {
    if (!s) {
      fill(kpis, h('p', {class: 'muted'}, 'No alarm figures: ' + (ctx.may('health')
        ? 'the alarm manager is not running.' : "this node serves them in /health only, to the permission 'health'.")));
      return;
    }
    const total = (bySeverity) => SEVERITIES.reduce((sum, sev) => sum + ((bySeverity || {})[sev] || 0), 0);
    const active = total(s.active);
    const unack = total(s.unacknowledged);
    const chattering = s.chattering || [];
    fill(kpis,
      h('div', {class: 'tiles'},
        tile('Active', 'active', active, active > 0),
        tile('Unacknowledged', 'unacknowledged', unack, unack > 0),
        tile('Flood', 'flood', s.flood ? 'yes' : 'no', !!s.flood,
          `${s.activations10m ?? '—'} activations in 10 min`),
        tile('Chattering', 'chattering', s.chatteringCount ?? chattering.length, (s.chatteringCount || 0) > 0)),
      h('table', {class: 'by-severity'},
        h('thead', {}, h('tr', {}, h('th', {scope: 'col'}, 'Priority'), h('th', {scope: 'col', class: 'num'}, 'Active'),
          h('th', {scope: 'col', class: 'num'}, 'Unacknowledged'), h('th', {scope: 'col', class: 'num'}, 'Shelved'))),
        h('tbody', {}, SEVERITIES.map((sev) => {
          const a = (s.active || {})[sev] || 0;
          const u = (s.unacknowledged || {})[sev] || 0;
          return h('tr', {'data-severity': sev},
            h('td', {}, h('span', {class: a + u > 0 ? 'sev-' + sev : null}, sev)),
            h('td', {class: 'num', 'data-kpi': 'active-' + sev}, String(a)),
            h('td', {class: 'num' + (u > 0 ? ' unack-count' : ''), 'data-kpi': 'unacknowledged-' + sev}, String(u)),
            h('td', {class: 'num', 'data-kpi': 'shelved-' + sev}, String((s.shelved || {})[sev] || 0)));
        }))),
      chattering.length === 0 ? null : h('div', {class: 'chattering'},
        h('h3', {}, 'Chattering alarms'),
        h('ul', {id: 'chattering'}, chattering.map((name) => h('li', {}, name))),
        (s.chatteringCount || 0) > chattering.length ? h('p', {class: 'muted'}, `and ${s.chatteringCount - chattering.length} more`) : null),
      h('p', {class: 'muted'}, `${s.alarms ?? '—'} alarms defined`
        + (s.suppressed ? `, ${s.suppressed} suppressed` : '') + (s.outOfService ? `, ${s.outOfService} out of service` : '') + '.'));
  }

  function showBanks(doc) {
    const banks = doc.banks || [];
    banksBody.replaceChildren(...banks.map((b) => h('tr', {'data-bank': b.name},
      h('td', {class: 'name'}, b.name),
      h('td', {class: 'num size'}, b.size === undefined ? '—' : b.size.toLocaleString()),
      h('td', {class: 'num sequence'}, b.sequence === undefined ? '—' : String(b.sequence)),
      h('td', {class: 'written', title: b.lastWrite || ''}, b.lastWrite ? formatTime(b.lastWrite) : b.sequence === undefined ? '—' : 'never'))));
    const partial = banks.some((b) => b.sequence === undefined);
    banksNote.hidden = banks.length > 0 && !partial;
    banksNote.textContent = banks.length === 0 ? 'No banks you can see.'
      : partial ? 'Sizes, sequences and write times are shown to callers who read the whole namespace.' : '';
  }

  round();
  return () => {
    stopped = true;
    clearTimeout(timer);
    if (abort) abort.abort();
  };
}

function tile(label, key, value, abnormal, detail) {
  return h('div', {class: 'tile' + (abnormal ? ' abnormal' : '')},
    h('div', {class: 'label'}, label),
    h('div', {class: 'value', 'data-kpi': key}, String(value)),
    detail ? h('div', {class: 'muted'}, detail) : null);
}

function statusClass(status) {
  return status === 'UP' ? 'status-up' : status === 'DEGRADED' ? 'status-degraded' : 'status-down bad';
}
