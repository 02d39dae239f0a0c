import { getJson, postJson, query } from './client';

const base = '/staff/follow-ups';

// 回访整改: the tasks bad ratings open for the caller's agency subtree.
export const followUps = {
  list: (filters) => getJson(`${base}${query(filters)}`),
  counts: () => getJson(`${base}/counts`),
  get: (id) => getJson(`${base}/${encodeURIComponent(id)}`),
  visit: (task, body) =>
    postJson(`${base}/${encodeURIComponent(task.id)}/visit`, body, { headers: { 'If-Match': `"${task.version}"` } }),
  rectify: (task, body) =>
    postJson(`${base}/${encodeURIComponent(task.id)}/rectification`, body, {
      headers: { 'If-Match': `"${task.version}"` },
    }),
};

// 全部 lists the open ones first (the server's order), the overdue flagged.
export const FOLLOW_UP_TABS = [
  { value: 'all', label: '全部' },
  { value: 'overdue', label: '已超期' },
  { value: 'pending', label: '待回访' },
  { value: 'visited', label: '待整改' },
  { value: 'closed', label: '已完成' },
];

/** A tab as the list's filters: the states are the API's, 已超期 its `overdue` flag. */
export function tabFilters(tab) {
  if (tab === 'overdue') return { overdue: true };
  if (tab === 'all') return {};
  return { state: tab };
}

const STATE_THEME = { pending: 'warning', visited: 'primary', closed: 'success' };

export function followUpTheme(task) {
  if (task.overdue) return 'danger';
  return STATE_THEME[task.state.code] || 'default';
}

export const CHANNELS = [
  { value: 'phone', label: '电话' },
  { value: 'sms', label: '短信' },
  { value: 'in_person', label: '当面' },
  { value: 'other', label: '其他' },
];

// What each action means; whether it may be taken is the server's answer (allowed_actions).
export const FOLLOW_UP_ACTIONS = {
  record_visit: { label: '登记回访', explain: '记录与申请人联系的时间、方式、申请人反映的情况和核实结论。' },
  record_rectification: {
    label: '登记整改结果',
    explain: '整改结果将展示给申请人（“我的评价”），登记后回访整改即完成，不能再修改。',
  },
};

/** "YYYY-MM-DD HH:mm" of now, in Beijing time. */
export function beijingNow() {
  return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 16).replace('T', ' ');
}
