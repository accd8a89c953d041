// The alarm list as the stream keeps it (docs/streams.md "alarms and alarm"): the "alarms" message
// gives the list, then each "alarm" message one event, applied here to the alarm it names. Plain
// data, no DOM, so it can be read (and tried) on its own. The node decides every state: this only
// mirrors what an event says, using the alarm's own event counter (`sequence`) to skip an event that
// the list or an action's answer already contained.

export const STATES = ['UNACK_ALARM', 'ACKED_ALARM', 'RTN_UNACK', 'NORMAL', 'SHELVED', 'SUPPRESSED', 'OUT_OF_SERVICE'];
export const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'];
const RANK = {CRITICAL: 0, HIGH: 1, MEDIUM: 2, LOW: 3};

/** States an operator must look at: in alarm, or returned but waiting for an acknowledgement. */
export function abnormal(state) {
  return state === 'UNACK_ALARM' || state === 'ACKED_ALARM' || state === 'RTN_UNACK';
}

/** Waiting for an acknowledgement (ISA-18.2 B and D). */
export function unacknowledged(state) {
  return state === 'UNACK_ALARM' || state === 'RTN_UNACK';
}

/**
 * The filter as the stream takes it ({states, severities, prefix}; empty means all), and whether an
 * alarm matches it — the rule of nexus.alarm.AlarmFilter, needed to drop an alarm an event moved out.
 */
export function matches(filter, alarm) {
  return (!filter.states || filter.states.length === 0 || filter.states.includes(alarm.state))
    && (!filter.severities || filter.severities.length === 0 || filter.severities.includes(alarm.severity))
    && (!filter.prefix || alarm.name.startsWith(filter.prefix) || (alarm.tag || '').startsWith(filter.prefix));
}

/** Priority first (CRITICAL before LOW), then the newest occurrence first, then by name. */
export function compare(a, b) {
  const rank = (RANK[a.severity] ?? 9) - (RANK[b.severity] ?? 9);
  if (rank !== 0) return rank;
  const ta = a.activatedAt ? Date.parse(a.activatedAt) : 0;
  const tb = b.activatedAt ? Date.parse(b.activatedAt) : 0;
  if (ta !== tb) return tb - ta;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** The flags an ISA-18.2 state implies where it implies them (docs/alarms.md "Flags and states"). */
function flagsOf(alarm) {
  switch (alarm.state) {
    case 'UNACK_ALARM': alarm.acked = false; break;
    case 'ACKED_ALARM': alarm.acked = true; break;
    case 'RTN_UNACK': Object.assign(alarm, {acked: false, active: false, latched: false}); break;
    case 'NORMAL': Object.assign(alarm, {acked: true, active: false, latched: false, shelved: false}); break;
    default: break;
  }
}

export class AlarmList {
  constructor(filter) {
    this.filter = filter;
    this.byName = new Map();
    this.run = null;       // the node's alarm feed, for a resume
    this.sequence = 0;     // the last feed position seen
    this.sorted = null;    // cached order, null when something changed
  }

  /** The "alarms" message: a new list (or, when `resumed`, the old one goes on). */
  reset(message) {
    this.run = message.run;
    this.sequence = message.sequence;
    if (message.resumed) return;
    this.byName.clear();
    for (const alarm of message.alarms || []) this.byName.set(alarm.name, alarm);
    this.sorted = null;
  }

  /**
   * One "alarm" message. Returns the alarm's name when the node should be asked for the whole alarm
   * (one the list does not have yet, or a shelve, whose end the event does not carry), else null.
   */
  apply(message) {
    if (message.run === this.run && message.sequence <= this.sequence) return null;
    this.run = message.run;
    this.sequence = message.sequence;
    const e = message.event;
    let alarm = this.byName.get(e.alarm);
    let incomplete = false;
    if (!alarm) {
      alarm = {name: e.alarm, tag: e.tag, severity: e.severity, state: e.before, sequence: 0, quality: 'GOOD', unknown: []};
      incomplete = true;
    } else if (e.sequence <= alarm.sequence) {
      return null;
    }
    alarm = {...alarm, state: e.after, severity: e.severity, sequence: e.sequence};
    if ('value' in e) alarm.value = e.value;
    const time = message.time;
    switch (e.event) {
      case 'ACTIVATED': Object.assign(alarm, {active: true, activatedAt: time, clearedAt: null, ackedAt: null, ackUser: null, ackComment: null}); break;
      case 'CLEARED': Object.assign(alarm, {active: false, clearedAt: time, latched: abnormal(e.after) && e.after !== 'RTN_UNACK'}); break;
      case 'ACKNOWLEDGED': Object.assign(alarm, {ackedAt: time, ackUser: e.user ?? null, ackComment: e.comment ?? null, timeToAckMs: e.timeToAckMs ?? null}); break;
      case 'RESET': Object.assign(alarm, {latched: false, active: false}); break;
      case 'SHELVED': Object.assign(alarm, {shelved: true, shelveUser: e.user ?? null, shelveReason: e.comment ?? null, shelvedUntil: null}); incomplete = true; break;
      case 'UNSHELVED': Object.assign(alarm, {shelved: false, shelvedUntil: null}); break;
      case 'SUPPRESSED': alarm.suppressed = true; break;
      case 'UNSUPPRESSED': alarm.suppressed = false; break;
      case 'REMOVED_FROM_SERVICE': Object.assign(alarm, {outOfService: true, active: false, latched: false, shelved: false}); break;
      case 'RETURNED_TO_SERVICE': alarm.outOfService = false; break;
      case 'DISABLED': Object.assign(alarm, {enabled: false, active: false, latched: false, shelved: false}); break;
      case 'ENABLED': alarm.enabled = true; break;
      case 'QUALITY_CHANGED': {
        const comment = e.comment || '';
        const colon = comment.indexOf(':');
        alarm.quality = colon < 0 ? comment : comment.slice(0, colon);
        alarm.qualityDetail = colon < 0 ? null : comment.slice(colon + 1).trim();
        break;
      }
      default: break;
    }
    flagsOf(alarm);
    this.put(alarm);
    return incomplete && this.byName.has(alarm.name) ? alarm.name : null;
  }

  /** An alarm as the node answered it (an action, or GET one): kept unless the list already has a later one. */
  update(alarm) {
    const known = this.byName.get(alarm.name);
    if (known && known.sequence > alarm.sequence) return;
    this.put(alarm);
  }

  put(alarm) {
    if (matches(this.filter, alarm)) this.byName.set(alarm.name, alarm);
    else this.byName.delete(alarm.name);
    this.sorted = null;
  }

  get(name) {
    return this.byName.get(name);
  }

  get size() {
    return this.byName.size;
  }

  /** The alarms in priority order (cached until the next change). */
  rows() {
    if (!this.sorted) this.sorted = [...this.byName.values()].sort(compare);
    return this.sorted;
  }
}
