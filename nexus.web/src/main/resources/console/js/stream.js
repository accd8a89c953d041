// One WebSocket stream for the whole console (docs/streams.md): opened with a single-use ticket
// (POST /api/v1/stream/tickets; a browser cannot send the token on a WebSocket), subscriptions
// re-sent after every reconnect, reconnects with exponential backoff and jitter (1 s doubling to
// 30 s), and a state every page can show: 'connecting', 'up', 'down'. While it is down, values on
// screen are stale: pages mark them (the 'stale' class on <body>).

import {api} from './api.js';

const MAX_BACKOFF_MS = 30000;
/**
 * The node sends something at least every 15 s (a heartbeat when nothing else); silence for this
 * long means the connection is dead even if the socket does not know it yet (a frozen node, a
 * dropped network path): it is closed and opened again, and values are marked stale meanwhile.
 */
const SILENCE_MS = 35000;

class Stream {
  constructor() {
    this.ws = null;
    this.state = 'down';
    this.subs = new Map();      // request id → {message, handler, sub}
    this.orphans = new Set();   // request ids unsubscribed before the node answered them
    this.bySub = new Map();     // subscription id (s1, ...) → request id
    this.nextId = 1;
    this.backoff = 1000;
    this.timer = null;
    this.listeners = new Set();
    this.wanted = false;
    this.heard = 0;
    this.watchdog = null;
  }

  /** Calls fn(state, detail) on every change of state; returns a function that stops it. */
  onState(fn) {
    this.listeners.add(fn);
    fn(this.state, '');
    return () => this.listeners.delete(fn);
  }

  setState(state, detail = '') {
    this.state = state;
    document.body.classList.toggle('stale', state !== 'up');
    for (const fn of this.listeners) fn(state, detail);
  }

  /** Opens the stream (and keeps it open) until stop(). */
  start() {
    if (this.wanted) return;
    this.wanted = true;
    this.connect();
  }

  stop() {
    this.wanted = false;
    this.backoff = 1000;
    clearTimeout(this.timer);
    clearInterval(this.watchdog);
    this.watchdog = null;
    if (this.ws) this.ws.close(1000, 'logout');
    this.ws = null;
    this.subs.clear();
    this.bySub.clear();
    this.setState('down', 'closed');
  }

  async connect() {
    if (!this.wanted) return;
    this.setState('connecting');
    let ticket;
    try {
      ticket = (await api('POST', '/api/v1/stream/tickets')).ticket;
    } catch (e) {
      this.retry(`no stream ticket: ${e}`);
      return;
    }
    if (!this.wanted || this.ws) return; // logged out (or connected) while the ticket was on its way
    const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host
      + '/api/v1/stream?ticket=' + encodeURIComponent(ticket);
    const ws = new WebSocket(url);
    this.ws = ws;
    ws.onopen = () => {
      this.backoff = 1000;
      this.heard = Date.now();
      clearInterval(this.watchdog);
      this.watchdog = setInterval(() => {
        if (this.ws === ws && Date.now() - this.heard > SILENCE_MS) {
          this.ws = null;
          ws.close(4000, 'silent');
          this.retry(`nothing heard from the node for ${SILENCE_MS / 1000} s`);
        }
      }, 5000);
      this.bySub.clear();
      this.orphans.clear();
      this.setState('up');
      for (const [id, s] of this.subs) {
        s.sub = null;
        this.send(s.resume ? {...s.message, id, resume: s.resume()} : {...s.message, id});
      }
    };
    ws.onmessage = (event) => {
      this.heard = Date.now();
      this.receive(event.data);
    };
    ws.onclose = (event) => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.retry(event.reason ? `closed (${event.code}): ${event.reason}` : `closed (${event.code})`);
    };
  }

  retry(why) {
    this.setState('down', why);
    if (!this.wanted) return;
    const wait = Math.min(MAX_BACKOFF_MS, this.backoff) * (0.75 + Math.random() / 2);
    this.backoff = Math.min(MAX_BACKOFF_MS, this.backoff * 2);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.connect(), wait);
  }

  send(message) {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(message));
  }

  /**
   * Subscribes (docs/streams.md "subscribe"); the message is sent again after every reconnect.
   * handler(message) gets every message of the subscription, and errors answering it.
   * `resume`, if given, returns the resume object to send on a reconnect (alarm feeds).
   * @returns a function that unsubscribes
   */
  subscribe(message, handler, resume) {
    const id = 'c' + this.nextId++;
    this.subs.set(id, {message: {...message, type: 'subscribe'}, handler, sub: null, resume});
    this.send({...message, type: 'subscribe', id});
    return () => {
      const s = this.subs.get(id);
      this.subs.delete(id);
      if (s && s.sub) {
        this.bySub.delete(s.sub);
        this.send({type: 'unsubscribe', id: 'u' + this.nextId++, subscription: s.sub});
      } else if (s) {
        this.orphans.add(id); // the answer is still on its way: unsubscribe when it comes
      }
    };
  }

  receive(text) {
    let message;
    try { message = JSON.parse(text); } catch (e) { return; }
    if (message.id && this.orphans.has(message.id)) {
      this.orphans.delete(message.id);
      if (message.subscription) this.send({type: 'unsubscribe', id: 'u' + this.nextId++, subscription: message.subscription});
      return;
    }
    if (message.id && this.subs.has(message.id) && message.subscription) {
      const s = this.subs.get(message.id);
      s.sub = message.subscription;
      this.bySub.set(message.subscription, message.id);
    }
    const id = message.subscription ? this.bySub.get(message.subscription) : message.id;
    const s = id ? this.subs.get(id) : null;
    if (s) s.handler(message);
  }
}

/** How the pages follow live values: sampled every 100 ms, at most 10 data messages a second (10 Hz). */
export const LIVE_VALUES = {samplingMs: 100, maxRate: 10};

/** The console's one stream. */
export const stream = new Stream();
