/**
 * 我的评价: the evaluations given (GET /me/evaluations).
 */
const page = require('../../behaviors/page');
const list = require('../../behaviors/list');
const services = require('../../services/index');
const { formatDate, formatDateTime } = require('../../utils/format');

const FOLLOW_UP_THEMES = { pending: 'warning', visited: 'primary', closed: 'success' };

/**
 * FollowUpOutcome of a bad rating: the agency's 回访整改, where it stands and, once closed, the
 * rectification it reports back. Null for the other ratings.
 */
function followUpView(f) {
  if (!f) return null;
  const closed = f.state.code === 'closed';
  return {
    state: f.state.label,
    theme: FOLLOW_UP_THEMES[f.state.code] || 'default',
    closed,
    due: formatDate(f.due_on),
    result: f.rectification || '',
    closedAt: closed ? formatDateTime(f.closed_at) : '',
  };
}

/** EvaluationRead: item and agency as {code, label}, rating as {code: "1"…"5", label}. */
function view(ev) {
  return {
    id: ev.id,
    itemName: ev.item.label,
    agencyName: ev.agency.label,
    applicationNo: ev.application_no || '',
    rating: Number(ev.rating.code),
    ratingLabel: ev.rating.label,
    bad: ev.is_bad,
    tags: ev.tags,
    comment: ev.comment || '',
    time: formatDateTime(ev.created_at),
    followUp: followUpView(ev.follow_up),
  };
}

Component({
  behaviors: [page, list],
  methods: {
    onLoad() {
      return this.reload();
    },
    fetchPage(cursor) {
      return services.api.evaluations.mine({ limit: 20, cursor: cursor || undefined });
    },
    mapItem: view,
  },
});
