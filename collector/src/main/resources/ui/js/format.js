// Formatting helpers shared by the pages: escaping, times (UTC with microseconds and browser
// time), durations, flags and status colours.

const ESC = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe to put into HTML or SVG markup. */
export function esc(v) {
  return v === undefined || v === null ? '' : String(v).replace(/[&<>"']/g, c => ESC[c]);
}

/** The time of day with microseconds from an ISO-8601 string, e.g. "10:00:00.123456" (UTC). */
export function clockMicros(iso) {
  if (!iso) return '';
  const m = /T(\d\d:\d\d:\d\d)(?:\.(\d+))?/.exec(iso);
  if (!m) return iso;
  return m[1] + '.' + (m[2] || '').padEnd(6, '0').slice(0, 6);
}

/** Microseconds since the epoch from an ISO-8601 string (keeps the µs digits Date drops). */
export function epochMicros(iso) {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return NaN;
  const m = /\.(\d+)/.exec(iso);
  const frac = m ? Number((m[1] + '000000').slice(3, 6)) : 0;
  return ms * 1000 + frac;
}

/** "2026-01-01 10:00:00.123 UTC". */
export function utc(iso) {
  if (!iso) return '';
  return String(iso).replace('T', ' ').replace(/(\.\d{3})\d*/, '$1').replace('Z', ' UTC');
}

/** "2026-01-01 10:00:00.123456 UTC": every microsecond digit the API sends. */
export function utcMicros(iso) {
  if (!iso) return '';
  return String(iso).replace('T', ' ').replace('Z', ' UTC');
}

/** The browser's local time of an ISO instant. */
export function local(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleString();
}

/** A delta in microseconds as "+1.234 ms" / "+2.5 s". */
export function delta(us) {
  if (us === undefined || us === null) return '';
  if (us < 1000) return `+${us} µs`;
  if (us < 1e6) return `+${(us / 1000).toFixed(3)} ms`;
  return `+${(us / 1e6).toFixed(3)} s`;
}

/** Milliseconds as "850 ms" / "12.3 s" / "4m 05s". */
export function ms(v) {
  if (v === undefined || v === null || v === '') return '';
  const n = Number(v);
  if (n < 1000) return `${n} ms`;
  if (n < 60000) return `${(n / 1000).toFixed(1)} s`;
  const s = Math.round(n / 1000);
  return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
}

/** A number with up to `d` decimals, or '' for none. */
export function num(v, d = 2) {
  if (v === undefined || v === null || v === '' || Number.isNaN(Number(v))) return '';
  return Number(v).toFixed(d).replace(/\.?0+$/, m => (m.startsWith('.') ? '' : m));
}

/** An amount with 4 decimals and its currency, "0.0243 USD"; '' when there is none. */
export function money(v, currency) {
  if (v === undefined || v === null || v === '' || Number.isNaN(Number(v))) return '';
  return `${Number(v).toFixed(4)}${currency ? ' ' + currency : ''}`;
}

/** A 0..1 ratio as a percentage, "85.7 %". */
export function pct(v) {
  if (v === undefined || v === null) return '–';
  return (Number(v) * 100).toFixed(1) + ' %';
}

/** The flag of an ISO 3166 alpha-2 country code as regional-indicator emoji (no image). */
export function flag(cc) {
  if (!cc || !/^[A-Za-z]{2}$/.test(cc)) return '';
  const up = cc.toUpperCase();
  return String.fromCodePoint(0x1f1e6 + up.charCodeAt(0) - 65, 0x1f1e6 + up.charCodeAt(1) - 65);
}

/** A CSS class for a call status or response code. */
export function statusClass(status, code) {
  const c = Number(code);
  if (c >= 200 && c < 300) return 'st-ok';
  if (c >= 400) return c === 486 || c === 487 || c === 480 ? 'st-warn' : 'st-bad';
  const s = String(status || '').toUpperCase();
  if (/FINISHED|ANSWERED|COMPLETED|OK/.test(s)) return 'st-ok';
  if (/BUSY|CANCEL|NO_ANSWER|NOANSWER/.test(s)) return 'st-warn';
  if (/FAIL|ERROR|REJECT|TIMEOUT/.test(s)) return 'st-bad';
  return 'st-info';
}

/** A status chip. */
export function statusChip(status, code) {
  const text = [status, code].filter(x => x !== undefined && x !== null && x !== '').join(' ');
  return `<span class="status ${statusClass(status, code)}">${esc(text || '–')}</span>`;
}
