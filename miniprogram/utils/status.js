/**
 * Application states with zh-CN labels (the 我的办件 filter tabs) and tag themes. Entries show the
 * server's own `status.label`; no rule about what a state allows lives here.
 */
const STATUSES = [
  { code: 'draft', label: '待提交', theme: 'default' },
  { code: 'submitted', label: '待受理', theme: 'warning' },
  { code: 'accepted', label: '已受理', theme: 'primary' },
  { code: 'supplement_required', label: '待补正', theme: 'warning' },
  { code: 'approved', label: '已办结', theme: 'success' },
  { code: 'declined', label: '不予许可', theme: 'danger' },
  { code: 'rejected', label: '不予受理', theme: 'danger' },
  { code: 'cancelled', label: '已取消', theme: 'default' },
  { code: 'withdrawn', label: '已撤回', theme: 'default' },
];

/** Tabs of 我的办件: 全部 plus every state. */
const STATUS_FILTERS = [{ code: '', label: '全部' }].concat(STATUSES.map((s) => ({ code: s.code, label: s.label })));

function statusInfo(code) {
  return STATUSES.find((s) => s.code === code) || { code, label: code || '', theme: 'default' };
}

module.exports = { STATUSES, STATUS_FILTERS, statusInfo };
