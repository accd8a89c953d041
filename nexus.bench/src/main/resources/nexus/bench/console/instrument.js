// Injected by ConsoleLoad before any script of the page (CDP Page.addScriptToEvaluateOnNewDocument,
// which the page's CSP does not govern): counts the stream's messages as they arrive, collects long
// tasks from the start, and puts the benchmark's token where the console keeps it (sessionStorage),
// so a cold page opens without the login form. Nothing of the console is changed.
(() => {
  const bench = window.__bench = {
    messages: 0, data: 0, items: 0, // every message, 'data' messages, items in them
    watched: null,                  // paths whose items are counted in watchedItems (rows in the DOM)
    watchedItems: 0,
    pendingSince: null,             // arrival of the oldest watched item not painted yet
    longTasks: [],
    parseMs: 0, parseMax: 0,        // JSON.parse of the data messages
  };
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (event) => {
        bench.messages++;
        if (typeof event.data !== 'string' || !event.data.includes('"data"')) return;
        let msg;
        const parsing = performance.now();
        try { msg = JSON.parse(event.data); } catch { return; }
        const parsed = performance.now() - parsing;  // what the page's own JSON.parse of it costs too
        bench.parseMs += parsed;
        bench.parseMax = Math.max(bench.parseMax, parsed);
        if (msg.type !== 'data') return;
        bench.data++;
        const items = msg.items || [];
        bench.items += items.length;
        if (!bench.watched) return;
        for (const item of items) {
          if (!bench.watched.has(item.path)) continue;
          bench.watchedItems++;
          if (bench.pendingSince === null) bench.pendingSince = performance.now();
        }
      });
    }
  };
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) bench.longTasks.push({start: e.startTime, duration: e.duration});
    }).observe({type: 'longtask', buffered: true});
  } catch (e) {
    bench.longTaskError = String(e);
  }
  const token = __TOKEN__;
  if (token) sessionStorage.setItem('rma-nexus.token', token);
})();
