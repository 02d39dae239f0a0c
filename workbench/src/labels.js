// Queue tabs: each is one status of the API's `status` filter (labels as the API gives them).
export const STATUS_TABS = [
  { value: 'submitted', label: '待受理' },
  { value: 'supplement_required', label: '待补正' },
  { value: 'accepted', label: '审查中' },
  { value: 'approved', label: '已办结' },
  { value: 'declined', label: '不予许可' },
  { value: 'rejected', label: '不予受理' },
  { value: 'withdrawn', label: '已撤回' },
  { value: 'cancelled', label: '已取消' },
  { value: 'all', label: '全部' },
];

const STATUS_THEME = {
  submitted: 'warning',
  supplement_required: 'warning',
  accepted: 'primary',
  approved: 'success',
  declined: 'danger',
  rejected: 'danger',
};

export function statusTheme(code) {
  return STATUS_THEME[code] || 'default';
}

/** "2026-12-07T09:30:00+08:00" → "2026-12-07 09:30" (the API gives Beijing time). */
export function shortTime(value) {
  return value ? value.slice(0, 16).replace('T', ' ') : '—';
}

// What each staff action means; whether it may be taken is the server's answer (allowed_actions).
export const ACTIONS = {
  accept: {
    label: '受理',
    theme: 'primary',
    explain: '受理后办件进入审查，系统向申请人出具受理通知书。',
    commentLabel: '受理意见',
    placeholder: '如：材料齐全，予以受理',
  },
  request_supplement: {
    label: '要求补正',
    theme: 'warning',
    explain: '申请人将收到补正通知书，补正后重新提交。',
    commentLabel: '补正说明',
    placeholder: '说明需要补正的内容和要求',
    commentRequired: true,
  },
  reject: {
    label: '不予受理',
    theme: 'danger',
    explain: '不予受理将出具不予受理通知书，并告知申请人申请行政复议或提起行政诉讼的权利。',
    commentLabel: '不予受理理由',
    placeholder: '说明不予受理的理由',
    commentRequired: true,
  },
  approve: {
    label: '准予（办结）',
    theme: 'success',
    explain: '准予后办件办结，系统出具决定文书，申请人可在“我的证照”中查看结果。',
    commentLabel: '审批意见',
    placeholder: '如：同意',
  },
  decline: {
    label: '不予许可',
    theme: 'danger',
    explain: '不予许可将出具不予许可决定书，并告知申请人申请行政复议或提起行政诉讼的权利。',
    commentLabel: '不予许可理由',
    placeholder: '说明不予许可的理由',
    commentRequired: true,
  },
};

// 纠错待办 tabs: the API's correction `status` filter.
export const CORRECTION_TABS = [
  { value: 'pending', label: '待处理' },
  { value: 'accepted', label: '已更正' },
  { value: 'rejected', label: '不予更正' },
  { value: 'all', label: '全部' },
];

const CORRECTION_THEME = { pending: 'warning', accepted: 'success', rejected: 'danger' };

export function correctionTheme(code) {
  return CORRECTION_THEME[code] || 'default';
}

export const CORRECTION_ACTIONS = {
  accept: {
    label: '予以更正',
    theme: 'primary',
    explain: '予以更正后，证照上的该项目随即改为申请更正的内容，更正前的内容留存备查；持证人会收到消息。',
    commentLabel: '处理意见',
    placeholder: '如：经核实予以更正',
  },
  reject: {
    label: '不予更正',
    theme: 'danger',
    explain: '不予更正时证照保持不变，持证人会收到消息并看到不予更正的原因。',
    commentLabel: '不予更正的原因',
    placeholder: '说明不予更正的原因',
    commentRequired: true,
  },
};

/** "2026-12-07T09:30:00+08:00" → "2026-12-07". */
export function shortDate(value) {
  return value ? value.slice(0, 10) : '—';
}

/** The size of a file as people read it. */
export function fileSize(bytes) {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}
