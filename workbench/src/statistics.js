// Numbers as staff read them (zh-CN): counts with separators, rates as 百分比 with one decimal.
const COUNT = new Intl.NumberFormat('zh-CN');
const PERCENT = new Intl.NumberFormat('zh-CN', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
const DAYS = new Intl.NumberFormat('zh-CN', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

export const NONE = '—';

export function count(value) {
  return value === null || value === undefined ? NONE : COUNT.format(value);
}

/** A rate of 0–1 from the API; null (nothing to compare) shows as a dash. */
export function percent(value) {
  return value === null || value === undefined ? NONE : PERCENT.format(value);
}

export function days(value) {
  return value === null || value === undefined ? NONE : DAYS.format(value);
}

/** "2026-03" → "3月", with the year where it changes (or on the first month). */
export function monthLabels(months) {
  return months.map((month, index) => {
    const [year, number] = month.split('-');
    const label = `${Number(number)}月`;
    return index === 0 || number === '01' ? `${year}年${label}` : label;
  });
}

/** Nothing at all happened in the period: the screen says so instead of drawing zeros. */
export function isEmpty(figures) {
  // The period's own figures: 当前超期 is as of today whatever the period, and shown beside them.
  return !figures || figures.received + figures.accepted + figures.finished + figures.ratings === 0;
}

/** The current year in Beijing time, as the API's default period. */
export function thisYear(now = new Date()) {
  const year = new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(now);
  return [`${year}-01-01`, `${year}-12-31`];
}
