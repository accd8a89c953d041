// After a cold load of /console/#/overview: waits (one check per animation frame) until the overview
// shows its KPIs as numbers, then answers the paint entries and that moment, in ms since navigation.
const done = arguments[arguments.length - 1];
const started = performance.now();
function check() {
  const active = document.querySelector('[data-kpi="active"]');
  if (active && /^\d+$/.test(active.textContent.trim())) {
    const paint = {};
    for (const e of performance.getEntriesByType('paint')) paint[e.name] = e.startTime;
    const nav = performance.getEntriesByType('navigation')[0] || {};
    done({fp: paint['first-paint'] ?? -1, fcp: paint['first-contentful-paint'] ?? -1, kpis: performance.now(),
      dcl: nav.domContentLoadedEventEnd ?? -1, load: nav.loadEventEnd ?? -1});
  } else if (performance.now() - started > 15000) {
    done({error: 'the overview showed no KPI within 15 s: ' + (document.querySelector('#kpis')?.textContent || 'no #kpis')});
  } else {
    requestAnimationFrame(check);
  }
}
check();
