/**
 * 办事指南 of an application (issue 19): 办件详情 offers the guide the application was submitted
 * under, with its dataset version; the guide page shows that version as the server keeps it for
 * the application (filled in for its 受理机构), not the item's current guide, with the same
 * rendering as the live guide, no 在线办理 and no agency picker.
 * Every reply of the fake server has the shape the API documents (openapi.json).
 */
const { loadPage, text, fire, flush } = require('../helpers/simulate');
const { installFakeServer, problem } = require('../helpers/server');
const { signIn } = require('../helpers/session');
const shapes = require('../helpers/shapes');

const GUIDE = {
  item_name: '通航水域岸线安全使用许可', basic_code: '以国家政务服务平台事项目录公布为准', item_type: '行政许可',
  sub_items: [], industry: '交通运输部海事局', exercise_level: '市级', implementing_agency: '分支海事局、海事处',
  accepting_department: '政务中心', applicant: '岸线使用单位', legal_basis: ['《中华人民共和国海上交通安全法》'],
  acceptance_conditions: ['岸线使用符合港口规划'], materials: [{ name: '申请书', required: true, original_or_copy: '原件',
    medium: '电子版或纸质版', copies: 1, form: '统一格式', notes: '' }], process: [{ step: '受理', description: '窗口受理' }],
  statutory_time_limit: '20个工作日', promised_time_limit: '10个工作日', result: '许可决定书', fee: '不收费',
  location_and_hours: '受理地点：日照市东港区海滨二路1号；办理时间：工作日 8:30-12:00，13:30-17:00', consult_phone: '0633-8000000',
  supervision_phone: '12328', min_visits: 0, online: '全程网办', responsible_office: '通航管理科',
};

/** ApplicationGuide: version 7, as the application was submitted to 日照石臼海事处. */
const SUBMITTED_UNDER = {
  version: 7, item_code: 'TH-002', item_name: '通航水域岸线安全使用许可',
  agency: { code: 'SD-RZ-SJ', name: '日照石臼海事处', address: '日照市东港区海滨二路1号', phone: '0633-8000000' },
  guide: GUIDE,
};

/** What 办件详情 asks besides the application (the 订阅消息 template, the online items). */
const DETAIL_PAGE = {
  'GET /me/notifications/subscription': { template_id: null, remaining: 0 },
  'GET /online-items': [],
};

const submitted = (over) => shapes.application(Object.assign({
  id: 'a1', number: 'HS20260515000001', item: shapes.coded('TH-002', '通航水域岸线安全使用许可'), status: 'submitted',
  submitted_at: shapes.T, version: 3, allowed_actions: ['cancel'],
}, over));

describe('办件详情 → 办事指南', () => {
  beforeEach(() => signIn('corporate'));

  test('a submitted application offers 办事指南 noted with the version it was submitted under, and opens it', async () => {
    const server = installFakeServer(wx, Object.assign({
      'GET /applications/a1': submitted(),
      'GET /applications/a1/guide': SUBMITTED_UNDER,
    }, DETAIL_PAGE));
    const page = await loadPage('pages/application/index', { id: 'a1' });
    await flush(20);
    expect(server.called('GET /applications/a1/guide')).toHaveLength(1);
    expect(page.instance.data.guideNote).toBe('提交时第 7 版');
    expect(text(page)).toContain('办事指南');
    expect(text(page)).toContain('提交时第 7 版');
    await fire(page, '.app__guide', 'click');
    expect(wx.navigateTo).toHaveBeenLastCalledWith(expect.objectContaining({ url: '/pages/guide/index?application=a1' }));
  });

  test('a draft offers 办事指南 without a version (it has none yet) and asks nothing for it', async () => {
    const server = installFakeServer(wx, Object.assign({
      'GET /applications/d1': shapes.application({ id: 'd1', allowed_actions: ['edit', 'submit', 'discard'] }),
    }, DETAIL_PAGE));
    const page = await loadPage('pages/application/index', { id: 'd1' });
    await flush(20);
    expect(server.called('GET /applications/d1/guide')).toHaveLength(0);
    expect(page.instance.data.guideNote).toBe('');
    expect(text(page)).not.toContain('提交时第');
    await fire(page, '.app__guide', 'click');
    expect(wx.navigateTo).toHaveBeenLastCalledWith(expect.objectContaining({ url: '/pages/guide/index?application=d1&draft=1' }));
  });

  test('the version missing (the server failed) leaves the row without a note and no toast', async () => {
    installFakeServer(wx, Object.assign({
      'GET /applications/a1': submitted(),
      'GET /applications/a1/guide': problem(404, 'application.not_found', '未找到该办件'),
    }, DETAIL_PAGE));
    const page = await loadPage('pages/application/index', { id: 'a1' });
    await flush(20);
    expect(page.instance.data.guideNote).toBe('');
    expect(text(page)).toContain('办事指南');
    expect(wx.showToast).not.toHaveBeenCalled();
  });
});

describe('办事指南 of an application', () => {
  beforeEach(() => signIn('corporate'));

  test('shows the guide as submitted (version 7), not the item\'s current one, with its agency fixed and no 在线办理', async () => {
    const server = installFakeServer(wx, {
      'GET /applications/a1/guide': SUBMITTED_UNDER,
      // What a later publish says today: the page must not show it.
      'GET /catalog/items/TH-002': {
        code: 'TH-002', name: '通航水域岸线安全使用许可', online: true, aliases: [], business: { code: 'navigation', label: '通航管理' },
        nature: { code: 'licensing', label: '行政许可' }, audience: [{ code: 'corporate', label: '法人办事' }],
        handling_levels: [{ code: 'office', label: '海事处' }], source: '交通运输部海事局政务服务事项清单',
        guide: Object.assign({}, GUIDE, { promised_time_limit: '5个工作日' }), local_details: null,
      },
    });
    const page = await loadPage('pages/guide/index', { application: 'a1' });
    const t = text(page);
    expect(server.called('GET /applications/a1/guide')).toHaveLength(1);
    expect(server.called('GET /catalog/items/TH-002')).toHaveLength(0);
    expect(t).toContain('以下为该办件提交时（第 7 版）的办事指南，之后的调整不影响本办件');
    expect(wx.setNavigationBarTitle).toHaveBeenCalledWith({ title: '通航水域岸线安全使用许可' });
    // the same rendering as the live guide: every field, the materials table, the process
    ['事项名称', '基本编码', '受理条件', '岸线使用符合港口规划', '承诺办结时限10个工作日', '收费标准不收费',
      '办理地点、时间受理地点：日照市东港区海滨二路1号；办理时间：工作日 8:30-12:00，13:30-17:00', '咨询电话0633-8000000',
      '申请材料', '申请书', '必须', '样表：统一格式', '办理流程', '窗口受理'].forEach((s) => expect(t).toContain(s));
    expect(t).not.toContain('5个工作日');
    // the application's agency, as that version recorded it; nothing to pick, nothing to apply for
    expect(t).toContain('受理机构日照石臼海事处');
    expect(t).toContain('地址日照市东港区海滨二路1号');
    expect(t).toContain('电话0633-8000000');
    expect(page.querySelector('.guide__pick-agency')).toBeFalsy();
    expect(page.querySelector('.guide__agency-picker')).toBeFalsy();
    expect(page.querySelector('.guide__apply')).toBeFalsy();
    expect(t).not.toContain('在线办理');
    expect(t).not.toContain('选择受理机构');
  });

  test('a draft\'s guide is the current version and says it is not fixed until 提交', async () => {
    installFakeServer(wx, { 'GET /applications/d1/guide': Object.assign({}, SUBMITTED_UNDER, { version: 9 }) });
    const page = await loadPage('pages/guide/index', { application: 'd1', draft: '1' });
    const t = text(page);
    expect(t).toContain('该办件尚未提交，以下为现行（第 9 版）办事指南，提交后以提交时的版本为准');
    expect(t).not.toContain('之后的调整不影响本办件');
  });

  test('an agency without address or phone on record shows its name only', async () => {
    installFakeServer(wx, {
      'GET /applications/a1/guide': Object.assign({}, SUBMITTED_UNDER, { agency: { code: 'SH', name: '上海海事局', address: null, phone: null } }),
    });
    const page = await loadPage('pages/guide/index', { application: 'a1' });
    expect(page.instance.data.localRows).toEqual([]);
    expect(text(page)).toContain('受理机构上海海事局');
  });

  test('an application that is not the user\'s (404) says so, as the request layer does', async () => {
    installFakeServer(wx, { 'GET /applications/zz/guide': problem(404, 'application.not_found', '未找到该办件') });
    const page = await loadPage('pages/guide/index', { application: 'zz' });
    expect(page.instance.data.notFound).toBe(true);
    expect(text(page)).toContain('未找到该办件');
    expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '未找到该办件' }));
  });

  test('a network failure says so and 点击重试 loads the guide again', async () => {
    const server = installFakeServer(wx, { 'GET /applications/a1/guide': SUBMITTED_UNDER });
    wx.request.mockImplementationOnce((p) => {
      Promise.resolve().then(() => p.fail({ errMsg: 'request:fail timeout' }));
      return { abort: jest.fn() };
    });
    const page = await loadPage('pages/guide/index', { application: 'a1' });
    expect(page.instance.data.failed).toBe('网络异常，请检查网络后重试');
    expect(text(page)).toContain('办事指南加载失败');
    expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '网络异常，请检查网络后重试' }));
    await fire(page, '.guide__retry', 'tap');
    await flush();
    expect(server.called('GET /applications/a1/guide')).toHaveLength(1);
    expect(page.instance.data.failed).toBe('');
    expect(text(page)).toContain('以下为该办件提交时（第 7 版）的办事指南');
  });
});
