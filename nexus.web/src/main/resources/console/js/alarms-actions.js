// The operator's alarm actions as the console offers them: POST /api/v1/alarms/{name}:{action}
// (docs/alarms.md "Operator actions"; wire names ack, shelve, unshelve, reset), each enabled only
// when the user's roles grant its permission and the alarm's state allows it. The node decides all
// the same: its refusal, in its words with its code, is what the operator reads.

import {api, ApiError} from './api.js';
import {h} from './dom.js';
import {unacknowledged} from './alarms-model.js';

/** Each action the page offers: its wire name, the permission it needs, the label, when it applies. */
export const ACTIONS = [
  {action: 'ack', permission: 'acknowledge', label: 'Ack',
    applies: (a) => unacknowledged(a.state), why: 'only an unacknowledged alarm (UNACK_ALARM or RTN_UNACK) can be acknowledged'},
  {action: 'shelve', permission: 'shelve', label: 'Shelve',
    applies: (a) => a.state !== 'SHELVED' && a.state !== 'OUT_OF_SERVICE', why: 'a shelved or out-of-service alarm cannot be shelved'},
  {action: 'unshelve', permission: 'shelve', label: 'Unshelve',
    applies: (a) => a.state === 'SHELVED', why: 'only a shelved alarm can be unshelved'},
  {action: 'reset', permission: 'acknowledge', label: 'Reset',
    applies: (a) => a.state === 'ACKED_ALARM' && a.latched === true && a.active === false,
    why: 'only a latched alarm whose condition has cleared, acknowledged, can be reset'},
];

/**
 * Whether the user may take this action on this alarm now, and if not, why in words.
 * @returns {ok: boolean, why: string}
 */
export function allowed(ctx, spec, alarm) {
  if (!ctx.may(spec.permission)) {
    return {ok: false, why: `your roles (${(ctx.me.roles || []).join(', ')}) do not grant the permission '${spec.permission}'`};
  }
  if (!spec.applies(alarm)) return {ok: false, why: `${alarm.state}: ${spec.why}`};
  return {ok: true, why: ''};
}

/** The URL of an alarm action: the name's segments percent-encoded, its slashes kept, then :action. */
export function actionUrl(name, action) {
  return '/api/v1/alarms/' + name.split('/').map(encodeURIComponent).join('/') + ':' + action;
}

/**
 * Takes one action. Resolves to the alarm as the node answered it.
 * @throws ApiError the node's refusal
 */
export function act(name, action, body = {}) {
  return api('POST', actionUrl(name, action), body);
}

// Requests in flight for one bulk action: a browser opens at most 6 connections to a host, and the
// node commits actions that arrive together with one fsync, so a few in parallel go much faster.
const PARALLEL = 5;

/**
 * Takes one action on several alarms, a few at a time (there is no bulk route: each action is its own
 * audited decision), and tells what happened to each. onDone(alarm) follows each success.
 * @returns {done: [alarm], refused: [{name, error}]}
 */
export async function actOnMany(names, action, body, onDone) {
  const done = [];
  const refused = [];
  const queue = [...names];
  const worker = async () => {
    while (queue.length) {
      const name = queue.shift();
      try {
        const alarm = await act(name, action, body);
        done.push(alarm);
        if (onDone) onDone(alarm);
      } catch (error) {
        refused.push({name, error});
      }
    }
  };
  await Promise.all(Array.from({length: Math.min(PARALLEL, names.length)}, worker));
  return {done, refused};
}

/** A refusal in one line: the node's words and its code (or what went wrong on the way). */
export function refusal(error) {
  return error instanceof ApiError ? error.toString() : String(error && error.message || error);
}

/**
 * The shelve dialog (#shelve-dialog): minutes (or one-shot) and a comment, the alarm's maximum said
 * beside it. onOk(names, {minutes, oneShot, comment}) gets the numbers as typed; the node checks them.
 * @returns {el, open(alarms), close()}
 */
export function shelveDialog(onOk) {
  const minutes = h('input', {id: 'shelve-minutes', type: 'number', min: '0', step: 'any', required: true, value: '30'});
  const comment = h('input', {id: 'shelve-comment', type: 'text', maxlength: '500', placeholder: 'why (optional)'});
  const oneShot = h('input', {id: 'shelve-oneshot', type: 'checkbox',
    onchange: () => { minutes.disabled = oneShot.checked; }});
  const title = h('h2', {});
  const limit = h('p', {class: 'muted'});
  let target = [];
  const close = () => { el.hidden = true; };
  const el = h('div', {id: 'shelve-dialog', class: 'dialog', hidden: true, role: 'dialog', 'aria-modal': 'true',
    'aria-labelledby': 'shelve-title', onkeydown: (e) => { if (e.key === 'Escape') close(); },
    onclick: (e) => { if (e.target === el) close(); }},
  h('form', {onsubmit: (e) => {
    e.preventDefault();
    close();
    onOk(target, {minutes: Number(minutes.value), oneShot: oneShot.checked, comment: comment.value.trim()});
  }},
  title,
  limit,
  h('label', {for: 'shelve-minutes'}, 'Shelve for (minutes)'), minutes,
  h('label', {class: 'check'}, oneShot, ' One-shot: until the condition clears (in alarm only; at most the maximum)'),
  h('label', {for: 'shelve-comment'}, 'Comment'), comment,
  h('div', {class: 'buttons'},
    h('button', {type: 'submit', id: 'shelve-ok'}, 'Shelve'),
    h('button', {type: 'button', id: 'shelve-cancel', onclick: close}, 'Cancel'))));
  title.id = 'shelve-title';
  return {
    el,
    close,
    open(alarms) {
      target = alarms.map((a) => a.name);
      title.textContent = alarms.length === 1 ? 'Shelve ' + alarms[0].name : `Shelve ${alarms.length} alarms`;
      const max = Math.min(...alarms.map((a) => a.maxShelveSeconds ?? Infinity));
      limit.textContent = Number.isFinite(max) && max > 0
        ? `At most ${formatMinutes(max)}. A shelved alarm is not annunciated; when the time is up it returns unacknowledged if still in alarm.`
        : 'A shelved alarm is not annunciated; when the time is up it returns unacknowledged if still in alarm.';
      if (Number.isFinite(max) && max > 0 && Number(minutes.value) * 60 > max) minutes.value = String(Math.floor(max / 60) || max / 60);
      comment.value = '';
      oneShot.checked = false;
      minutes.disabled = false;
      el.hidden = false;
      minutes.focus();
      minutes.select();
    },
  };
}

function formatMinutes(seconds) {
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}
