/**
 * 首页, 选择海事机构, 事项查询, 办事指南, 便民查询 (办件查询, 证书查询) and 执法人员扫码.
 */
const { loadPage, text, fire, flush } = require('../helpers/simulate');
const { installFakeServer, problem } = require('../helpers/server');
const shapes = require('../helpers/shapes');
const { signIn } = require('../helpers/session');
const store = require('../../utils/store');

const FACETS = {
  audience: [{ code: 'personal', label: '个人办事', count: 34 }, { code: 'corporate', label: '法人办事', count: 62 }],
  business: [
    { code: 'navigation', label: '通航管理', count: 12 }, { code: 'ship', label: '船舶管理', count: 17 },
    { code: 'crew', label: '船员管理', count: 15 }, { code: 'pollution', label: '危防管理', count: 13 },
    { code: 'shipping', label: '航运管理', count: 5 }, { code: 'inspection', label: '船检管理', count: 3 },
    { code: 'aids', label: '航标管理', count: 3 }, { code: 'other', label: '其他', count: 4 },
  ],
  nature: [
    { code: 'licensing', label: '行政许可', count: 32 }, { code: 'confirmation', label: '行政确认', count: 5 },
    { code: 'filing', label: '行政备案', count: 6 }, { code: 'other_power', label: '其他行政权力', count: 29 },
  ],
  online: { code: 'online', label: '在线办理', count: 5 },
  total: 72,
};

const item = (n) => ({
  code: `CY-${String(n).padStart(3, '0')}`, name: `事项${n}`, aliases: [], online: n === 1,
  business: { code: 'crew', label: '船员管理' }, nature: { code: 'licensing', label: '行政许可' }, audience: [{ code: 'personal', label: '个人办事' }],
});

describe('首页', () => {
  test('shows the agency, the four ways to browse with counts, and the entries of the manual', async () => {
    const server = installFakeServer(wx, { 'GET /catalog/facets': FACETS });
    const page = await loadPage('pages/home/index');
    await flush();
    const t = text(page);
    ['全部海事机构', '事项查询', '执法人员扫码', '便民查询', '办件查询', '证书查询', '政务服务', '个人办事', '法人办事',
      '按业务', '通航管理', '船检管理', '航标管理', '按事项性质', '行政许可', '其他行政权力', '其他网上办理', '我要评']
      .forEach((s) => expect(t).toContain(s));
    expect(server.calls[0].query).toEqual({});
  });

  test('the chosen agency filters the facets and a category opens 事项查询', async () => {
    store.set('agency', { code: 'SH', name: '上海海事局' });
    const server = installFakeServer(wx, { 'GET /catalog/facets': FACETS });
    const page = await loadPage('pages/home/index');
    await flush();
    expect(text(page)).toContain('上海海事局');
    expect(server.calls[0].query).toEqual({ agency: 'SH' });
    const tiles = page.querySelectorAll('.home__grid-item');
    await fire(page, tiles[2], 'tap');
    expect(wx.navigateTo).toHaveBeenLastCalledWith(expect.objectContaining({ url: '/pages/search/index?business=crew' }));
    await fire(page, '.home__agency', 'tap');
    expect(wx.navigateTo).toHaveBeenLastCalledWith(expect.objectContaining({ url: '/pages/agency/index' }));
  });

  test('a chosen 海事处 that has since closed is forgotten and every agency shown again', async () => {
    store.set('agency', { code: 'SD-RZ-LS', name: '日照岚山海事处' });
    const server = installFakeServer(wx, {
      'GET /catalog/facets': (req) => (req.query.agency
        ? problem(404, 'agency.closed', '该海事机构已撤销')
        : FACETS),
    });
    const page = await loadPage('pages/home/index');
    await flush();
    expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '该海事机构已撤销' }));
    expect(store.get('agency')).toBeNull();
    expect(server.calls.map((c) => c.query.agency)).toEqual(['SD-RZ-LS', undefined]);
    expect(text(page)).toContain('全部海事机构');
  });

  test('a new agency choice reloads the facets', async () => {
    const server = installFakeServer(wx, { 'GET /catalog/facets': FACETS });
    const page = await loadPage('pages/home/index');
    store.set('agency', { code: 'ZJ', name: '浙江海事局' });
    await flush();
    expect(server.calls.map((c) => c.query.agency)).toEqual([undefined, 'ZJ']);
    expect(text(page)).toContain('浙江海事局');
  });

  test('执法人员扫码 scans as an officer and opens the result', async () => {
    signIn('officer');
    const server = installFakeServer(wx, {
      'GET /catalog/facets': FACETS,
      'POST /officer/scans': {
        type: shapes.coded('SEAFARER_PASSPORT', '中华人民共和国海员证'), title: '中华人民共和国海员证', number: 'A12345678', holder_name: '张*三',
        agency: shapes.agencyRef(), issued_on: '2025-01-01', expires_on: '2030-01-01', status: shapes.coded('valid', '证照有效'),
        fields: [{ key: 'nationality', label: '国籍', value: '中国' }], scanned_at: shapes.T,
      },
    });
    wx.scanCode.mockImplementationOnce((p) => p.success({ result: 'https://msa.example/v?token=tok123' }));
    const page = await loadPage('pages/home/index');
    await fire(page, '.home__scan', 'tap');
    expect(server.called('POST /officer/scans')[0].data).toEqual({ token: 'tok123' });
    expect(wx.navigateTo).toHaveBeenLastCalledWith(expect.objectContaining({ url: '/pages/scan-result/index' }));
    const result = await loadPage('pages/scan-result/index');
    expect(text(result)).toContain('中华人民共和国海员证');
    expect(text(result)).toContain('证照有效');
  });

  test('执法人员扫码 is for officers only', async () => {
    signIn('personal');
    installFakeServer(wx, { 'GET /catalog/facets': FACETS });
    const page = await loadPage('pages/home/index');
    await fire(page, '.home__scan', 'tap');
    expect(wx.scanCode).not.toHaveBeenCalled();
    expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '仅限执法人员使用' }));
  });

  test('我要评 needs a login', async () => {
    installFakeServer(wx, { 'GET /catalog/facets': FACETS });
    const page = await loadPage('pages/home/index');
    await fire(page, page.querySelectorAll('.home__tile')[page.querySelectorAll('.home__tile').length - 1], 'tap');
    expect(wx.navigateTo).toHaveBeenLastCalledWith(expect.objectContaining({ url: '/pages/login/index' }));
  });
});

describe('选择海事机构', () => {
  test('确定 keeps the choice and returns to 首页', async () => {
    installFakeServer(wx, {
      'GET /agencies': [shapes.agencyNode({ children: [] })],
      'GET /agencies/CN': shapes.agencyNode({ ancestors: [], children: [], sources: [], confidence: null }),
    });
    const page = await loadPage('pages/agency/index');
    await flush();
    await fire(page, '.agency__picker', 'confirm', { code: 'SH', name: '上海海事局', short_name: '上海' });
    expect(store.get('agency')).toEqual({ code: 'SH', name: '上海海事局', short_name: '上海' });
    expect(wx.storage['msa.agency']).toEqual({ code: 'SH', name: '上海海事局', short_name: '上海' });
    expect(wx.switchTab).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/home/index' }));
  });
});

describe('事项查询', () => {
  function catalogServer() {
    return installFakeServer(wx, {
      'GET /catalog/facets': FACETS,
      'GET /catalog/items': (req) => (req.query.cursor
        ? { items: [item(21), item(22)], next_cursor: null }
        : { items: Array.from({ length: 20 }, (_, i) => item(i + 1)), next_cursor: 'c2' }),
    });
  }

  test('applies the filters from 首页 and scrolls for more', async () => {
    store.set('agency', { code: 'SH', name: '上海海事局' });
    const server = catalogServer();
    const page = await loadPage('pages/search/index', { business: 'crew' });
    await flush();
    expect(server.called('GET /catalog/items')[0].query).toEqual({ business: 'crew', agency: 'SH', limit: '20' });
    expect(page.instance.data.items).toHaveLength(20);
    await page.instance.onReachBottom();
    expect(server.called('GET /catalog/items')[1].query.cursor).toBe('c2');
    expect(page.instance.data.items).toHaveLength(22);
    expect(text(page)).toContain('没有更多了');
    await page.instance.onReachBottom();
    expect(server.called('GET /catalog/items')).toHaveLength(2);
  });

  test('filter chips and the keyword start a new search', async () => {
    const server = catalogServer();
    const page = await loadPage('pages/search/index', {});
    await flush();
    const chips = page.querySelectorAll('.search__chip');
    const personal = chips.find((c) => c.dom.textContent.indexOf('个人办事') >= 0);
    await fire(page, personal, 'tap');
    expect(server.called('GET /catalog/items').pop().query).toMatchObject({ audience: 'personal' });
    page.instance.setData({ q: 'chuanyuan' });
    await page.instance.onSubmit();
    expect(server.called('GET /catalog/items').pop().query).toMatchObject({ audience: 'personal', q: 'chuanyuan' });
    await fire(page, chips.find((c) => c.dom.textContent.indexOf('可在线办理') >= 0), 'tap');
    expect(server.called('GET /catalog/items').pop().query).toMatchObject({ online: 'true' });
    await fire(page, '.search__item', 'tap');
    expect(wx.navigateTo).toHaveBeenLastCalledWith(expect.objectContaining({ url: '/pages/guide/index?code=CY-001' }));
  });

  test('no result says so', async () => {
    installFakeServer(wx, { 'GET /catalog/facets': FACETS, 'GET /catalog/items': { items: [], next_cursor: null } });
    const page = await loadPage('pages/search/index', { q: 'xyz' });
    await flush();
    expect(text(page)).toContain('没有找到相关事项');
  });
});

const GUIDE = {
  item_name: '海船船员适任证书核发', basic_code: '以国家政务服务平台事项目录公布为准', item_type: '行政许可',
  sub_items: ['初次签发', '换发'], industry: '交通运输部海事局', exercise_level: '省级', implementing_agency: '各直属海事局',
  accepting_department: '政务中心', applicant: '船员本人', legal_basis: ['《中华人民共和国船员条例》'],
  acceptance_conditions: ['已经取得船员服务簿'], materials: [{ name: '申请表', required: true, original_or_copy: '原件',
    medium: '电子版或纸质版', copies: 1, form: '统一格式', notes: '' }], process: [{ step: '受理', description: '窗口受理' }],
  statutory_time_limit: '20个工作日', promised_time_limit: '10个工作日', result: '适任证书', fee: '不收费',
  location_and_hours: '工作日', consult_phone: '12395', supervision_phone: '12328', min_visits: 0, online: '全程网办',
  responsible_office: '船员处',
};

describe('办事指南', () => {
  test('shows every guide field, the materials table and the process', async () => {
    const guide = GUIDE;
    installFakeServer(wx, {
      'GET /catalog/items/CY-001': {
        code: 'CY-001', name: '海船船员适任证书核发', online: true, aliases: [], business: { code: 'crew', label: '船员管理' },
        nature: { code: 'permit', label: '行政许可' }, audience: [{ code: 'personal', label: '个人办事' }], guide,
        handling_levels: [{ code: 'direct_bureau', label: '直属海事局' }], source: '交通运输部海事局政务服务事项清单',
      },
    });
    const page = await loadPage('pages/guide/index', { code: 'CY-001' });
    const t = text(page);
    ['事项名称', '基本编码', '事项类型', '子项', '1. 初次签发', '行业名称/主管部门', '行使层级', '实施机关', '受理部门',
      '责任处（科）室', '服务对象', '设定依据', '受理条件', '法定办结时限', '承诺办结时限', '办理结果', '收费标准', '办理地点、时间',
      '咨询电话', '监督投诉电话', '到办事窗口的最少次数0次', '网上办理深度', '申请材料', '申请表', '必须', '原件', '样表：统一格式',
      '办理流程', '窗口受理', '在线办理'].forEach((s) => expect(t).toContain(s));
    expect(wx.setNavigationBarTitle).toHaveBeenCalledWith({ title: '海船船员适任证书核发' });
    await fire(page, '.guide__apply', 'tap');
    expect(wx.navigateTo).toHaveBeenLastCalledWith(expect.objectContaining({ url: '/pages/apply/index?item_code=CY-001' }));
  });

  test('受理机构: the user picks a 海事处 that handles the item and the guide shows its place, hours and phone', async () => {
    const office = {
      code: 'SD-RZ-SJ', name: '日照石臼海事处', short_name: '石臼', level: 'office', level_label: '海事处',
      parent_code: 'SD-RZ', has_children: false, handles_item: true, address: '日照市东港区海滨二路1号',
      phone: '0633-8000000', office_hours: '工作日 8:30-12:00，13:30-17:00', closed_on: null, children: [],
    };
    const ref = { code: office.code, name: office.name, short_name: office.short_name, level: 'office', level_label: '海事处' };
    const item = {
      code: 'TH-002', name: '通航水域岸线安全使用许可', online: false, aliases: [], business: { code: 'navigation', label: '通航管理' },
      nature: { code: 'licensing', label: '行政许可' }, audience: [{ code: 'corporate', label: '法人办事' }],
      handling_levels: [{ code: 'office', label: '海事处' }], source: '交通运输部海事局政务服务事项清单',
      guide: Object.assign({}, GUIDE, { location_and_hours: '以所选受理海事机构政务中心公布的地址和办公时间为准', consult_phone: '以所选受理海事机构公布的电话为准' }),
      local_details: null,
    };
    const server = installFakeServer(wx, {
      'GET /catalog/items/TH-002': (req) => (req.query.agency ? Object.assign({}, item, {
        guide: Object.assign({}, item.guide, {
          location_and_hours: '受理地点：日照市东港区海滨二路1号；办理时间：工作日 8:30-12:00，13:30-17:00', consult_phone: '0633-8000000',
        }),
        local_details: {
          agency: ref, place: { value: office.address, agency: ref }, hours: { value: office.office_hours, agency: ref },
          phone: { value: office.phone, agency: ref }, fee: null,
        },
      }) : item),
      'GET /catalog/items/TH-002/agencies': [shapes.agencyNode({ handles_item: false, has_children: true, children: [
        shapes.agencyNode({ code: 'SD', name: '山东海事局', short_name: '山东', level: 'direct_bureau', level_label: '直属海事局', parent_code: 'CN', handles_item: false, has_children: true, children: [
          shapes.agencyNode({ code: 'SD-RZ', name: '日照海事局', short_name: '日照', level: 'branch_bureau', level_label: '分支海事局', parent_code: 'SD', handles_item: false, has_children: true, children: [office] }),
        ] }),
      ] })],
    });
    const page = await loadPage('pages/guide/index', { code: 'TH-002' });
    expect(text(page)).toContain('受理机构未选择');
    expect(text(page)).toContain('以所选受理海事机构政务中心公布的地址和办公时间为准');

    await fire(page, '.guide__pick-agency', 'tap');
    await flush();
    const picker = page.querySelector('.guide__agency-picker');
    expect(server.called('GET /catalog/items/TH-002/agencies')).toHaveLength(1);
    await fire(picker, '.agency-picker__child', 'click');
    await fire(picker, '.agency-picker__child', 'click');
    await fire(picker, '.agency-picker__child', 'click');
    expect(text(picker)).toContain('当前选择日照石臼海事处');
    await fire(picker, '.agency-picker__ok', 'tap');
    await flush();

    expect(server.called('GET /catalog/items/TH-002').map((req) => req.query)).toEqual([{}, { agency: 'SD-RZ-SJ' }]);
    expect(page.instance.data.pickerVisible).toBe(false);
    const t = text(page);
    expect(t).toContain('受理机构日照石臼海事处');
    expect(t).toContain('受理地点日照市东港区海滨二路1号');
    expect(t).toContain('办理时间工作日 8:30-12:00，13:30-17:00');
    expect(page.instance.data.localRows.map((r) => r.label)).toEqual(['受理地点', '办理时间', '咨询电话']);
    expect(t).toContain('受理地点：日照市东港区海滨二路1号；办理时间：工作日 8:30-12:00，13:30-17:00');
    expect(t).toContain('咨询电话0633-8000000');
    expect(t).not.toContain('以所选受理海事机构');
  });

  test('an unknown item', async () => {
    installFakeServer(wx, { 'GET /catalog/items/NOPE': problem(404, 'catalog.item_not_found', '未找到该事项') });
    const page = await loadPage('pages/guide/index', { code: 'NOPE' });
    expect(page.instance.data.notFound).toBe(true);
  });
});

describe('便民查询', () => {
  test('办件查询 without login opens 办件信息', async () => {
    const server = installFakeServer(wx, {
      'POST /public/progress': {
        application_no: 'HS20260515000001', status: shapes.status('submitted'), item: shapes.coded('WF-002', '不合规燃油信息报告'),
        agency: '上海海事局', submitted_at: '2026-05-15T01:40:00Z', timeline: [{
          occurred_at: '2026-05-15T01:40:00Z', action: shapes.coded('submit', '提交'), actor: '申请人', status: shapes.status('submitted'), comment: null,
        }],
      },
    });
    const page = await loadPage('pages/progress/index');
    await fire(page, '.progress__query', 'tap');
    expect(page.instance.data.errors).toEqual({ applicationNo: '请输入申请编号', phone: '请输入正确的11位手机号码' });
    page.instance.setData({ applicationNo: 'HS20260515000001', phone: '13800138000' });
    await page.instance.onQuery();
    expect(server.calls[0].data).toEqual({ application_no: 'HS20260515000001', phone: '13800138000' });
    expect(server.calls[0].header.Authorization).toBeUndefined();
    expect(wx.navigateTo).toHaveBeenLastCalledWith(expect.objectContaining({ url: '/pages/progress-result/index' }));
    const result = await loadPage('pages/progress-result/index');
    const t = text(result);
    ['HS20260515000001', '不合规燃油信息报告', '上海海事局', '待受理', '2026-05-15 09:40'].forEach((s) => expect(t).toContain(s));
  });

  test('办件查询 with a wrong number or phone says nothing was found', async () => {
    installFakeServer(wx, { 'POST /public/progress': problem(404, 'application.not_found', '未查询到办件') });
    const page = await loadPage('pages/progress/index');
    page.instance.setData({ applicationNo: 'X', phone: '13800138000' });
    await page.instance.onQuery();
    expect(text(page)).toContain('未查询到办件信息');
    expect(wx.showToast).not.toHaveBeenCalled();
  });

  test('证书查询 shows type, validity, issuer and the masked holder', async () => {
    installFakeServer(wx, {
      'POST /public/certificate-lookup': {
        type: shapes.coded('SEAFARER_PASSPORT', '中华人民共和国海员证'), title: '中华人民共和国海员证', number: 'A12345678',
        issued_on: '2025-01-01', expires_on: '2030-01-01', agency: shapes.agencyRef(), holder_name: '张*三', status: shapes.coded('valid', '有效'),
      },
    });
    const page = await loadPage('pages/cert-lookup/index');
    page.instance.setData({ certificateNo: 'A12345678', holderName: '张小三' });
    await page.instance.onQuery();
    await flush();
    const t = text(page);
    ['中华人民共和国海员证', 'A12345678', '2030-01-01', '上海海事局', '张*三'].forEach((s) => expect(t).toContain(s));
  });
});
