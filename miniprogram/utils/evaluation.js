/**
 * 好差评: five levels (非常满意 … 非常不满意); 不满意 and 非常不满意 are bad reviews and need a
 * written reason. Tags offered depend on the rating.
 */
const { RATINGS, ratingLabel } = require('./format');

const GOOD_TAGS = ['办事效率高', '办事指南准确', '操作便捷', '服务态度好', '一次办成'];
const BAD_TAGS = ['办理时间长', '办事指南不准确', '材料要求不清晰', '操作不便', '多次补正'];

// t-rate texts, by value 1..5
const RATE_TEXTS = RATINGS.slice().sort((a, b) => a.value - b.value).map((r) => r.label);

function needsComment(rating) {
  return Number(rating) > 0 && Number(rating) <= 2;
}

function tagsFor(rating) {
  return needsComment(rating) ? BAD_TAGS : GOOD_TAGS;
}

/** zh-CN message when the evaluation cannot be sent, else null. */
function checkEvaluation(rating, comment) {
  const r = Number(rating);
  if (!(r >= 1 && r <= 5)) return '请选择评价等级';
  if (needsComment(r) && !String(comment || '').trim()) return `“${ratingLabel(r)}”请填写原因`;
  return null;
}

module.exports = { GOOD_TAGS, BAD_TAGS, RATE_TEXTS, needsComment, tagsFor, checkEvaluation };
