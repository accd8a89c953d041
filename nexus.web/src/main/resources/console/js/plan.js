// The read plan of a query (POST /api/v1/explain) drawn as a picture: each bank a bar scaled to its
// size, the merged blocks read marked on it, and under it the blocks enlarged side by side (each
// rect.block as wide as its bytes, a break between two for the bytes not read), with the gaps read
// inside blocks (rect.gap) — bytes no tag of the query needs, read because merging over them costs
// less than another read.
//
// The plan says which blocks are read; which of their bytes the tags need is not in it, so the
// tags' layout (bank, byte offset, length) is read from the tags view for the ids the query
// answers. "read R bytes for N needed": R is the plan's bytes, N the bytes the tags occupy (BOOLs
// sharing a byte count it once). Everything is made with createElementNS and textContent.

import {api} from './api.js';
import {h} from './dom.js';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 960;
const LABEL = 14;
const BAR = 14;
const ZOOM = 26;
const BANK_GAP = 22;
const SKIP = 10;

/**
 * Asks the node for the plan and what is needed to draw it.
 * @param sql     the query
 * @param ids     the tag ids the query answers (from running it), for the layout; may be empty
 * @returns {plan, sizes: Map bank id → bytes, needed: Map bank id → [[from, to)] merged ranges}
 */
export async function explain(sql, ids) {
  const [plan, banks, layout] = await Promise.all([
    api('POST', '/api/v1/explain', {sql}),
    api('POST', '/api/v1/query', {sql: 'SELECT id, size FROM banks'}),
    layoutOf(ids),
  ]);
  const sizes = new Map(banks.rows.map((row) => [row.id, row.size]));
  const byBank = new Map();
  for (const row of layout) {
    if (!byBank.has(row.bank_id)) byBank.set(row.bank_id, []);
    byBank.get(row.bank_id).push([row.byte_offset, row.byte_offset + Math.max(1, row.length)]);
  }
  const needed = new Map([...byBank].map(([bank, ranges]) => [bank, union(ranges)]));
  return {plan, sizes, needed};
}

/** Ids asked per request: 1,000 placeholders keep a body near 7 KB, far below the API's body limit. */
const IDS_PER_REQUEST = 1000;

/** @returns the rows {bank_id, byte_offset, length} of these tags, asked in chunks */
async function layoutOf(ids) {
  const rows = [];
  for (let i = 0; i < ids.length; i += IDS_PER_REQUEST) {
    const chunk = ids.slice(i, i + IDS_PER_REQUEST);
    const answer = await api('POST', '/api/v1/query', {
      sql: 'SELECT bank_id, byte_offset, length FROM tags WHERE id IN (' + chunk.map(() => '?').join(',') + ')',
      params: chunk, limit: chunk.length});
    rows.push(...answer.rows);
  }
  return rows;
}

/** Overlapping or touching byte ranges merged, in order. */
export function union(ranges) {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out = [];
  for (const [from, to] of sorted) {
    const last = out[out.length - 1];
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else out.push([from, to]);
  }
  return out;
}

/** The parts of [from, to) no needed range covers: the gaps a block reads. */
export function gaps(from, to, needed) {
  const out = [];
  let at = from;
  for (const [a, b] of needed) {
    if (b <= at || a >= to) continue;
    if (a > at) out.push([at, a]);
    at = Math.max(at, b);
  }
  if (at < to) out.push([at, to]);
  return out;
}

/** Bytes of the needed ranges inside the plan's blocks (what the tags occupy). */
function neededBytes(plan, needed) {
  let total = 0;
  for (const bank of plan.banks) {
    for (const [a, b] of needed.get(bank.bank) || []) total += b - a;
  }
  return total;
}

/**
 * The picture and its sentence, for #plan.
 * @param explained what explain() answered
 * @returns nodes: the summary, p#plan-bytes and the <svg>
 */
export function drawPlan({plan, sizes, needed}) {
  const read = plan.banks.reduce((sum, bank) => sum + bank.blocks.reduce((s, b) => s + b.length, 0), 0);
  const blocks = plan.banks.reduce((sum, bank) => sum + bank.blocks.length, 0);
  const need = neededBytes(plan, needed);
  const summary = h('p', {class: 'plan-summary muted'},
    `${plan.tags} tags, ${blocks} ${blocks === 1 ? 'block' : 'blocks'} in ${plan.banks.length} ${plan.banks.length === 1 ? 'bank' : 'banks'}`
    + ` (merge gap ${plan.maxGap} bytes, block ${plan.maxBlock} bytes, registry version ${plan.registryVersion})`);
  const sentence = h('p', {id: 'plan-bytes'}, `read ${read} bytes for ${need} needed`);
  if (!plan.banks.length) {
    return [summary, sentence, h('p', {class: 'muted'}, 'Nothing is read from RMA: the query answers no tag ids (aggregates and banks are metadata).')];
  }
  const largest = Math.max(1, ...plan.banks.map((bank) => bankSize(bank, sizes)));
  const rowHeight = LABEL + BAR + ZOOM + BANK_GAP + LABEL;
  const svg = el('svg', {viewBox: `0 0 ${WIDTH} ${plan.banks.length * rowHeight}`, width: '100%', role: 'img',
    'aria-label': `Read plan: ${blocks} blocks, read ${read} bytes for ${need} needed`, class: 'plan'});
  plan.banks.forEach((bank, i) => svg.append(drawBank(bank, sizes, needed.get(bank.bank) || [], largest, i * rowHeight)));
  return [summary, sentence, svg];
}

function bankSize(bank, sizes) {
  const end = bank.blocks.reduce((max, b) => Math.max(max, b.offset + b.length), 0);
  return Math.max(sizes.get(bank.bank) || 0, end);
}

function drawBank(bank, sizes, needed, largest, top) {
  const size = bankSize(bank, sizes);
  const barWidth = Math.max(40, WIDTH * size / largest);
  const scale = barWidth / size;
  const read = bank.blocks.reduce((s, b) => s + b.length, 0);
  const g = el('g', {class: 'bank', 'data-bank': bank.name, transform: `translate(0 ${top})`});
  g.append(text(0, LABEL - 3, `bank ${bank.name} (${bank.bank})${bank.source ? ' — ' + bank.source : ''}: ${size} bytes,`
    + ` ${bank.blocks.length} ${bank.blocks.length === 1 ? 'block' : 'blocks'}, ${read} bytes read`, 'label'));
  g.append(titled(el('rect', {class: 'bank-bar', x: 0, y: LABEL, width: barWidth, height: BAR}), `bank ${bank.name}: ${size} bytes`));
  for (const b of bank.blocks) {
    g.append(titled(el('rect', {class: 'block-mark', x: b.offset * scale, y: LABEL, width: Math.max(2, b.length * scale), height: BAR}),
      `bytes ${b.offset}..${b.offset + b.length}`));
  }
  // The blocks enlarged, side by side: each as wide as its bytes, the bytes between two blocks (not
  // read) shown as a narrow break labelled with their number; inside a block, its gaps read.
  const y = LABEL + BAR + 8;
  const skips = bank.blocks.length - 1;
  const k = (WIDTH - skips * SKIP) / Math.max(1, read);
  let x = 0;
  bank.blocks.forEach((b, i) => {
    if (i > 0) {
      const before = bank.blocks[i - 1];
      const skipped = b.offset - (before.offset + before.length);
      g.append(titled(el('path', {class: 'skip', d: `M${x + 2} ${y + ZOOM} L${x + SKIP / 2} ${y} L${x + SKIP - 2} ${y + ZOOM}`}),
        `${skipped} bytes not read`));
      x += SKIP;
    }
    const blockGaps = gaps(b.offset, b.offset + b.length, needed);
    const gapBytes = blockGaps.reduce((sum, [from, to]) => sum + to - from, 0);
    g.append(titled(el('rect', {class: 'block', x, y, width: Math.max(1, b.length * k), height: ZOOM,
      'data-offset': b.offset, 'data-length': b.length}),
    `block: bytes ${b.offset}..${b.offset + b.length}, ${b.length} bytes, ${b.tags} tags, ${gapBytes} bytes of gaps read`));
    for (const [from, to] of blockGaps) {
      g.append(titled(el('rect', {class: 'gap', x: x + (from - b.offset) * k, y: y + ZOOM / 4,
        width: Math.max(1, (to - from) * k), height: ZOOM / 2}),
      `gap read: bytes ${from}..${to}, ${to - from} bytes no tag of the query needs`));
    }
    x += Math.max(1, b.length * k);
  });
  const first = bank.blocks[0];
  const last = bank.blocks[bank.blocks.length - 1];
  if (first) {
    g.append(text(0, y + ZOOM + LABEL, `byte ${first.offset}`, 'axis'));
    g.append(text(WIDTH, y + ZOOM + LABEL, `byte ${last.offset + last.length} — blocks enlarged, breaks are bytes not read`, 'axis end'));
  }
  return g;
}

function el(name, attrs) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  return node;
}

function text(x, y, content, cls) {
  const node = el('text', {x, y, class: cls});
  node.textContent = content;
  return node;
}

function titled(node, content) {
  const title = el('title', {});
  title.textContent = content;
  node.append(title);
  return node;
}
