/**
 * The screens issue 13 found missing: 我的船舶 (list, add, edit, remove, and the way there from
 * an online form when the account has no ship yet), a fuel supplier not on the list (其他),
 * 办件详情 showing what was submitted, and 证照详情 with result documents (PDF).
 * Every reply of the fake server has the shape the API documents (openapi.json).
 */
const items = require('../fixtures/online-items.json');
const { loadPage, text, fire, flush, all } = require('../helpers/simulate');
const { installFakeServer, problem, reply } = require('../helpers/server');
const { signIn } = require('../helpers/session');
const handoff = require('../../utils/handoff');
const appForm = require('../../utils/application-form');
const { validate } = require('../../utils/schema-validate');
const shapes = require('../helpers/shapes');

// The form tests render the online form and the picker page (TDesign stand-ins included): on a
// busy machine they take longer than Jest's default 5 s.
jest.setTimeout(30000);

const byCode = (code) => JSON.parse(JSON.stringify(items.find((i) => i.item_code === code)));
const SH = { code: 'SH', name: '上海海事局', short_name: '上海', level: 'direct_bureau', level_label: '直属海事局' };

/** ShipRead */
const ship = (over) => shapes.ship(Object.assign({
  call_sign: 'BQHM', port_of_registry: '上海', created_at: '2026-05-15T09:40:00+08:00',
}, over));

const CN = { id: 'CN', alpha3: 'CHN', numeric: '156', name_zh: '中国', name_en: 'China' };
const SG = { id: 'SG', alpha3: 'SGP', numeric: '702', name_zh: '新加坡', name_en: 'Singapore' };
const SHANGHAI = { id: 'CNSHA', name_zh: '上海', name_en: 'Shanghai', country: 'CN', kind: 'sea', region: '上海市' };
const FS001 = {
  id: 'FS001', name_zh: '中国船舶燃料有限责任公司', name_en: 'China Marine Bunker', port: 'CNSHA', country: 'CN', address: '上海市', phone: null,
};
const REG = { id: 'BDN-MISMATCH', title: '燃油交付单与实测不符', description: '燃油交付单声明的硫含量与实测不符', source: 'MARPOL' };
const page1 = (list) => ({ items: list, next_cursor: null });

/** The pick lists as the server answers them (a search by code finds the entry), and the
 * subscribe-message template the online form and 办件详情 load beforehand. */
const REFERENCE = {
  'GET /me/notifications/subscription': { template_id: null, remaining: 0 },
  'GET /reference/countries': (req) => page1([CN, SG].filter((c) => !req.query.q || c.id === req.query.q)),
  'GET /reference/ports': page1([SHANGHAI]),
  'GET /reference/fuel-suppliers': page1([FS001]),
  'GET /reference/regulation-items': page1([REG]),
};

/** WF-002 as the server describes it once a supplier may be entered by hand (contract point 6). */
function wf2WithOther() {
  const item = byCode('WF-002');
  const schema = item.form_schema;
  schema.properties.supplier_other = {
    type: 'object',
    title: '其他燃油供应商',
    additionalProperties: false,
    required: ['name'],
    properties: {
      name: { type: 'string', title: '供应商名称', minLength: 2, maxLength: 100 },
      credit_code: { type: 'string', title: '统一社会信用代码', description: '选填', pattern: '^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$' },
    },
  };
  schema.required = schema.required.filter((k) => k !== 'supplier_id');
  schema.oneOf = [{ required: ['supplier_id'] }, { required: ['supplier_other'] }];
  return item;
}

describe('我的船舶', () => {
  beforeEach(() => signIn('corporate'));

  test('个人中心 offers 我的船舶 to a company, not to a person', async () => {
    const { USERS } = require('../helpers/session');
    installFakeServer(wx, { 'GET /me': USERS.corporate, 'GET /me/certificates': page1([]), 'GET /me/messages/unread-count': { unread: 0 } });
    const corp = await loadPage('pages/mine/index');
    expect(text(corp)).toContain('我的船舶');
    await fire(corp, '.mine__ships', 'click');
    expect(wx.navigateTo).toHaveBeenLastCalledWith(expect.objectContaining({ url: '/pages/ships/index' }));

    signIn('personal');
    installFakeServer(wx, { 'GET /me': USERS.personal, 'GET /me/certificates': page1([]), 'GET /me/messages/unread-count': { unread: 0 } });
    const person = await loadPage('pages/mine/index');
    expect(text(person)).not.toContain('我的船舶');
  });

  test('lists the ships with their identifiers; 修改 opens the form, 删除 asks first and removes', async () => {
    let ships = [ship(), ship({ id: 's2', name: '东方通达', imo_number: '9123453', mmsi: '413000002', call_sign: null })];
    const server = installFakeServer(wx, {
      'GET /me/ships': () => ships,
      'DELETE /me/ships/s2': () => {
        ships = ships.filter((s) => s.id !== 's2');
      },
    });
    const page = await loadPage('pages/ships/index');
    const t = text(page);
    ['海港明珠', 'IMO 9876543', 'MMSI 413123450', '呼号 BQHM', '船旗国 CN', '船籍港 上海', '散货船', '总吨 38500', '东方通达'].forEach((s) => expect(t).toContain(s));

    await fire(page, all(page, '.ships__edit')[1], 'tap');
    expect(wx.navigateTo).toHaveBeenLastCalledWith(expect.objectContaining({ url: '/pages/ship-edit/index?id=s2' }));

    wx.showModal.mockImplementationOnce((p) => p.success({ confirm: false, cancel: true }));
    await fire(page, all(page, '.ships__remove')[1], 'tap');
    expect(server.called('DELETE /me/ships/s2')).toHaveLength(0);

    await fire(page, all(page, '.ships__remove')[1], 'tap');
    expect(wx.showModal).toHaveBeenLastCalledWith(expect.objectContaining({ content: expect.stringContaining('东方通达') }));
    expect(server.called('DELETE /me/ships/s2')).toHaveLength(1);
    expect(text(page)).not.toContain('东方通达');

    await fire(page, '.ships__add', 'tap');
    expect(wx.navigateTo).toHaveBeenLastCalledWith(expect.objectContaining({ url: '/pages/ship-edit/index' }));
  });

  test('添加船舶: the form says what is wrong before sending, then adds the ship', async () => {
    const server = installFakeServer(wx, Object.assign({
      'POST /me/ships': (req) => reply(201, ship(Object.assign({ id: 's9' }, req.data))),
    }, REFERENCE));
    const page = await loadPage('pages/ship-edit/index', {});
    expect(wx.setNavigationBarTitle).toHaveBeenCalledWith({ title: '添加船舶' });
    expect(text(page)).toContain('中国（CN）');
    const type = async (key, value) => fire(page, `.se__${key}`, 'change', { value });
    await type('name', '长江之星');
    await type('imo', '9234564');
    await type('mmsi', '12345678');
    await fire(page, '.se__save', 'tap');
    expect(server.called('POST /me/ships')).toHaveLength(0);
    expect(page.instance.data.errors).toEqual({
      imo_number: 'IMO编号校验位不正确', mmsi: 'MMSI应为9位数字（船舶以2至7开头）', ship_type: '请输入船舶种类', gross_tonnage: '请输入总吨',
    });
    expect(text(page)).toContain('IMO编号校验位不正确');

    await type('imo', '9234563');
    await type('mmsi', '413777888');
    await type('type', '油船');
    await type('gt', '12000');
    await type('call', 'bqcj');
    await type('port', ' 舟山 ');
    await fire(page, '.se__flag', 'click');
    const request = handoff.take('picker');
    expect(request.kind).toBe('country');
    request.onSelect([SG]);
    await flush();
    expect(text(page)).toContain('新加坡（SG）');
    await fire(page, '.se__save', 'tap');
    expect(server.called('POST /me/ships')[0].data).toEqual({
      name: '长江之星', imo_number: '9234563', mmsi: '413777888', call_sign: 'BQCJ', flag: 'SG', port_of_registry: '舟山', ship_type: '油船',
      gross_tonnage: 12000,
    });
    expect(wx.showToast).toHaveBeenLastCalledWith(expect.objectContaining({ title: '已添加' }));
  });

  test('修改船舶: the ship is loaded, saved with PUT, and a taken IMO number is shown on its field', async () => {
    const server = installFakeServer(wx, Object.assign({
      'GET /me/ships': [ship(), ship({ id: 's2', name: '东方通达', imo_number: '9123453', mmsi: '413000002' })],
      'PUT /me/ships/s1': (req) => (req.data.imo_number === '9123453'
        ? problem(409, 'ship.exists', '该船舶已添加')
        : ship(req.data)),
    }, REFERENCE));
    const page = await loadPage('pages/ship-edit/index', { id: 's1' });
    expect(wx.setNavigationBarTitle).toHaveBeenCalledWith({ title: '修改船舶' });
    expect(page.instance.data.values).toMatchObject({ name: '海港明珠', imo_number: '9876543', gross_tonnage: '38500' });

    await fire(page, '.se__imo', 'change', { value: '9123453' });
    await fire(page, '.se__save', 'tap');
    expect(page.instance.data.errors).toEqual({ imo_number: '该船舶已添加' });
    expect(wx.navigateBack).not.toHaveBeenCalled();

    await fire(page, '.se__imo', 'change', { value: '9876543' });
    await fire(page, '.se__name', 'change', { value: '海港明珠二号' });
    await fire(page, '.se__save', 'tap');
    const puts = server.called('PUT /me/ships/s1');
    expect(puts[1].data).toEqual({
      name: '海港明珠二号', imo_number: '9876543', mmsi: '413123450', call_sign: 'BQHM', flag: 'CN', port_of_registry: '上海', ship_type: '散货船',
      gross_tonnage: 38500,
    });
    expect(server.called('POST /me/ships')).toHaveLength(0);
  });

  test('the server\'s field errors are shown on their fields', async () => {
    installFakeServer(wx, Object.assign({
      'POST /me/ships': problem(422, 'validation_error', '提交的数据有误',
        [{ loc: ['body', 'flag'], msg: '船旗国代码不存在', type: 'unknown_country' }]),
    }, REFERENCE));
    const page = await loadPage('pages/ship-edit/index', {});
    page.setData({ values: {
      name: '长江之星', imo_number: '9234563', mmsi: '413777888', call_sign: '', flag: 'QQ', port_of_registry: '', ship_type: '油船', gross_tonnage: '1',
    } });
    await fire(page, '.se__save', 'tap');
    expect(page.instance.data.errors).toEqual({ flag: '船旗国代码不存在' });
    expect(text(page)).toContain('船旗国代码不存在');
  });

  test('a new company with no ship is not stuck in the form: 选择船舶 offers 添加船舶 and shows it on return', async () => {
    let ships = [];
    installFakeServer(wx, { 'GET /me/ships': () => ships });
    handoff.put('picker', { kind: 'ship', title: '选择船舶', onSelect: jest.fn() });
    const page = await loadPage('pages/picker/index', { kind: 'ship' });
    expect(text(page)).toContain('本账号名下暂无船舶');
    await fire(page, '.picker__add-ship', 'tap');
    expect(wx.navigateTo).toHaveBeenLastCalledWith(expect.objectContaining({ url: '/pages/ship-edit/index' }));

    ships = [ship()];
    await page.instance.onShow();
    await flush();
    expect(text(page)).toContain('海港明珠');
    expect(text(page)).not.toContain('暂无船舶');
  });
});

describe('燃油供应商 其他（手动填写）', () => {
  beforeEach(() => signIn('corporate'));

  test('the form offers 其他 where the supplier is picked, and sends supplier_other instead of supplier_id', async () => {
    const item = wf2WithOther();
    const server = installFakeServer(wx, Object.assign({ 'GET /online-items': [item] }, REFERENCE));
    const page = await loadPage('pages/apply/index', { item_code: 'WF-002' });
    page.instance.goStep(1);
    await flush();
    const supplier = () => page.querySelector('.apply__field');
    expect(supplier().instance.data.field).toMatchObject({ key: 'supplier_id', required: true, other: { key: 'supplier_other' } });
    expect(text(page)).not.toContain('统一社会信用代码');

    await fire(page, '.apply__next', 'tap');
    expect(page.instance.data.errors).toEqual({ supplier_id: '请选择燃油供应商公司' });

    await fire(supplier(), '.ff__reference', 'tap');
    const request = handoff.take('picker');
    expect(request).toMatchObject({ kind: 'supplier', allowOther: true });
    // the picker page lists 其他（手动填写） first
    handoff.put('picker', request);
    const picker = await loadPage('pages/picker/index', { kind: 'supplier' });
    expect(text(picker)).toContain('其他（手动填写）');
    expect(text(picker)).toContain('中国船舶燃料有限责任公司');
    await fire(picker, '.picker__other', 'tap');
    await flush();

    expect(page.instance.data.form.supplier_other).toEqual({});
    expect(page.instance.data.form.supplier_id).toBeUndefined();
    expect(text(page)).toContain('其他（手动填写）');
    expect(text(page)).toContain('统一社会信用代码');

    await fire(page, '.apply__next', 'tap');
    expect(page.instance.data.stepIndex).toBe(1);
    expect(page.instance.data.errors).toEqual({ 'supplier_other.name': '请填写供应商名称' });

    await fire(page, '.apply__field', 'change', { path: 'supplier_other.name', value: '舟山某燃油贸易有限公司' });
    await fire(page, '.apply__field', 'change', { path: 'supplier_other.credit_code', value: '91330900MA2A1B2C3D' });
    await fire(page, '.apply__next', 'tap');
    expect(page.instance.data.stepIndex).toBe(2);

    const state = { form: page.instance.data.form, materials: {}, agency: null };
    const body = appForm.buildBody(item, state);
    expect(body.form.supplier_other).toEqual({ name: '舟山某燃油贸易有限公司', credit_code: '91330900MA2A1B2C3D' });
    expect(body.form).not.toHaveProperty('supplier_id');
    expect(server.called('GET /reference/fuel-suppliers').length).toBeGreaterThan(0);
  });

  test('picking a listed supplier again drops the hand-entered one', async () => {
    const item = wf2WithOther();
    installFakeServer(wx, Object.assign({ 'GET /online-items': [item] }, REFERENCE));
    const page = await loadPage('pages/apply/index', { item_code: 'WF-002' });
    page.instance.goStep(1);
    page.setData({ form: { supplier_other: { name: '舟山某燃油贸易有限公司' } } });
    await flush();
    expect(text(page)).toContain('其他（手动填写）');
    await fire(page.querySelector('.apply__field'), '.ff__reference', 'tap');
    handoff.take('picker').onSelect([FS001]);
    await flush();
    expect(page.instance.data.form.supplier_id).toBe('FS001');
    expect(appForm.buildBody(item, { form: page.instance.data.form }).form).toEqual({ supplier_id: 'FS001' });
    expect(text(page)).not.toContain('统一社会信用代码');
  });

  test('the checks follow the oneOf: one of the two, and a bad credit code is refused', () => {
    const { form_schema: schema, example } = wf2WithOther();
    const without = Object.assign({}, example);
    delete without.supplier_id;
    expect(validate(schema, example)).toEqual({});
    expect(validate(schema, without)).toEqual({ supplier_id: '请选择燃油供应商公司' });
    expect(validate(schema, Object.assign({}, without, { supplier_other: { name: '某公司', credit_code: 'ABC' } })))
      .toEqual({ 'supplier_other.credit_code': '统一社会信用代码格式不正确' });
    expect(validate(schema, Object.assign({}, without, { supplier_other: { name: '舟山某燃油贸易有限公司' } }))).toEqual({});
  });

  test('a server error on supplier_other.name opens the supplier step', () => {
    const item = wf2WithOther();
    const placed = appForm.placeServerErrors(item, {
      errors: [{ loc: ['body', 'form', 'supplier_other', 'name'], msg: '供应商名称至少2个字', type: 'string_too_short' }],
    }, { form: {} });
    expect(placed.errors).toEqual({ 'supplier_other.name': '供应商名称至少2个字' });
    expect(placed.step).toBe(1);
  });
});

/** ApplicationRead of a submitted 不合规燃油信息报告 with two materials. */
function submittedReport(over) {
  const example = byCode('WF-002').example;
  const at = '2026-05-15T09:40:00+08:00';
  return shapes.application(Object.assign({
    id: 'a1', number: 'HS20261127042817', agency: SH, status: 'submitted', created_at: '2026-05-15T09:00:00+08:00', updated_at: at,
    submitted_at: at, version: 3, form: example,
    materials: [
      { slot: 'report_materials', slot_name: '燃油样品检测报告', material: shapes.material({ id: 'm1', name: '检测报告.pdf', size: 20480 }) },
      { slot: 'report_materials', slot_name: 'BDN照片', material: shapes.material({
        id: 'm2', name: 'BDN.jpg', file_type: 'jpeg', content_type: 'image/jpeg', size: 10240, sha256: 'b'.repeat(64), is_image: true,
        has_thumbnail: true }) },
    ],
    contact_name: '李*', contact_phone: '139****0000', allowed_actions: ['cancel'],
    timeline: [{ occurred_at: at, action: shapes.coded('submit', '提交'), status: shapes.status('submitted'), actor: '申请人', comment: null }],
  }, over));
}

describe('办件详情: what was submitted', () => {
  beforeEach(() => signIn('corporate'));

  test('the form read-only with the schema\'s labels, pick-list names, dates; materials open', async () => {
    const server = installFakeServer(wx, Object.assign({
      'GET /online-items': items,
      'GET /applications/a1': submittedReport(),
      'GET /me/materials/*/content': {},
    }, REFERENCE));
    const page = await loadPage('pages/application/index', { id: 'a1' });
    await flush(20);
    const rows = page.instance.data.formRows;
    const row = (path) => rows.find((r) => r.path === path);
    expect(row('ship')).toMatchObject({ label: '船舶', group: true });
    expect(row('ship.imo_number')).toMatchObject({ label: 'IMO编号', value: '9876543', depth: 1 });
    expect(row('ship.flag')).toMatchObject({ label: '船旗国', value: '中国（CN）' });
    expect(row('supplier_id')).toMatchObject({ label: '燃油供应商公司', value: '中国船舶燃料有限责任公司（FS001）' });
    expect(row('bunkering_port')).toMatchObject({ value: '上海（CNSHA）' });
    expect(row('found_date')).toMatchObject({ value: '2026-03-20' });
    expect(row('noncompliant_items').value).toContain('燃油交付单与实测不符（BDN-MISMATCH）');
    const t = text(page);
    ['申请内容', '船名', '海港明珠', '发现不合规日期', '申请材料', '燃油样品检测报告', '检测报告.pdf', 'BDN照片', '办理过程']
      .forEach((s) => expect(t).toContain(s));

    await fire(page, all(page, '.app__material')[0], 'click');
    expect(server.called('GET /me/materials/m1/content')).toHaveLength(1);
    expect(wx.openDocument).toHaveBeenLastCalledWith(expect.objectContaining({ fileType: 'pdf' }));
    await fire(page, all(page, '.app__material')[1], 'click');
    expect(wx.previewImage).toHaveBeenCalledTimes(1);
  });

  test('a hand-entered supplier and a datetime show as the user gave them', async () => {
    const item = wf2WithOther();
    const form = Object.assign({}, item.example, { supplier_other: { name: '舟山某燃油贸易有限公司', credit_code: '91330900MA2A1B2C3D' } });
    delete form.supplier_id;
    const wf3 = byCode('WF-003');
    installFakeServer(wx, Object.assign({
      'GET /online-items': [item, wf3],
      'GET /applications/a1': submittedReport({ form, materials: [] }),
      'GET /applications/a3': submittedReport({ id: 'a3', item: { code: 'WF-003', label: '因燃油导致发动机故障报告' }, form: wf3.example, materials: [] }),
    }, REFERENCE));
    const page = await loadPage('pages/application/index', { id: 'a1' });
    await flush(20);
    const t = text(page);
    expect(t).toContain('其他燃油供应商');
    expect(t).toContain('舟山某燃油贸易有限公司');
    expect(t).toContain('91330900MA2A1B2C3D');
    expect(text(page)).not.toContain('申请材料');

    const failure = await loadPage('pages/application/index', { id: 'a3' });
    await flush(20);
    const at = failure.instance.data.formRows.find((r) => r.path === 'failure_time');
    expect(at.value).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
  });
});

/** CertificateDetail of a 海船船员适任证书. */
const COC = {
  id: 'c1', type: shapes.coded('SEAFARER_COC_SEA', '海船船员适任证书'), title: '中华人民共和国海船船员适任证书', number: 'JSH1122025123456',
  holder_name: '张*', agency: SH, issued_on: '2025-06-01', expires_on: '2030-05-31', status: shapes.coded('valid', '有效'),
  allowed_actions: ['display', 'correct'],
};
function certificate(over) {
  return shapes.certificateDetail(Object.assign({}, COC, {
    fields: [{ key: 'capacity', label: '职务', value: '大副' }, { key: 'grade', label: '等级', value: '甲类' }],
    scans: [{ scanned_at: '2026-05-15T09:40:00+08:00', agency: SH, result: shapes.coded('valid', '核验通过') }],
  }, over));
}

describe('证照详情', () => {
  beforeEach(() => signIn('personal'));

  test('a certificate card opens its details: fields by label, validity, status, scans, 亮证 and 纠错', async () => {
    installFakeServer(wx, {
      'GET /me/certificates': page1([shapes.certificateCard(COC)]),
      'GET /me/certificates/c1': certificate(),
    });
    const list = await loadPage('pages/certificates/index');
    await fire(list, '.certs__item >>> .cert', 'tap');
    expect(wx.navigateTo).toHaveBeenLastCalledWith(expect.objectContaining({ url: '/pages/certificate/index?id=c1' }));

    const page = await loadPage('pages/certificate/index', { id: 'c1' });
    const t = text(page);
    ['中华人民共和国海船船员适任证书', '有效', 'JSH1122025123456', '张*', '上海海事局', '2025-06-01 至 2030-05-31', '职务', '大副', '等级', '甲类',
      '扫码核验记录', '2026-05-15 09:40', '核验通过'].forEach((s) => expect(t).toContain(s));
    expect(t).not.toContain('查看文书');
    await fire(page, '.cd__display', 'tap');
    expect(wx.navigateTo).toHaveBeenLastCalledWith(expect.objectContaining({ url: '/pages/cert-display/index?id=c1' }));
    await fire(page, '.cd__correct', 'tap');
    expect(wx.navigateTo).toHaveBeenLastCalledWith(expect.objectContaining({ url: '/pages/cert-correction/index?id=c1' }));
  });

  test('a result document (备案证明) opens its PDF and the application that issued it', async () => {
    const server = installFakeServer(wx, {
      'GET /me/certificates/d1': certificate({
        id: 'd1', type: { code: 'RESULT_DOCUMENT', label: '办件结果文书' }, title: '应急预案备案证明', number: 'SHBA2026000123',
        expires_on: null, allowed_actions: [], fields: [{ key: 'item', label: '事项', value: '应急预案备案' }], scans: [],
        item_code: 'WF-001', application_id: 'a9',
      }),
      'GET /me/certificates/d1/document': {},
    });
    const page = await loadPage('pages/certificate/index', { id: 'd1' });
    const t = text(page);
    expect(t).toContain('应急预案备案证明');
    expect(t).toContain('2025-06-01 起长期有效');
    expect(t).not.toContain('亮证');
    expect(t).not.toContain('扫码核验记录');
    await fire(page, '.cd__document', 'tap');
    const [download] = server.called('GET /me/certificates/d1/document');
    expect(download.header.Accept).toBe('application/pdf');
    expect(wx.openDocument).toHaveBeenCalledWith(expect.objectContaining({ fileType: 'pdf', filePath: expect.stringMatching(/^wxfile:/) }));
    await fire(page, '.cd__application', 'tap');
    expect(wx.navigateTo).toHaveBeenLastCalledWith(expect.objectContaining({ url: '/pages/application/index?id=a9' }));
  });

  test('a document that cannot be had says so (404 certificate.no_document) without opening anything', async () => {
    installFakeServer(wx, {
      'GET /me/certificates/d1': certificate({ id: 'd1', type: { code: 'RESULT_DOCUMENT', label: '办件结果文书' }, allowed_actions: [] }),
      'GET /me/certificates/d1/document': problem(404, 'certificate.no_document', '该证照没有文书'),
    });
    wx.getFileSystemManager.mockReturnValue({ readFileSync: () => JSON.stringify({ type: 'about:blank', title: '该证照没有文书', status: 404, code: 'certificate.no_document', detail: '', request_id: 't' }) });
    const page = await loadPage('pages/certificate/index', { id: 'd1' });
    await fire(page, '.cd__document', 'tap');
    expect(wx.openDocument).not.toHaveBeenCalled();
    expect(wx.showToast).toHaveBeenLastCalledWith(expect.objectContaining({ title: '该证照没有文书' }));
  });
});
