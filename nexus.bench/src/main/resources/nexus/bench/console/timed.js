// Times one action in the page: arguments[0] names it, arguments[1] is its argument. Clicks or
// submits, then checks once per animation frame until the answer is on screen, and answers the time
// (ms) with what the DOM holds: rows drawn (tr in the table) and rows the page says it has.
const [action, arg, done] = [arguments[0], arguments[1], arguments[arguments.length - 1]];
const q = (s) => document.querySelector(s);
let t0 = performance.now();
let ready;
if (action === 'folder') {
  // The tree may still be loading (a page just opened): the clock starts at the click.
  const waitForLabel = () => {
    const label = q(`[data-folder="${CSS.escape(arg)}"]`);
    if (!label) {
      if (performance.now() - t0 > 15000) done({error: 'no folder ' + arg + ' in nav#tree within 15 s'});
      else requestAnimationFrame(waitForLabel);
      return;
    }
    t0 = performance.now();
    label.click();
    const row = () => q('#tag-table tr[data-tag]');
    ready = () => label.getAttribute('aria-expanded') === 'true' && q('h2.open-folder').textContent === arg
      && (/No tags directly/.test(q('#tag-count').textContent) || (row() && row().dataset.tag.startsWith(arg + '/')));
    check();
  };
  waitForLabel();
} else if (action === 'search') {
  const input = q('#tag-search');
  // The count is written when the answer is shown, even with the same words as before (a folder's).
  let counted = false;
  const observer = new MutationObserver(() => { counted = true; });
  observer.observe(q('#tag-count'), {childList: true, characterData: true, subtree: true});
  input.value = arg;
  input.form.requestSubmit();
  ready = () => counted && /\d+ tags/.test(q('#tag-count').textContent) && q('#tag-table tr[data-tag]')
    && q('#tag-table tr[data-tag]').dataset.tag.startsWith(arg.replace(/\*.*$/, '')) && (observer.disconnect(), true);
} else if (action === 'query') {
  const waitForEditor = () => {  // the page module may still be loading
    if (!q('#sql') || !q('#run')) {
      if (performance.now() - t0 > 15000) done({error: 'no textarea#sql within 15 s'});
      else requestAnimationFrame(waitForEditor);
      return;
    }
    t0 = performance.now();
    q('#sql').value = arg;
    q('#run').click();
    ready = () => /^\d+ rows/.test(q('#result-count').textContent) && q('#results tr[data-row]');
    check();
  };
  waitForEditor();
}
function check() {
  if (ready()) {
    const ms = performance.now() - t0;
    requestAnimationFrame(() => {
      const drawn = document.querySelectorAll(action === 'query' ? '#results tr[data-row]' : '#tag-table tr[data-tag]').length;
      const said = (action === 'query' ? q('#result-count') : q('#tag-count')).textContent;
      done({ms, drawn, said});
    });
  } else if (performance.now() - t0 > 30000) {
    done({error: action + ' ' + arg + ' showed nothing within 30 s'});
  } else {
    requestAnimationFrame(check);
  }
}
if (ready) check();
