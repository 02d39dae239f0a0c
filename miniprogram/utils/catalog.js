/**
 * 办事指南 field labels, in the order of the national service-item standard, and the labels of
 * the catalog filters (the home page takes labels and counts from GET /catalog/facets).
 */
const GUIDE_FIELDS = [
  { key: 'item_name', label: '事项名称' },
  { key: 'basic_code', label: '基本编码' },
  { key: 'item_type', label: '事项类型' },
  { key: 'sub_items', label: '子项', list: true },
  { key: 'industry', label: '行业名称/主管部门' },
  { key: 'exercise_level', label: '行使层级' },
  { key: 'implementing_agency', label: '实施机关' },
  { key: 'accepting_department', label: '受理部门' },
  { key: 'responsible_office', label: '责任处（科）室' },
  { key: 'applicant', label: '服务对象' },
  { key: 'legal_basis', label: '设定依据', list: true },
  { key: 'acceptance_conditions', label: '受理条件', list: true },
  { key: 'statutory_time_limit', label: '法定办结时限' },
  { key: 'promised_time_limit', label: '承诺办结时限' },
  { key: 'result', label: '办理结果' },
  { key: 'fee', label: '收费标准' },
  { key: 'location_and_hours', label: '办理地点、时间' },
  { key: 'consult_phone', label: '咨询电话' },
  { key: 'supervision_phone', label: '监督投诉电话' },
  { key: 'min_visits', label: '到办事窗口的最少次数', suffix: '次' },
  { key: 'online', label: '网上办理深度' },
];

/** The guide as rows for the page: [{key, label, text?, list?}], empty fields left out. */
function guideRows(guide) {
  const g = guide || {};
  return GUIDE_FIELDS.map((f) => {
    const v = g[f.key];
    if (f.list) return { key: f.key, label: f.label, list: Array.isArray(v) ? v : [] };
    if (v === undefined || v === null || v === '') return { key: f.key, label: f.label, text: '' };
    return { key: f.key, label: f.label, text: `${v}${f.suffix || ''}` };
  }).filter((r) => (r.list ? r.list.length : r.text !== ''));
}

const FILTER_GROUPS = [
  { key: 'audience', label: '服务对象' },
  { key: 'business', label: '按业务' },
  { key: 'nature', label: '按事项性质' },
];

module.exports = { GUIDE_FIELDS, guideRows, FILTER_GROUPS };
