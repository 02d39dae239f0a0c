/**
 * Presentation helpers: times in Asia/Shanghai (+08:00), rating labels, file sizes.
 */
const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000;

function pad(n) {
  return n < 10 ? `0${n}` : String(n);
}

function shanghaiParts(value) {
  if (!value) return null;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return null;
  const s = new Date(d.getTime() + SHANGHAI_OFFSET_MS);
  return {
    date: `${s.getUTCFullYear()}-${pad(s.getUTCMonth() + 1)}-${pad(s.getUTCDate())}`,
    time: `${pad(s.getUTCHours())}:${pad(s.getUTCMinutes())}`,
  };
}

/** "2026-05-15 09:40" (Asia/Shanghai) from any ISO 8601 string; the input when unparsable. */
function formatDateTime(value) {
  const p = shanghaiParts(value);
  return p ? `${p.date} ${p.time}` : value || '';
}

function formatDate(value) {
  if (/^\d{4}-\d{2}-\d{2}$/.test(String(value || ''))) return value;
  const p = shanghaiParts(value);
  return p ? p.date : value || '';
}

/** Form value of a date-time field from the date and time pickers. */
function toOffsetDateTime(date, time) {
  if (!date) return undefined;
  return `${date}T${time || '00:00'}:00+08:00`;
}

/** Date and time picker values of a date-time field value, shown in +08:00. */
function splitDateTime(value) {
  if (!value) return { date: '', time: '' };
  if (/\+08:00$/.test(value)) return { date: value.slice(0, 10), time: value.slice(11, 16) };
  const p = shanghaiParts(value);
  return p || { date: '', time: '' };
}

const RATINGS = [
  { value: 5, label: '非常满意' },
  { value: 4, label: '满意' },
  { value: 3, label: '基本满意' },
  { value: 2, label: '不满意' },
  { value: 1, label: '非常不满意' },
];

function ratingLabel(value) {
  const r = RATINGS.find((x) => x.value === Number(value));
  return r ? r.label : '';
}

function fileSize(bytes) {
  const n = Number(bytes);
  if (!n && n !== 0) return '';
  if (n < 1024) return `${n}B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)}KB`;
  return `${(n / 1024 / 1024).toFixed(1)}MB`;
}

/** Items of a list response: `{items, next_cursor}` (the contract) or a bare array. */
function pageOf(res) {
  if (Array.isArray(res)) return { items: res, next_cursor: null };
  return { items: (res && res.items) || [], next_cursor: (res && res.next_cursor) || null };
}

module.exports = {
  formatDateTime, formatDate, toOffsetDateTime, splitDateTime, RATINGS, ratingLabel, fileSize, pageOf,
};
