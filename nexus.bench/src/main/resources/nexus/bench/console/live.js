// Watches the Tags table for arguments[0] seconds: value cells repainted (a MutationObserver on
// td.value), the stream's data messages and items (counted by instrument.js), items for the rows in
// the DOM, the delay from such an item's arrival to the next repaint, frames drawn
// (requestAnimationFrame) and long tasks (> 50 ms).
const [seconds, done] = [arguments[0], arguments[arguments.length - 1]];
const bench = window.__bench;
const tbody = document.querySelector('#tag-table tbody');
const watched = new Set([...tbody.querySelectorAll('tr[data-tag]')].map((tr) => tr.dataset.tag));
let painted = 0;
const delays = [];
const observer = new MutationObserver((records) => {
  for (const r of records) {
    if (r.addedNodes.length && r.target.tagName === 'TD' && r.target.classList.contains('value')) painted++;
  }
  if (bench.pendingSince !== null) {
    delays.push(performance.now() - bench.pendingSince);
    bench.pendingSince = null;
  }
});
observer.observe(tbody, {childList: true, subtree: true});
bench.parseMs = 0;
bench.parseMax = 0;
const start = {t: performance.now(), data: bench.data, items: bench.items, messages: bench.messages, longTasks: bench.longTasks.length};
bench.watched = watched;
bench.watchedItems = 0;
bench.pendingSince = null;
let frames = 0;
let running = true;
const frame = () => { if (!running) return; frames++; requestAnimationFrame(frame); };
requestAnimationFrame(frame);
setTimeout(() => {
  running = false;
  observer.disconnect();
  bench.watched = null;
  const s = (performance.now() - start.t) / 1000;
  const tasks = bench.longTasks.slice(start.longTasks);
  delays.sort((a, b) => a - b);
  const pct = (p) => delays.length ? delays[Math.min(delays.length - 1, Math.floor(p * delays.length))] : -1;
  done({seconds: s, rows: watched.size, painted, watchedItems: bench.watchedItems,
    data: bench.data - start.data, items: bench.items - start.items, messages: bench.messages - start.messages,
    frames, longTasks: tasks.length, longTaskMs: tasks.reduce((a, t) => a + t.duration, 0),
    longTaskMax: tasks.reduce((a, t) => Math.max(a, t.duration), 0), longTaskError: bench.longTaskError || '',
    parseMs: bench.parseMs, parseMax: bench.parseMax, delayP50: pct(0.5), delayP99: pct(0.99), delayMax: delays.length ? delays[delays.length - 1] : -1});
}, seconds * 1000);
