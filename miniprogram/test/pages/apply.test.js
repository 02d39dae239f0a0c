/**
 * 在线办理: the list of online items, the one schema-driven form (steps, fields, pickers,
 * materials, accepting agency, 保存/提交/取消, server errors on their fields) and the pickers.
 */
const items = require('../fixtures/online-items.json');
const { loadPage, text, fire, flush } = require('../helpers/simulate');
const { installFakeServer, problem } = require('../helpers/server');
const shapes = require('../helpers/shapes');
const { signIn } = require('../helpers/session');
const handoff = require('../../utils/handoff');

const byCode = (code) => items.find((i) => i.item_code === code);

function applyServer(extra) {
  return installFakeServer(wx, Object.assign({
    'GET /online-items': items,
    'GET /me/notifications/subscription': { template_id: 'tmpl-status', remaining: 0 },
    'POST /me/notifications/subscription': (req) => ({ template_id: req.data.template_id, remaining: req.data.accepted }),
    'GET /reference/ports': (req) => ({ items: [shapes.port({ id: req.query.q || 'CNSHA', name_zh: '上海' })], next_cursor: null }),
    'GET /reference/countries': { items: [shapes.country()], next_cursor: null },
    'GET /reference/fuel-suppliers': { items: [shapes.fuelSupplier()], next_cursor: null },
    'GET /reference/regulation-items': { items: [], next_cursor: null },
    'GET /catalog/items/*/agencies': [shapes.agencyNode({ has_children: true, handles_item: false, children: [shapes.agencyNode({
      code: 'SH', name: '上海海事局', short_name: '上海局', level: 'direct_bureau', level_label: '直属海事局', parent_code: 'CN',
      handles_item: true, children: [],
    })] })],
    'POST /applications': (req) => shapes.application({ id: 'app1', version: 1, item: shapes.coded(req.data.item_code, '') }),
    'PUT /applications/app1': shapes.application({ id: 'app1', version: 2 }),
    'POST /applications/app1/submit': shapes.application({ id: 'app1', version: 3, status: 'submitted', number: 'HS20260515000001' }),
  }, extra));
}

const fields = (page) => page.querySelectorAll('.apply__field');
const field = (page, key) => fields(page).find((f) => f.instance.data.field.key === key);

describe('在线办理 list', () => {
  test('shows the online items; opening one needs a login', async () => {
    applyServer();
    const page = await loadPage('pages/online/index');
    const t = text(page);
    items.forEach((i) => expect(t).toContain(i.name));
    await fire(page, '.online__apply', 'tap');
    expect(wx.navigateTo).toHaveBeenLastCalledWith(expect.objectContaining({ url: '/pages/login/index' }));
    signIn('corporate');
    await fire(page, '.online__apply', 'tap');
    expect(wx.navigateTo).toHaveBeenLastCalledWith(expect.objectContaining({ url: '/pages/apply/index?item_code=TH-001' }));
  });
});

describe('the online form', () => {
  beforeEach(() => signIn('corporate'));

  test('renders the steps of the item from its schema (不合规燃油信息报告)', async () => {
    applyServer();
    const page = await loadPage('pages/apply/index', { item_code: 'WF-002' });
    const { steps } = page.instance.data;
    expect(steps.map((s) => s.title)).toEqual(['填写基本信息', '选择燃油供应商公司', '选择发现不合规日期', '选择燃油加装港口和港口国',
      '指出不符合的规定项', '填写其他信息', '选择受理机构']);
    expect(wx.setNavigationBarTitle).toHaveBeenCalledWith({ title: '不合规燃油信息报告' });
    expect(text(page)).toContain('第 1/7 步：填写基本信息');
    expect(text(page)).toContain('请选择船舶');
    expect(fields(page).map((f) => f.instance.data.field.key)).toEqual(['ship']);
  });

  test('下一步 waits for the required fields of the step', async () => {
    applyServer();
    const page = await loadPage('pages/apply/index', { item_code: 'WF-002' });
    await fire(page, '.apply__next', 'tap');
    expect(page.instance.data.stepIndex).toBe(0);
    expect(page.instance.data.errors).toEqual({ ship: '请选择船舶' });
    expect(text(page)).toContain('请选择船舶');
    await fire(page, '.apply__field', 'change', { path: 'ship', value: byCode('WF-002').example.ship });
    expect(page.instance.data.errors).toEqual({});
    await fire(page, '.apply__next', 'tap');
    expect(page.instance.data.stepIndex).toBe(1);
    expect(fields(page).map((f) => f.instance.data.field.key)).toEqual(['supplier_id']);
    await fire(page, '.apply__prev', 'tap');
    expect(page.instance.data.stepIndex).toBe(0);
  });

  test('fills, chooses materials and the accepting agency, then 提交 (因燃油导致发动机故障报告)', async () => {
    const server = applyServer();
    const item = byCode('WF-003');
    const page = await loadPage('pages/apply/index', { item_code: 'WF-003' });
    page.instance.onFillExample();
    await flush();
    // step 1 ship, 2 voyage, 3 failure (+ failure_report), 4 bunkering (+ bdn), 5 agency
    await fire(page, '.apply__next', 'tap');
    await fire(page, '.apply__next', 'tap');
    expect(page.instance.data.step.title).toBe('填写故障信息');
    await fire(page, '.apply__next', 'tap');
    expect(page.instance.data.stepIndex).toBe(2);
    expect(text(page)).toContain('请添加故障报告');
    await fire(page, '.apply__slot', 'change', { slot: 'failure_report', material: { id: 'm1', name: '故障报告.pdf' } });
    await fire(page, '.apply__next', 'tap');
    await fire(page, '.apply__slot', 'change', { slot: 'bdn', material: { id: 'm2', name: 'BDN.jpg' } });
    await fire(page, '.apply__next', 'tap');
    expect(page.instance.data.step.kind).toBe('agency');
    // The picker offers the units that handle this item (and are open), not the whole tree.
    expect(server.called('GET /catalog/items/WF-003/agencies')).toHaveLength(1);
    expect(text(page)).toContain('上海海事局');
    expect(text(page)).toContain('保存');
    expect(text(page)).toContain('提交');
    expect(text(page)).toContain('取消');
    await fire(page, '.apply__agency-picker', 'confirm', { code: 'SH-YS', name: '洋山港海事局' });
    expect(text(page)).toContain('洋山港海事局');
    await page.instance.onSubmit();
    const [create] = server.called('POST /applications');
    expect(create.data).toEqual({
      item_code: 'WF-003',
      form: item.example,
      materials: [{ slot: 'failure_report', material_id: 'm1' }, { slot: 'bdn', material_id: 'm2' }],
      agency_code: 'SH-YS',
    });
    const [submit] = server.called('POST /applications/app1/submit');
    expect(submit.header['If-Match']).toBe('1');
    expect(wx.redirectTo).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/application/index?id=app1' }));
  });

  test('提交 with something missing goes to the first step that needs it', async () => {
    const server = applyServer();
    const page = await loadPage('pages/apply/index', { item_code: 'TH-002' });
    page.instance.goStep(2);
    await page.instance.onSubmit();
    expect(server.called('POST /applications')).toHaveLength(0);
    expect(page.instance.data.stepIndex).toBe(0);
    expect(page.instance.data.errors).toMatchObject({ applicant_org: '请填写申请单位', waters: '请填写通航水域名称' });
  });

  test('server validation errors are shown on the right field and step', async () => {
    const errors = [
      { loc: ['body', 'form', 'ship', 'imo_number'], msg: 'IMO编号校验位错误', type: 'imo_checksum' },
      { loc: ['body', 'materials'], msg: '缺少必需的材料：报告材料', type: 'missing' },
    ];
    applyServer({ 'POST /applications': problem(422, 'validation_failed', '提交的内容有误，请检查后重试', errors) });
    const page = await loadPage('pages/apply/index', { item_code: 'WF-002' });
    page.instance.onFillExample();
    page.instance.setData({ materials: { report_materials: { id: 'm1', name: 'x' } }, agency: { code: 'SH', name: '上海海事局' } });
    page.instance.goStep(6);
    await page.instance.onSubmit();
    await flush();
    expect(page.instance.data.stepIndex).toBe(0);
    expect(page.instance.data.errors).toEqual({ 'ship.imo_number': 'IMO编号校验位错误' });
    expect(text(page)).toContain('IMO编号校验位错误');
    expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '提交的内容有误，请检查后重试' }));
  });

  test('保存 creates the draft, a second 保存 updates it with If-Match', async () => {
    const server = applyServer();
    const page = await loadPage('pages/apply/index', { item_code: 'WF-001' });
    page.instance.onFillExample();
    await page.instance.onSave();
    await page.instance.onSave();
    expect(server.called('POST /applications')).toHaveLength(1);
    const [put] = server.called('PUT /applications/app1');
    expect(put.header['If-Match']).toBe('1');
    expect(put.data.form).toEqual(byCode('WF-001').example);
    expect(put.data.item_code).toBeUndefined();
    expect(page.instance.data.version).toBe(2);
    expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '已保存到“我的办件”' }));
  });

  test('编辑 loads a saved application into the form', async () => {
    const example = byCode('TH-001').example;
    const server = applyServer({
      'GET /applications/app1': shapes.application({
        id: 'app1', version: 4, item: shapes.coded('TH-001', '水上水下活动许可'), status: 'draft', form: example,
        materials: [{ slot: 'approval_documents', slot_name: '批准文件', material: shapes.material({ id: 'm1', name: '批准文件.pdf' }) }],
        allowed_actions: ['edit', 'submit', 'discard'],
      }),
    });
    const page = await loadPage('pages/apply/index', { id: 'app1' });
    expect(page.instance.data.form).toEqual(example);
    expect(field(page, 'project_name').instance.data.value).toBe(example.project_name);
    page.instance.goStep(1);
    await flush();
    expect(text(page)).toContain('批准文件.pdf');
    await page.instance.onSave();
    expect(server.called('PUT /applications/app1')[0].header['If-Match']).toBe('4');
    expect(server.called('PUT /applications/app1')[0].data.agency_code).toBe('SH');
  });

  test('取消 asks, then leaves', async () => {
    applyServer();
    global.getCurrentPages.mockReturnValue([{ route: 'pages/online/index' }, { route: 'pages/apply/index' }]);
    const page = await loadPage('pages/apply/index', { item_code: 'TH-001' });
    page.instance.goStep(2);
    await fire(page, '.apply__cancel', 'tap');
    expect(wx.showModal).toHaveBeenCalled();
    expect(wx.navigateBack).toHaveBeenCalled();
  });

  test('an item that is not online', async () => {
    applyServer();
    const page = await loadPage('pages/apply/index', { item_code: 'CY-001' });
    expect(text(page)).toContain('该事项暂不支持在线办理');
  });
});

describe('pickers', () => {
  test('选择燃油加装港口 searches the port list and hands back the choice', async () => {
    const server = applyServer();
    const onSelect = jest.fn();
    handoff.put('picker', { kind: 'port', multiple: false, title: '选择燃油加装港口', selected: [], onSelect });
    global.getCurrentPages.mockReturnValue([{}, {}]);
    const page = await loadPage('pages/picker/index', { kind: 'port', multiple: '0' });
    expect(wx.setNavigationBarTitle).toHaveBeenCalledWith({ title: '选择燃油加装港口' });
    await fire(page, '.picker__q', 'submit');
    page.instance.setData({ q: 'SGSIN' });
    await page.instance.onSubmit();
    expect(server.called('GET /reference/ports').pop().query).toMatchObject({ q: 'SGSIN', limit: '50' });
    await fire(page, '.picker__item', 'tap');
    expect(onSelect).toHaveBeenCalledWith([shapes.port({ id: 'SGSIN', name_zh: '上海' })]);
    expect(wx.navigateBack).toHaveBeenCalled();
  });

  test('选择船舶 lists 我的船舶', async () => {
    applyServer({ 'GET /me/ships': [shapes.ship()] });
    signIn('corporate');
    const onSelect = jest.fn();
    handoff.put('picker', { kind: 'ship', onSelect });
    const page = await loadPage('pages/picker/index', { kind: 'ship' });
    expect(text(page)).toContain('海港明珠');
    expect(text(page)).toContain('IMO 9876543');
    await fire(page, '.picker__item', 'tap');
    expect(onSelect.mock.calls[0][0][0].name).toBe('海港明珠');
  });

  test('不符合的规定项 are chosen several at a time', async () => {
    applyServer({
      'GET /reference/regulation-items': {
        items: [shapes.regulationItem({ id: 'BDN-MISMATCH', title: 'BDN声明硫含量与实际不符' }), shapes.regulationItem()],
        next_cursor: null,
      },
    });
    const onSelect = jest.fn();
    handoff.put('picker', { kind: 'regulation', multiple: true, selected: ['BDN-MISMATCH'], onSelect });
    const page = await loadPage('pages/picker/index', { kind: 'regulation', multiple: '1' });
    expect(page.instance.data.items[0].checked).toBe(true);
    await fire(page, page.querySelectorAll('.picker__item')[1], 'tap');
    expect(text(page)).toContain('已选 2 项');
    await fire(page, '.picker__ok', 'tap');
    expect(onSelect.mock.calls[0][0].map((e) => e.id)).toEqual(['BDN-MISMATCH', 'MARPOL-VI-14.1.3']);
  });
});

describe('联系人 (issue 13, defects 4 and 7)', () => {
  beforeEach(() => signIn('corporate'));

  test('left empty, 联系人 shows the account it defaults to and is not sent: the server fills it in', async () => {
    const server = applyServer();
    const page = await loadPage('pages/apply/index', { item_code: 'WF-003' });
    page.instance.goStep(page.instance.data.steps.length - 1);
    await flush();
    expect(text(page)).toContain('不填写时默认为申请账号：李*，139****0000');
    await page.instance.onSave();
    const [create] = server.called('POST /applications');
    expect(create.data).not.toHaveProperty('contact_name');
    expect(create.data).not.toHaveProperty('contact_phone');
  });

  test('editing after 补正 keeps the contact: the masked phone is shown, never sent back, and nothing unchanged is sent', async () => {
    const stored = shapes.application({
      id: 'app1', version: 7, status: 'supplement_required', item: shapes.coded('WF-003', '因燃油导致发动机故障报告'),
      form: byCode('WF-003').example, contact_name: '王五', contact_phone: '137****1234', allowed_actions: ['edit', 'submit'],
    });
    const server = applyServer({
      'GET /applications/app1': stored,
      'PUT /applications/app1': () => Object.assign({}, stored, { version: stored.version + 1 }),
    });
    const page = await loadPage('pages/apply/index', { id: 'app1' });
    page.instance.goStep(page.instance.data.steps.length - 1);
    await flush();
    expect(text(page)).toContain('当前联系电话：137****1234');
    expect(page.instance.data.contactPhone).toBe('');
    await page.instance.onSave();
    const [put] = server.called('PUT /applications/app1');
    expect(put.data).not.toHaveProperty('contact_phone');
    expect(put.data).not.toHaveProperty('contact_name');
    // a new phone typed by the applicant is sent; the name cleared goes back to the default
    await fire(page, '.apply__contact-phone', 'change', { value: '13911112222' });
    await fire(page, '.apply__contact-name', 'change', { value: '' });
    await page.instance.onSave();
    const second = server.called('PUT /applications/app1')[1];
    expect(second.data.contact_phone).toBe('13911112222');
    expect(second.data.contact_name).toBeNull();
  });
});

describe('订阅消息 (issue 13, defect 6)', () => {
  beforeEach(() => signIn('corporate'));

  async function submitWF003(server) {
    const page = await loadPage('pages/apply/index', { item_code: 'WF-003' });
    page.instance.onFillExample();
    page.instance.setData({
      materials: { failure_report: shapes.material({ id: 'm1' }), bdn: shapes.material({ id: 'm2' }) },
      agency: { code: 'SH', name: '上海海事局' },
    });
    await page.instance.onSubmit();
    await flush();
    return server;
  }

  test('提交 asks for the server\'s one template and records the acceptance', async () => {
    wx.requestSubscribeMessage.mockImplementation((p) => p.success({ errMsg: 'requestSubscribeMessage:ok', 'tmpl-status': 'accept' }));
    const server = await submitWF003(applyServer());
    expect(wx.requestSubscribeMessage).toHaveBeenCalledTimes(1);
    expect(wx.requestSubscribeMessage.mock.calls[0][0].tmplIds).toEqual(['tmpl-status']);
    expect(server.called('POST /me/notifications/subscription')[0].data).toEqual({ template_id: 'tmpl-status', accepted: 1 });
    expect(server.called('POST /applications/app1/submit')).toHaveLength(1);
  });

  test('a refusal records nothing, and without a template on the server nothing is asked', async () => {
    wx.requestSubscribeMessage.mockImplementation((p) => p.success({ errMsg: 'requestSubscribeMessage:ok', 'tmpl-status': 'reject' }));
    let server = await submitWF003(applyServer());
    expect(wx.requestSubscribeMessage).toHaveBeenCalledTimes(1);
    expect(server.called('POST /me/notifications/subscription')).toHaveLength(0);
    wx.requestSubscribeMessage.mockClear();
    server = await submitWF003(applyServer({ 'GET /me/notifications/subscription': { template_id: null, remaining: 0 } }));
    expect(wx.requestSubscribeMessage).not.toHaveBeenCalled();
    expect(server.called('POST /applications/app1/submit')).toHaveLength(1);
  });

  test('the mini program configures no template of its own', () => {
    expect(require('../../config')).not.toHaveProperty('subscribeTemplateIds');
  });
});
