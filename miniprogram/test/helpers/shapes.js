/**
 * API objects as the server answers them (openapi/openapi.json), for the fake server of the
 * tests: each builder gives a complete object that a test overrides where it matters.
 */
const STATUS_LABELS = {
  draft: '待提交', submitted: '待受理', accepted: '已受理', supplement_required: '待补正', approved: '已办结',
  declined: '不予许可', rejected: '不予受理', cancelled: '已取消', withdrawn: '已撤回',
};
const T = '2026-05-15T01:40:00Z';

const coded = (code, label) => ({ code, label });
const status = (code) => coded(code, STATUS_LABELS[code]);

function agencyRef(over) {
  return Object.assign({ code: 'SH', name: '上海海事局', short_name: '上海局', level: 'direct_bureau', level_label: '直属海事局' }, over);
}

function user(over) {
  return Object.assign({
    id: 'u1', role: coded('personal', '个人用户'), display_name: '张*', username: null, phone: '138****5678',
    personal: { name: '张*', id_number: '1****************X' }, corporate: null, agency: null, wechat_bound: false, created_at: T,
  }, over);
}

function tokens(over) {
  return Object.assign({ access_token: 'a1', refresh_token: 'r1', expires_in: 900, token_type: 'bearer', user: user() }, over);
}

/** An entry of GET /me/applications. */
function summary(over) {
  const o = Object.assign({}, over);
  const s = typeof o.status === 'string' ? status(o.status) : o.status || status('submitted');
  delete o.status;
  return Object.assign({
    id: 'a1', number: 'HS20260515000001', item: coded('WF-002', '不合规燃油信息报告'), agency: agencyRef(), status: s,
    created_at: T, updated_at: T, submitted_at: T, version: 2, allowed_actions: [], after_submit: 'cancel', evaluated: false,
  }, o);
}

function material(over) {
  return Object.assign({
    id: 'm1', name: '营业执照', kind: 'general', file_type: 'pdf', content_type: 'application/pdf', size: 2048,
    sha256: 'a'.repeat(64), is_image: false, has_thumbnail: false, created_at: T,
  }, over);
}

/** An application as GET /applications/{id} (and every change of it) answers. */
function application(over) {
  const o = Object.assign({}, over);
  const s = typeof o.status === 'string' ? status(o.status) : o.status || status('draft');
  delete o.status;
  return Object.assign({
    id: 'a1', number: null, item: coded('WF-002', '不合规燃油信息报告'), agency: agencyRef(), status: s,
    created_at: T, updated_at: T, submitted_at: null, after_submit: 'cancel', version: 1, form: {}, materials: [],
    contact_name: null, contact_phone: null, allowed_actions: [], evaluated: false, timeline: [], notices: [],
  }, o);
}

function problem(status, code, title, errors) {
  return { type: `urn:msa-one-stop:problem:${code}`, title, status, detail: title, code, request_id: 'test', errors: errors || null };
}

module.exports = { coded, status, agencyRef, user, tokens, summary, application, material, problem, STATUS_LABELS, T };

function port(over) {
  return Object.assign({ id: 'CNSHA', name_zh: '上海', name_en: 'Shanghai', country: 'CN', kind: 'seaport', region: '华东' }, over);
}

function country(over) {
  return Object.assign({ id: 'CN', name_zh: '中国', name_en: 'China', alpha3: 'CHN', numeric: '156' }, over);
}

function fuelSupplier(over) {
  return Object.assign({
    id: 'FS001', name_zh: '中国船舶燃料有限责任公司', name_en: 'China Marine Bunker', country: 'CN', port: 'CNSHA',
    address: '上海市浦东新区', phone: null,
  }, over);
}

function regulationItem(over) {
  return Object.assign({ id: 'MARPOL-VI-14.1.3', title: '硫含量超过0.50%', description: '船用燃油硫含量超过 0.50% m/m', source: 'MARPOL 附则VI' }, over);
}

function ship(over) {
  return Object.assign({
    id: 's1', name: '海港明珠', imo_number: '9876543', mmsi: '413123450', flag: 'CN', call_sign: 'BXYZ', port_of_registry: null,
    gross_tonnage: 38500, ship_type: '散货船', created_at: T,
  }, over);
}

function agencyNode(over) {
  return Object.assign({
    code: 'CN', name: '中华人民共和国海事局（交通运输部海事局）', short_name: '部海事局', level: 'ministry_bureau', level_label: '部海事局',
    has_children: false, parent_code: null,
  }, over);
}

Object.assign(module.exports, { port, country, fuelSupplier, regulationItem, ship, agencyNode });

/** An entry of GET /me/certificates (CertificateCard). */
function certificateCard(over) {
  return Object.assign({
    id: 'c1', type: coded('SEAFARER_PASSPORT', '中华人民共和国海员证'), title: '中华人民共和国海员证', number: 'A12345678',
    holder_name: '张*三', agency: agencyRef(), issued_on: '2025-01-01', expires_on: '2030-01-01', status: coded('valid', '有效'),
    allowed_actions: ['display', 'correct'],
  }, over);
}

/** GET /me/certificates/{id} (CertificateDetail). */
function certificateDetail(over) {
  return Object.assign(certificateCard(), {
    application_id: null, item_code: null, fields: [], correctable_fields: [], scans: [],
  }, over);
}

Object.assign(module.exports, { certificateCard, certificateDetail });
