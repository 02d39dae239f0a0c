// 承诺办结时限 as staff read it: the countdown text and its colour, from the API's `deadline`.

/** The countdown: 剩 N 个工作日 / 今日到期 / 超期 N 个工作日 / 暂停计时（补正中）/ 按期办结 / 超期办结. */
export function countdown(deadline) {
  if (!deadline) return '—';
  const left = deadline.working_days_left;
  switch (deadline.state.code) {
    case 'paused':
      return '暂停计时（补正中）';
    case 'met':
      return '按期办结';
    case 'missed':
      return '超期办结';
    case 'overdue':
      return left < 0 ? `超期 ${-left} 个工作日` : '已超期';
    default:
      return left === 0 ? '今日到期' : `剩 ${left} 个工作日`;
  }
}

const THEME = { overdue: 'danger', due_soon: 'warning', on_track: 'primary', met: 'success', missed: 'danger' };

export function deadlineTheme(deadline) {
  return (deadline && THEME[deadline.state.code]) || 'default';
}

/** What the tag's title says: the date, and that it is provisional when the year's holidays are not out yet. */
export function deadlineHint(deadline) {
  if (!deadline) return '';
  const parts = [];
  if (deadline.due_on) parts.push(`承诺办结日期 ${deadline.due_on}`);
  if (deadline.state.code === 'paused') parts.push(`补正期间不计时，恢复后剩 ${deadline.working_days_left} 个工作日`);
  if (deadline.provisional) parts.push('该年度节假日安排尚未公布，暂按周一至周五计算');
  return parts.join('；');
}
