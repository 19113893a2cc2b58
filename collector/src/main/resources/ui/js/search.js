// Search over calls (TDRs) or raw messages. Everything the user chose — tier, time range, quick
// search, filters, sort, columns, page cursor — lives in the URL, so a link opens the same search
// for another user. A failed or timed-out search shows an error, never an empty table.

import { api, query, callPath, ApiError } from './api.js';
import { navigate, showError } from './app.js';
import { esc, utc, utcMicros, ms, num, money, flag, statusChip, statusClass } from './format.js';

const RELATIVE = ['15m', '1h', '6h', '24h', '7d', '30d'];

/** Filters per tier: URL/API parameter, label, input type. */
const FILTERS = [
  ['status', 'Status', 'text', 'calls'], ['method', 'Method', 'text'], ['code', 'Response code', 'number'],
  ['caller', 'Caller', 'text'], ['callee', 'Callee', 'text'], ['ip', 'IP', 'text'], ['node', 'Node', 'text'],
  ['capture_id', 'Capture id', 'number'], ['domain', 'Domain', 'text'], ['ua', 'User agent', 'text'],
  ['mos_below', 'MOS below', 'number', 'calls'], ['cost_above', 'Cost above', 'number', 'calls'],
  ['protocol', 'Protocol', 'select', 'messages'], ['fraud', 'Fraud alert', 'checkbox', 'calls'],
];
const PROTOCOLS = ['', 'sip', 'rtcp', 'log', 'dns', 'other'];

const cc = c => (c ? `${flag(c)} ` : '');
const callLink = (id, text = id) => (id ? `<a href="/calls/${callPath(id)}" data-link>${esc(text)}</a>` : '');
const addr = a => (a && a.ip ? `${esc(a.ip)}${a.port ? ':' + esc(a.port) : ''}` : '');

/** Columns per tier: key (also the sort field), header, cell(hit) → HTML, numeric? */
export const COLUMNS = {
  calls: [
    ['start', 'Start (UTC)', h => esc(utc(h.start))],
    ['call_id', 'Call-ID', h => callLink(h.call_id)],
    ['status', 'Status', h => statusChip(h.status, h.final_code)],
    ['final_reason', 'Reason', h => esc(h.final_reason)],
    ['caller', 'Caller', h => cc(h.caller_country) + esc(h.caller)],
    ['callee', 'Callee', h => cc(h.callee_country) + esc(h.callee)],
    ['src_ip', 'Source IP', h => esc(h.src_ip)],
    ['dst_ip', 'Destination IP', h => esc(h.dst_ip)],
    ['duration_ms', 'Duration', h => esc(ms(h.duration_ms)), true],
    ['pdd_ms', 'PDD', h => esc(ms(h.pdd_ms)), true],
    ['mos', 'MOS', h => esc(num(h.mos, 2)), true],
    ['cost', 'Cost', h => esc(money(h.cost, h.currency)), true],
    ['node', 'Node', h => esc(h.node)],
    ['user_agent', 'User agent', h => esc(h.user_agent)],
    ['alerts', 'Alerts', h => (h.alerts ? `<span class="status st-bad">${esc(h.alerts)}</span>` : ''), true],
    ['legs', 'Legs', h => esc(h.legs), true],
  ],
  messages: [
    ['time', 'Time (UTC)', h => esc(utcMicros(h.time))],
    ['protocol', 'Protocol', h => esc(h.protocol)],
    ['src', 'Source', h => cc(h.country_src) + addr(h.src)],
    ['dst', 'Destination', h => cc(h.country_dst) + addr(h.dst)],
    ['method', 'Method', h => esc(h.method)],
    ['code', 'Code', h => (h.code ? `<span class="status ${statusClass(null, h.code)}">${esc(h.code)}</span>` : '')],
    ['summary', 'Summary', h => `<span title="${esc(h.summary)}">${esc(h.summary)}</span>`],
    ['call_id', 'Call-ID', h => callLink(h.call_id)],
    ['node', 'Node', h => esc(h.node)],
    ['capture_id', 'Capture id', h => esc(h.capture_id), true],
  ],
};
/** The API's sort name of a column (GET /api/v1/search/*?sort=name:asc|desc), absent when it cannot sort. */
const SORT_KEYS = {
  calls: { start: 'start', call_id: 'call_id', status: 'status', caller: 'caller', callee: 'callee', src_ip: 'src_ip',
    dst_ip: 'dst_ip', duration_ms: 'duration_ms', pdd_ms: 'pdd_ms', mos: 'mos', cost: 'cost', node: 'node', user_agent: 'user_agent' },
  messages: { time: 'time', protocol: 'protocol', src: 'src_ip', dst: 'dst_ip', method: 'method', code: 'code',
    call_id: 'call_id', node: 'node', capture_id: 'capture_id' },
};
const DEFAULT_COLUMNS = {
  calls: ['start', 'call_id', 'status', 'caller', 'callee', 'src_ip', 'duration_ms', 'pdd_ms', 'mos', 'cost', 'alerts'],
  messages: ['time', 'protocol', 'src', 'dst', 'method', 'code', 'summary', 'call_id'],
};

/** The search state from the URL. */
export function stateFrom(params) {
  const tier = params.get('tier') === 'messages' ? 'messages' : 'calls';
  const known = COLUMNS[tier].map(c => c[0]);
  const cols = (params.get('cols') || '').split(',').filter(c => known.includes(c));
  return {
    tier,
    from: params.get('from') || 'now-1h',
    to: params.get('to') || 'now',
    q: params.get('q') || '',
    sort: params.get('sort') || '',
    after: params.get('after') || '',
    page: Number(params.get('page') || 1),
    cols: cols.length ? cols : DEFAULT_COLUMNS[tier],
    filters: Object.fromEntries(FILTERS.map(f => [f[0], params.get(f[0]) || ''])),
  };
}

/** The URL of a state (only non-default values, so links stay short). */
export function urlOf(s) {
  const p = { tier: s.tier, from: s.from, to: s.to, q: s.q, sort: s.sort };
  for (const [k, v] of Object.entries(s.filters)) p[k] = v;
  const defaults = DEFAULT_COLUMNS[s.tier].join(',');
  if (s.cols.join(',') !== defaults) p.cols = s.cols.join(',');
  if (s.after) { p.after = s.after; p.page = s.page; }
  return '/search' + query(p);
}

function applies(f, tier) { return !f[3] || f[3] === tier; }

/** The API query of a state (filters that apply to the tier only). */
function apiParams(s) {
  const p = { from: s.from, to: s.to, q: s.q, sort: s.sort, after: s.after, size: 50 };
  for (const f of FILTERS) if (applies(f, s.tier)) p[f[0]] = s.filters[f[0]];
  return p;
}

/** "now-1h" etc. as a Date (approximately, for showing) or an absolute value parsed. */
function resolve(v) {
  const m = /^now(?:-(\d+)([smhdw]))?$/.exec(v);
  if (m) {
    const unit = { s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7, w: 6.048e8 }[m[2]] || 0;
    return new Date(Date.now() - (m[1] ? Number(m[1]) * unit : 0));
  }
  if (/^\d+$/.test(v)) return new Date(Number(v));
  return new Date(v);
}

function rangeText(s) {
  const f = resolve(s.from), t = resolve(s.to);
  if (Number.isNaN(f.getTime()) || Number.isNaN(t.getTime())) return '';
  const rel = /^now/.test(s.from) ? ` (${s.from} … ${s.to})` : '';
  return `${utc(f.toISOString())} – ${utc(t.toISOString())}${rel} · your time: ${f.toLocaleString()} – ${t.toLocaleString()}`;
}

/** datetime-local value (UTC) of an absolute time value, '' for relative ones. */
function inputValue(v) {
  if (/^now/.test(v)) return '';
  const d = resolve(v);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString().slice(0, 19);
}

function relativeChoice(s) {
  const m = /^now-(\d+[mhd])$/.exec(s.from);
  return m && s.to === 'now' && RELATIVE.includes(m[1]) ? m[1] : 'abs';
}

function filterInput(f, s) {
  const [key, label, type] = f;
  const v = s.filters[key];
  if (type === 'select') {
    return `<label>${label}<select name="${key}">${PROTOCOLS.map(p => `<option value="${p}" ${p === v ? 'selected' : ''}>${p || 'any'}</option>`).join('')}</select></label>`;
  }
  if (type === 'checkbox') {
    return `<label>${label}<select name="${key}"><option value="">any</option><option value="true" ${v === 'true' ? 'selected' : ''}>has a fraud alert</option></select></label>`;
  }
  return `<label>${label}<input type="${type === 'number' ? 'text' : 'text'}" name="${key}" value="${esc(v)}" ${type === 'number' ? 'inputmode="decimal"' : ''}></label>`;
}

function form(s) {
  const rel = relativeChoice(s);
  return `
  <form id="search-form" class="panel" autocomplete="off">
    <div class="row">
      <div class="seg" id="tier">${['calls', 'messages'].map(t => `<button type="button" data-tier="${t}" class="${t === s.tier ? 'on' : ''}">${t === 'calls' ? 'Calls' : 'Messages'}</button>`).join('')}</div>
      <label class="grow">Quick search (Call-ID, number or SIP user, IP, text)
        <input type="search" name="q" id="q" value="${esc(s.q)}" placeholder="e.g. +4930901820, 10.0.0.1, abc123@host"></label>
      <label>Time range<select name="range" id="range">
        ${RELATIVE.map(r => `<option value="${r}" ${r === rel ? 'selected' : ''}>last ${r}</option>`).join('')}
        <option value="abs" ${rel === 'abs' ? 'selected' : ''}>absolute (UTC)…</option></select></label>
      <label class="abs">From (UTC)<input type="datetime-local" step="1" name="from" value="${esc(inputValue(s.from))}"></label>
      <label class="abs">To (UTC)<input type="datetime-local" step="1" name="to" value="${esc(inputValue(s.to))}"></label>
      <button type="submit" class="primary" id="search-go">Search</button>
    </div>
    <p class="times" id="range-text">${esc(rangeText(s))}</p>
    <details ${FILTERS.some(f => s.filters[f[0]]) ? 'open' : ''}><summary>Filters</summary>
      <div class="filters">${FILTERS.filter(f => applies(f, s.tier)).map(f => filterInput(f, s)).join('')}</div>
    </details>
    <details><summary>Columns</summary><div class="columns" id="columns">${COLUMNS[s.tier].map(c =>
      `<label><input type="checkbox" value="${c[0]}" ${s.cols.includes(c[0]) ? 'checked' : ''}>${esc(c[1])}</label>`).join('')}</div></details>
  </form>
  <div class="resultbar"><span id="result-count" class="muted"></span><span id="result-kind" class="muted"></span><span class="grow"></span><span id="pager"></span></div>
  <div id="results"><p class="muted">Searching…</p></div>`;
}

function sortHeader(c, s) {
  const key = SORT_KEYS[s.tier][c[0]];
  if (!key) return `<th>${esc(c[1])}</th>`;
  const [field, dir] = (s.sort || (s.tier === 'calls' ? 'start:desc' : 'time:desc')).split(':');
  const on = field === key;
  const next = on && dir === 'desc' ? 'asc' : 'desc';
  return `<th class="sortable" data-sort="${key}:${next}" title="sort by ${esc(c[1])}">${esc(c[1])}${on ? ` <span class="dir">${dir === 'asc' ? '▲' : '▼'}</span>` : ''}</th>`;
}

function table(s, data) {
  const cols = COLUMNS[s.tier].filter(c => s.cols.includes(c[0]));
  if (!data.hits || data.hits.length === 0) return '<p class="muted" id="no-results">No matches in this time range.</p>';
  return `<div class="tablewrap"><table class="data" id="result-table" data-tier="${s.tier}"><thead><tr>${cols.map(c => sortHeader(c, s)).join('')}</tr></thead><tbody>${
    data.hits.map(h => `<tr>${cols.map(c => `<td class="${c[3] ? 'num' : ''}" data-col="${c[0]}">${c[2](h)}</td>`).join('')}</tr>`).join('')}</tbody></table></div>`;
}

/** Reads the form into a new state (page cursor reset). */
function stateOfForm(formEl, s) {
  const fd = new FormData(formEl);
  const n = { ...s, q: String(fd.get('q') || '').trim(), after: '', page: 1, filters: { ...s.filters } };
  const range = fd.get('range');
  if (range === 'abs') {
    const f = fd.get('from'), t = fd.get('to');
    n.from = f ? new Date(f + 'Z').toISOString() : s.from;
    n.to = t ? new Date(t + 'Z').toISOString() : 'now';
  } else {
    n.from = 'now-' + range;
    n.to = 'now';
  }
  for (const f of FILTERS) if (applies(f, s.tier)) n.filters[f[0]] = String(fd.get(f[0]) || '').trim();
  return n;
}

export function render(root, { params }) {
  const s = stateFrom(params);
  root.innerHTML = `<h1>Search ${s.tier}</h1>` + form(s);
  const formEl = root.querySelector('#search-form');
  const absFields = () => {
    const abs = formEl.range.value === 'abs';
    formEl.querySelectorAll('.abs').forEach(l => { l.hidden = !abs; });
  };
  absFields();
  formEl.range.addEventListener('change', absFields);
  formEl.addEventListener('submit', e => { e.preventDefault(); navigate(urlOf(stateOfForm(formEl, s))); });
  root.querySelector('#tier').addEventListener('click', e => {
    const b = e.target.closest('button[data-tier]');
    if (b && b.dataset.tier !== s.tier) {
      navigate(urlOf({ ...stateOfForm(formEl, s), tier: b.dataset.tier, sort: '', cols: DEFAULT_COLUMNS[b.dataset.tier] }));
    }
  });
  root.querySelector('#columns').addEventListener('change', () => {
    const cols = [...root.querySelectorAll('#columns input:checked')].map(i => i.value);
    navigate(urlOf({ ...s, cols: cols.length ? cols : DEFAULT_COLUMNS[s.tier] }), { replace: true });
  });
  root.querySelector('#results').addEventListener('click', e => {
    const th = e.target.closest('th[data-sort]');
    if (th) navigate(urlOf({ ...s, sort: th.dataset.sort, after: '', page: 1 }));
  });

  const ctl = new AbortController();
  const results = root.querySelector('#results');
  api(`/api/v1/search/${s.tier}` + query(apiParams(s)), { signal: ctl.signal }).then(data => {
    if (ctl.signal.aborted) return; // an answer that came after the page moved on: the result line is the new search's
    if (data.timed_out) throw new ApiError(504, 'Elasticsearch timed out', true);
    const count = root.querySelector('#result-count');
    count.textContent = `${data.total_relation === 'gte' ? '≥ ' : ''}${data.total} ${s.tier} · ${data.took_ms} ms`;
    count.dataset.total = String(data.total);
    root.querySelector('#result-kind').textContent = data.q_kind && s.q ? `“${s.q}” searched as ${data.q_kind.replace('_', '-')}` : '';
    results.innerHTML = table(s, data);
    const pager = [];
    if (s.after) pager.push(`<a href="${esc(urlOf({ ...s, after: '', page: 1 }))}" data-link>first page</a>`);
    pager.push(`page ${s.page}`);
    if (data.next) pager.push(`<a id="next-page" href="${esc(urlOf({ ...s, after: data.next, page: s.page + 1 }))}" data-link>next page ›</a>`);
    root.querySelector('#pager').innerHTML = pager.join(' · ');
  }, e => {
    if (ctl.signal.aborted) return;
    const what = e instanceof ApiError && e.timedOut ? 'The search timed out' : 'The search failed';
    results.innerHTML = `<div class="error" id="search-error" role="alert">${esc(what)}: ${esc(e.message)}. No results are shown because the answer is incomplete; narrow the time range or try again.</div>`;
    showError('The search', e);
  });
  return () => ctl.abort();
}
