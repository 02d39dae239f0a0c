/**
 * 个人中心 pages: 我的办件 (status filters, actions, detail with timeline and notices), 我的证照
 * (亮证 with QR refresh, 证照纠错, 我的纠错), 我的材料 (thumbnails, 查看, 删除, 上传材料),
 * 我的消息, 帮助指引, 好差评 and 我的评价.
 */
const { loadPage, loadPageOfficial, text, fire, flush } = require('../helpers/simulate');
const { installFakeServer } = require('../helpers/server');
const { signIn } = require('../helpers/session');
const store = require('../../utils/store');

const shapes = require('../helpers/shapes');

const app = (over) => shapes.summary(Object.assign({ number: 'HS20260515000001', allowed_actions: ['cancel'] }, over));
const page20 = (items) => ({ items, next_cursor: null });
const appsServer = (routes) => installFakeServer(wx, Object.assign({
  'GET /me/notifications/subscription': { template_id: null, remaining: 0 },
}, routes));

beforeEach(() => signIn('corporate'));

describe('我的办件', () => {
  test('filters by status and shows the actions the server allows', async () => {
    const server = appsServer({
      'GET /me/applications': (req) => page20(req.query.status === 'draft'
        ? [app({ id: 'd1', status: 'draft', number: null, submitted_at: null, allowed_actions: ['edit', 'submit', 'discard'] })]
        : [app(), app({ id: 'a2', item: shapes.coded('WF-001', '应急预案备案'), status: 'accepted', allowed_actions: ['withdraw'], after_submit: 'withdraw' })]),
    });
    const page = await loadPage('pages/applications/index', {});
    const t = text(page);
    ['全部', '待提交', '待受理', '已受理', '待补正', '已办结', '已撤回', 'HS20260515000001', '上海海事局', '2026-05-15 09:40', '取消', '撤回']
      .forEach((s) => expect(t).toContain(s));
    await fire(page, '.apps__status', 'change', { value: 'draft' });
    expect(server.called('GET /me/applications').pop().query).toMatchObject({ status: 'draft' });
    expect(text(page)).toContain('编辑');
    expect(text(page)).toContain('删除');
    await fire(page, '.apps__action', 'tap');
    expect(wx.navigateTo).toHaveBeenLastCalledWith(expect.objectContaining({ url: '/pages/apply/index?id=d1' }));
  });

  test('取消 a submitted application (with its current version) and reload', async () => {
    const server = appsServer({
      'GET /me/applications': page20([app()]),
      'GET /applications/a1': shapes.application({ status: 'submitted', version: 5, allowed_actions: ['cancel'] }),
      'POST /applications/a1/cancel': shapes.application({ status: 'cancelled', version: 6, allowed_actions: ['edit', 'submit'] }),
    });
    const page = await loadPage('pages/applications/index', { status: 'submitted' });
    expect(server.called('GET /me/applications')[0].query.status).toBe('submitted');
    await fire(page, '.apps__action', 'tap');
    expect(server.called('POST /applications/a1/cancel')[0].header['If-Match']).toBe('5');
    expect(server.called('GET /me/applications')).toHaveLength(2);
  });

  test('no rule is taken from the status: a list entry acts only from allowed_actions', async () => {
    const server = appsServer({
      'GET /me/applications': page20([
        app({ id: 'b1', status: 'submitted', allowed_actions: ['withdraw'], after_submit: 'withdraw' }),
        app({ id: 'b2', status: 'draft', allowed_actions: [] }),
        app({ id: 'b3', status: 'approved', allowed_actions: [], evaluated: true }),
      ]),
      'GET /applications/b1': shapes.application({ id: 'b1', status: 'submitted', version: 7, allowed_actions: ['withdraw'] }),
      'POST /applications/b1/withdraw': shapes.application({ id: 'b1', status: 'withdrawn', version: 8 }),
    });
    const page = await loadPage('pages/applications/index', {});
    const [submitted, draft, approved] = page.instance.data.items;
    expect(submitted.actions.map((a) => a.label)).toEqual(['撤回']);
    expect(draft.actions).toEqual([]);
    expect(approved.actions).toEqual([]);
    await fire(page, '.apps__action', 'tap');
    expect(server.called('POST /applications/b1/withdraw')[0].header['If-Match']).toBe('7');
  });

  test('the actions act on their own application, never on the one at the loop index (official WXML compiler)', async () => {
    // WeChat's compiler binds `index` inside a nested wx:for to the inner loop: data-index of
    // an action button was the action's position, so 编辑 on the 2nd draft opened the 1st and
    // 删除 on the 1st draft deleted the 3rd. The default simulate compiler hides this.
    const drafts = ['d1', 'd2', 'd3'].map((id) => app({ id, status: 'draft', number: null, allowed_actions: ['edit', 'submit', 'discard'] }));
    const server = appsServer({
      'GET /me/applications': page20(drafts),
      'GET /applications/d1': shapes.application({ id: 'd1', version: 3, allowed_actions: ['edit', 'submit', 'discard'] }),
      'DELETE /applications/d1': () => undefined,
    });
    const page = await loadPageOfficial('pages/applications/index', {});
    expect(page.querySelectorAll('.apps__item')).toHaveLength(3);
    // 编辑 提交 删除 on each of the three cards
    const buttons = page.querySelectorAll('.apps__action');
    expect(buttons.map((b) => b.dom.textContent.trim())).toEqual(['编辑', '提交', '删除', '编辑', '提交', '删除', '编辑', '提交', '删除']);
    await fire(page, buttons[3], 'tap');
    expect(wx.navigateTo).toHaveBeenLastCalledWith(expect.objectContaining({ url: '/pages/apply/index?id=d2' }));
    await fire(page, buttons[2], 'tap');
    expect(server.called('DELETE /applications/d1')).toHaveLength(1);
    expect(server.called('DELETE /applications/d3')).toHaveLength(0);
  });

  test('我要评 lists the finished applications, rated ones marked 已评价, 评价 where the server allows it', async () => {
    const server = appsServer({
      'GET /me/applications': page20([
        app({ id: 'f1', status: 'approved', allowed_actions: ['evaluate'] }),
        app({ id: 'f2', status: 'rejected', allowed_actions: ['evaluate'] }),
        app({ id: 'f3', status: 'declined', allowed_actions: [], evaluated: true }),
      ]),
    });
    const home = await loadPage('pages/home/index');
    await fire(home, home.querySelectorAll('.home__tile')[home.querySelectorAll('.home__tile').length - 1], 'tap');
    expect(wx.navigateTo).toHaveBeenLastCalledWith(expect.objectContaining({ url: '/pages/applications/index?finished=true' }));
    const page = await loadPage('pages/applications/index', { finished: 'true' });
    expect(server.called('GET /me/applications')[0].query).toMatchObject({ finished: 'true' });
    expect(server.called('GET /me/applications')[0].query.status).toBeUndefined();
    expect(wx.setNavigationBarTitle).toHaveBeenCalledWith({ title: '我要评' });
    const [approved, rejected, declined] = page.instance.data.items;
    expect(approved.actions.map((a) => a.label)).toEqual(['评价']);
    expect(rejected.actions.map((a) => a.label)).toEqual(['评价']);
    expect(declined.actions).toEqual([]);
    expect(page.querySelectorAll('.apps__evaluated')).toHaveLength(1);
    expect(text(page)).toContain('已评价');
    await fire(page, page.querySelectorAll('.apps__action')[1], 'tap');
    expect(wx.navigateTo).toHaveBeenLastCalledWith(expect.objectContaining({ url: expect.stringContaining('/pages/evaluate/index?id=f2') }));
  });

  test('查看通知书 on a list entry (view_notice) opens its 受理通知书; actions the app does not know show nothing', async () => {
    const server = appsServer({
      'GET /me/applications': page20([
        app({ id: 'v1', status: 'accepted', allowed_actions: ['withdraw', 'view_notice', 'print_receipt'], after_submit: 'withdraw' }),
      ]),
      'GET /applications/v1/notices': [
        { id: 'n1', number: 'SL2026001', issued_at: '2026-05-16T01:00:00Z', kind: shapes.coded('acceptance', '受理通知书') },
      ],
      'GET /applications/v1/notices/n1': {},
    });
    const page = await loadPage('pages/applications/index', {});
    const buttons = page.querySelectorAll('.apps__action');
    expect(buttons.map((b) => b.dom.textContent.trim())).toEqual(['撤回', '查看通知书']);
    await fire(page, buttons[1], 'tap');
    expect(server.called('GET /applications/v1/notices')).toHaveLength(1);
    expect(wx.downloadFile.mock.calls[0][0].url).toContain('/applications/v1/notices/n1');
    expect(wx.openDocument).toHaveBeenCalledWith(expect.objectContaining({ fileType: 'pdf' }));
    // nothing changed: the list is not reloaded
    expect(server.called('GET /me/applications')).toHaveLength(1);
  });

  test('提交 of a 补正 from the list asks for 订阅消息 and records the acceptance', async () => {
    wx.requestSubscribeMessage.mockImplementation((p) => p.success({ 'tmpl-status': 'accept' }));
    const server = appsServer({
      'GET /me/notifications/subscription': { template_id: 'tmpl-status', remaining: 0 },
      'POST /me/notifications/subscription': { template_id: 'tmpl-status', remaining: 1 },
      'GET /me/applications': page20([app({ status: 'supplement_required', allowed_actions: ['edit', 'submit'] })]),
      'GET /applications/a1': shapes.application({ status: 'supplement_required', version: 4, allowed_actions: ['edit', 'submit'] }),
      'POST /applications/a1/submit': shapes.application({ status: 'submitted', version: 5 }),
    });
    const page = await loadPage('pages/applications/index', {});
    await flush();
    await fire(page, page.querySelectorAll('.apps__action')[1], 'tap');
    expect(server.called('POST /applications/a1/submit')[0].header['If-Match']).toBe('4');
    expect(wx.requestSubscribeMessage.mock.calls[0][0].tmplIds).toEqual(['tmpl-status']);
    expect(server.called('POST /me/notifications/subscription')[0].data).toEqual({ template_id: 'tmpl-status', accepted: 1 });
  });

  test('办件详情 shows the timeline, the notices, 查看通知书 and 评价 as the server offers them', async () => {
    const notices = [
      { id: 'n1', number: 'SL2026001', issued_at: '2026-05-16T01:00:00Z', kind: shapes.coded('acceptance', '受理通知书') },
      { id: 'n2', number: 'BA2026001', issued_at: '2026-05-18T01:00:00Z', kind: shapes.coded('filing_certificate', '备案证明') },
    ];
    const entry = (action, status, at, actor, comment) => ({
      action: shapes.coded(action[0], action[1]), status: shapes.status(status), occurred_at: at, actor, comment: comment || null,
    });
    appsServer({
      'GET /applications/a1': shapes.application({
        number: 'HS20260515000001', status: 'approved', allowed_actions: ['view_notice', 'evaluate'], notices,
        timeline: [
          entry(['submit', '提交'], 'submitted', '2026-05-15T01:40:00Z', '示例航运'),
          entry(['accept', '受理'], 'accepted', '2026-05-16T01:00:00Z', '上海海事局', '材料齐全，予以受理'),
          entry(['approve', '办结'], 'approved', '2026-05-18T01:00:00Z', '上海海事局'),
        ],
      }),
      'GET /applications/a1/notices/n2': {},
      'GET /applications/a1/notices/n1': {},
      'GET /online-items': require('../fixtures/online-items.json'),
    });
    const page = await loadPage('pages/application/index', { id: 'a1' });
    const t = text(page);
    ['不合规燃油信息报告', '已办结', 'HS20260515000001', '办理过程', '待受理', '材料齐全，予以受理', '受理通知书', '备案证明', '评价']
      .forEach((s) => expect(t).toContain(s));
    await fire(page, page.querySelectorAll('.app__notice')[1], 'click');
    expect(wx.downloadFile.mock.calls[0][0].url).toContain('/applications/a1/notices/n2');
    expect(wx.downloadFile.mock.calls[0][0].header.Accept).toBe('application/pdf');
    expect(wx.openDocument).toHaveBeenCalled();
    const actions = page.querySelectorAll('.app__action');
    expect(actions.map((a) => a.dom.textContent.trim())).toEqual(['查看通知书', '评价']);
    // 查看通知书 offers both notices, 受理通知书 first (as the manual shows it)
    await fire(page, actions[0], 'tap');
    expect(wx.showActionSheet).toHaveBeenLastCalledWith(expect.objectContaining({ itemList: ['受理通知书', '备案证明'] }));
    expect(wx.downloadFile.mock.calls[1][0].url).toContain('/applications/a1/notices/n1');
    await fire(page, actions[1], 'tap');
    expect(wx.navigateTo).toHaveBeenLastCalledWith(expect.objectContaining({ url: expect.stringContaining('/pages/evaluate/index?id=a1') }));
  });
});

const correction = (over) => Object.assign({
  id: 'k1', certificate: { id: 'c1', number: 'A12345678', title: '海员证', type: shapes.coded('SEAFARER_PASSPORT', '中华人民共和国海员证') },
  field: shapes.coded('birth_date', '出生日期'), proposed_value: '1990-01-02', reason: '录入错误', status: shapes.coded('pending', '待处理'),
  old_value: null, comment: null, materials: [], created_at: '2026-05-15T01:00:00Z', decided_at: null,
}, over);

describe('我的证照', () => {
  test('亮证 shows the QR code and renews it before it expires', async () => {
    jest.useFakeTimers({ now: new Date('2026-05-15T01:00:00Z') });
    try {
      let n = 0;
      const server = installFakeServer(wx, {
        'GET /me/certificates/c1': shapes.certificateDetail(),
        'POST /me/certificates/c1/display-token': () => {
          n += 1;
          return {
            token: `tok${n}`, key_id: 'k1', qr_svg: `<svg xmlns="http://www.w3.org/2000/svg"><text>${n}</text></svg>`,
            expires_at: new Date(Date.now() + 120000).toISOString(), expires_in: 120,
          };
        },
      });
      const page = await loadPage('pages/cert-display/index', { id: 'c1' });
      expect(page.instance.data.token).toBe('tok1');
      expect(page.instance.data.qr).toMatch(/^data:image\/svg\+xml;base64,/);
      expect(page.instance.data.remaining).toBe(120);
      await jest.advanceTimersByTimeAsync(60000);
      expect(page.instance.data.remaining).toBe(60);
      expect(server.called('POST /me/certificates/c1/display-token')).toHaveLength(1);
      await jest.advanceTimersByTimeAsync(46000);
      expect(server.called('POST /me/certificates/c1/display-token')).toHaveLength(2);
      expect(page.instance.data.token).toBe('tok2');
      expect(page.instance.data.remaining).toBeGreaterThan(100);
      page.instance.onHide();
      await jest.advanceTimersByTimeAsync(300000);
      expect(server.called('POST /me/certificates/c1/display-token')).toHaveLength(2);
    } finally {
      jest.useRealTimers();
    }
  });

  test('the list opens 亮证 and 纠错 from each card', async () => {
    installFakeServer(wx, { 'GET /me/certificates': page20([
      shapes.certificateCard({ type: shapes.coded('SEAFARER_COC_SEA', '海船船员适任证书'), title: '海船船员适任证书' }),
    ]) });
    const page = await loadPage('pages/certificates/index');
    expect(text(page)).toContain('海船船员适任证书');
    await fire(page, '.certs__item >>> .cert__qr', 'tap');
    expect(wx.navigateTo).toHaveBeenLastCalledWith(expect.objectContaining({ url: '/pages/cert-display/index?id=c1' }));
    await fire(page, '.certs__item >>> .cert__correct', 'tap');
    expect(wx.navigateTo).toHaveBeenLastCalledWith(expect.objectContaining({ url: '/pages/cert-correction/index?id=c1' }));
    await fire(page, '.certs__item >>> .cert', 'tap');
    expect(wx.navigateTo).toHaveBeenLastCalledWith(expect.objectContaining({ url: '/pages/certificate/index?id=c1' }));
  });

  test('证照纠错 posts the field, the correct value, the reason and the material, then shows 我的纠错', async () => {
    const server = installFakeServer(wx, {
      'GET /me/certificates/c1': shapes.certificateDetail({
        title: '海员证',
        fields: [{ key: 'birth_date', label: '出生日期', value: '1990-01-01' }],
        correctable_fields: [{ key: 'birth_date', label: '出生日期', choices: null }],
      }),
      'POST /me/certificates/c1/corrections': correction(),
      'GET /me/corrections': page20([correction()]),
    });
    const page = await loadPage('pages/cert-correction/index', { id: 'c1' });
    await fire(page, '.cc__submit', 'tap');
    expect(page.instance.data.errors).toMatchObject({ field: '请选择纠错项', reason: '请输入纠错原因' });
    await fire(page, '.cc__field', 'change', { value: '0' });
    expect(text(page)).toContain('1990-01-01');
    page.instance.setData({ proposedValue: '1990-01-02', reason: '录入错误', material: { id: 'm1' } });
    await page.instance.onSubmit();
    expect(server.called('POST /me/certificates/c1/corrections')[0].data).toEqual({
      field: 'birth_date', proposed_value: '1990-01-02', reason: '录入错误', material_ids: ['m1'],
    });
    expect(wx.redirectTo).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/corrections/index' }));
    const list = await loadPage('pages/corrections/index');
    ['海员证', '出生日期', '1990-01-02', '待处理'].forEach((s) => expect(text(list)).toContain(s));
  });
});

describe('我的材料', () => {
  test('lists materials with thumbnails; 查看 and 删除', async () => {
    const server = installFakeServer(wx, {
      'GET /me/materials': { items: [
        shapes.material({ id: 'm1', name: '营业执照.jpg', file_type: 'jpeg', content_type: 'image/jpeg', size: 2048, is_image: true, has_thumbnail: true }),
        shapes.material({ id: 'm2', name: '应急预案.pdf', size: 3 * 1024 * 1024 }),
      ], next_cursor: null },
      'GET /me/materials/m1/content': {},
      'GET /me/materials/m2/content': {},
      'DELETE /me/materials/m2': () => undefined,
    });
    const page = await loadPage('pages/materials/index');
    await flush();
    expect(text(page)).toContain('营业执照');
    expect(text(page)).toContain('3.0MB');
    expect(page.instance.data.items[0].thumb).toMatch(/^wxfile:/);
    expect(server.called('GET /me/materials/m1/content')[0].query).toEqual({ variant: 'thumbnail' });
    expect(server.called('GET /me/materials/m2/content')).toHaveLength(0);
    const views = page.querySelectorAll('.mat__op');
    await fire(page, views[2], 'tap');
    expect(wx.openDocument).toHaveBeenCalledWith(expect.objectContaining({ fileType: 'pdf' }));
    await fire(page, views[3], 'tap');
    expect(server.called('DELETE /me/materials/m2')).toHaveLength(1);
    expect(page.instance.data.items.map((m) => m.id)).toEqual(['m1']);
    page.instance.onUpload();
    expect(wx.navigateTo).toHaveBeenLastCalledWith(expect.objectContaining({ url: '/pages/material-upload/index' }));
  });

  test('新增材料: 上传文件 from a chat with a name, with progress', async () => {
    const server = installFakeServer(wx, { 'POST /me/materials': shapes.material({ id: 'm3', name: '检测报告' }) });
    global.getCurrentPages.mockReturnValue([{}, {}]);
    const page = await loadPage('pages/material-upload/index');
    expect(text(page)).toContain('上传图片');
    expect(text(page)).toContain('上传文件');
    await fire(page, '.mu__source', 'change', { value: 'file' });
    page.instance.setData({ name: '检测报告' });
    await fire(page, '.mu__pick', 'tap');
    expect(wx.chooseMessageFile).toHaveBeenCalled();
    const [call] = server.called('POST /me/materials');
    expect(call.data).toEqual({ filePath: 'wxfile://tmp/doc.pdf', name: 'file', formData: { name: '检测报告' } });
    expect(page.instance.data.progress).toBe(100);
    expect(wx.navigateBack).toHaveBeenCalled();
  });
});

describe('我的消息', () => {
  test('opening a message marks it read; 全部已读', async () => {
    const server = installFakeServer(wx, {
      'GET /me/messages': { items: [
        { id: 'x1', category: 'application', title: '办件已受理', body: '您的办件已受理', read: false, subject_type: 'application', subject_id: 'a1', created_at: '2026-05-15T01:00:00Z' },
        { id: 'x2', category: 'application', title: '办件已提交', body: '已提交', read: true, subject_type: 'application', subject_id: 'a1',
          created_at: '2026-05-14T01:00:00Z' },
      ] },
      'POST /me/messages/x1/read': { id: 'x1', category: 'application', title: '办件已受理', body: '您的办件已受理', read: true,
        subject_type: 'application', subject_id: 'a1', created_at: '2026-05-15T01:00:00Z' },
      'POST /me/messages/read-all': () => undefined,
      'GET /me/messages/unread-count': { unread: 0 },
    });
    store.set('unread', 1);
    const page = await loadPage('pages/messages/index');
    expect(text(page)).toContain('办件已受理');
    await fire(page, '.msg__item', 'tap');
    await flush();
    expect(server.called('POST /me/messages/x1/read')).toHaveLength(1);
    expect(page.instance.data.items[0].read).toBe(true);
    expect(store.get('unread')).toBe(0);
    expect(wx.navigateTo).toHaveBeenLastCalledWith(expect.objectContaining({ url: '/pages/application/index?id=a1' }));
    await fire(page, '.msg__read-all', 'tap');
    expect(server.called('POST /me/messages/read-all')).toHaveLength(1);
  });
});

describe('帮助指引', () => {
  test('articles by category, and an article rendered from Markdown', async () => {
    installFakeServer(wx, {
      'GET /help/articles': { items: [
        { id: 'getting-started', category: '使用入门', title: '如何访问小程序', summary: '入口' },
        { id: 'register-personal', category: '登录注册', title: '个人用户注册', summary: '注册' },
      ], next_cursor: null },
      'GET /help/articles/getting-started': { id: 'getting-started', category: '使用入门', title: '如何访问小程序', summary: '', body: '**访问方式**\n1. 打开微信' },
    });
    signIn('personal');
    const page = await loadPage('pages/help/index');
    ['使用入门', '登录注册', '个人用户注册', '4000100220'].forEach((s) => expect(text(page)).toContain(s));
    await fire(page, '.help__article', 'click');
    expect(wx.navigateTo).toHaveBeenLastCalledWith(expect.objectContaining({ url: '/pages/help-article/index?id=getting-started' }));
    const article = await loadPage('pages/help-article/index', { id: 'getting-started' });
    expect(article.instance.data.html).toContain('<strong>访问方式</strong>');
  });
});

const evaluation = (over) => Object.assign({
  id: 'e1', application_id: 'a1', application_no: 'HS20260515000001', item: shapes.coded('WF-002', '不合规燃油信息报告'),
  agency: shapes.coded('SH', '上海海事局'), rating: shapes.coded('2', '不满意'), is_bad: true, tags: ['办理时间长'], comment: '等了很久',
  created_at: '2026-05-20T01:00:00Z',
}, over);

describe('好差评', () => {
  test('不满意 needs a comment; the evaluation is posted and 我的评价 lists it', async () => {
    const server = installFakeServer(wx, {
      'POST /applications/a1/evaluation': evaluation(),
      'GET /me/evaluations': page20([evaluation()]),
    });
    const page = await loadPage('pages/evaluate/index', { id: 'a1', name: encodeURIComponent('不合规燃油信息报告') });
    expect(text(page)).toContain('不合规燃油信息报告');
    await fire(page, '.ev__submit', 'tap');
    expect(page.instance.data.error).toBe('请选择评价等级');
    await fire(page, '.ev__stars', 'change', { value: 2 });
    expect(text(page)).toContain('不满意');
    expect(text(page)).toContain('请填写不满意的原因');
    await fire(page, '.ev__submit', 'tap');
    expect(page.instance.data.error).toBe('“不满意”请填写原因');
    expect(server.calls).toHaveLength(0);
    await fire(page, '.ev__tag', 'tap');
    await fire(page, '.ev__comment', 'change', { value: '等了很久' });
    await fire(page, '.ev__submit', 'tap');
    expect(server.calls[0].data).toEqual({ rating: 2, tags: ['办理时间长'], comment: '等了很久' });
    expect(wx.redirectTo).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/evaluations/index' }));
    const list = await loadPage('pages/evaluations/index');
    ['不合规燃油信息报告', '不满意', '办理时间长', '等了很久'].forEach((s) => expect(text(list)).toContain(s));
  });

  test('非常满意 needs nothing more', async () => {
    const server = installFakeServer(wx, { 'POST /applications/a1/evaluation': evaluation({ id: 'e2', rating: shapes.coded('5', '非常满意'), is_bad: false, tags: [], comment: null }) });
    const page = await loadPage('pages/evaluate/index', { id: 'a1' });
    await fire(page, '.ev__stars', 'change', { value: 5 });
    expect(text(page)).toContain('非常满意');
    await fire(page, '.ev__submit', 'tap');
    expect(server.calls[0].data).toEqual({ rating: 5 });
  });
});

describe('我的评价 and 我的纠错 in the API shapes (issue 13, defect 3)', () => {
  test('我的评价 shows the item, the agency, the rating label and the tags of EvaluationRead', async () => {
    installFakeServer(wx, {
      'GET /me/evaluations': page20([
        evaluation(),
        evaluation({ id: 'e2', item: shapes.coded('WF-001', '应急预案备案'), rating: shapes.coded('5', '非常满意'), is_bad: false, tags: [], comment: null }),
      ]),
    });
    const page = await loadPage('pages/evaluations/index');
    const [bad, good] = page.instance.data.items;
    expect(bad).toMatchObject({ itemName: '不合规燃油信息报告', agencyName: '上海海事局', rating: 2, ratingLabel: '不满意', bad: true });
    expect(good).toMatchObject({ itemName: '应急预案备案', rating: 5, ratingLabel: '非常满意', bad: false });
    const t = text(page);
    ['不合规燃油信息报告', '应急预案备案', 'HS20260515000001', '上海海事局', '不满意', '非常满意', '办理时间长', '等了很久', '2026-05-20 09:00']
      .forEach((s) => expect(t).toContain(s));
    expect(t).not.toContain('[object Object]');
  });

  test('我的评价 shows the agency\'s 回访整改 of a bad rating: its deadline while open, the rectification once closed', async () => {
    installFakeServer(wx, {
      'GET /me/evaluations': page20([
        evaluation({ follow_up: { state: shapes.coded('pending', '待回访'), due_on: '2026-10-27', rectification: null, closed_at: null } }),
        evaluation({ id: 'e2', rating: shapes.coded('1', '非常不满意'), follow_up: {
          state: shapes.coded('closed', '已完成'), due_on: '2026-06-10', rectification: '已对窗口人员开展一次性告知培训', closed_at: '2026-06-01T02:30:00Z',
        } }),
        evaluation({ id: 'e3', rating: shapes.coded('5', '非常满意'), is_bad: false, tags: [], comment: null, follow_up: null }),
      ]),
    });
    const page = await loadPage('pages/evaluations/index');
    const [open, closed, good] = page.instance.data.items;
    expect(open.followUp).toMatchObject({ state: '待回访', closed: false, due: '2026-10-27', result: '' });
    expect(closed.followUp).toMatchObject({ state: '已完成', closed: true, result: '已对窗口人员开展一次性告知培训', closedAt: '2026-06-01 10:30' });
    expect(good.followUp).toBeNull();
    const t = text(page);
    ['回访整改', '待回访', '受理机构将在 2026-10-27 前与您联系并整改', '已完成', '整改结果：已对窗口人员开展一次性告知培训', '完成时间：2026-06-01 10:30']
      .forEach((s) => expect(t).toContain(s));
  });

  test('我的纠错 shows the certificate, the field label and each status as decided (已更正 is not pending)', async () => {
    installFakeServer(wx, {
      'GET /me/corrections': page20([
        correction(),
        correction({ id: 'k2', status: shapes.coded('accepted', '已更正'), old_value: '1990-01-01', comment: '已核实更正',
          decided_at: '2026-05-16T01:00:00Z' }),
        correction({ id: 'k3', status: shapes.coded('rejected', '不予更正'), comment: '与档案一致', decided_at: '2026-05-16T01:00:00Z' }),
      ]),
    });
    const page = await loadPage('pages/corrections/index');
    const [pending, accepted, rejected] = page.instance.data.items;
    expect(pending).toMatchObject({ certificate: '海员证', certificateNo: 'A12345678', field: '出生日期', status: '待处理', theme: 'warning' });
    expect(accepted).toMatchObject({ status: '已更正', theme: 'success', oldValue: '1990-01-01', reply: '已核实更正' });
    expect(rejected).toMatchObject({ status: '不予更正', theme: 'danger', reply: '与档案一致' });
    const t = text(page);
    ['海员证', 'A12345678', '出生日期', '1990-01-02', '录入错误', '待处理', '已更正', '不予更正', '已核实更正', '2026-05-16 09:00']
      .forEach((s) => expect(t).toContain(s));
    expect(t).not.toContain('[object Object]');
  });
});

describe('个人中心 certificates (issue 13, defect 9)', () => {
  test('tapping a certificate card opens 证照详情', async () => {
    installFakeServer(wx, {
      'GET /me': require('../helpers/session').USERS.corporate,
      'GET /me/certificates': page20([shapes.certificateCard({ id: 'c7' })]),
      'GET /me/messages/unread-count': { unread: 0 },
    });
    const page = await loadPage('pages/mine/index');
    await flush();
    await fire(page, '.mine__cert >>> .cert', 'tap');
    expect(wx.navigateTo).toHaveBeenLastCalledWith(expect.objectContaining({ url: '/pages/certificate/index?id=c7' }));
    // 亮证 on the card still opens 亮证, not the detail
    await fire(page, '.mine__cert >>> .cert__qr', 'tap');
    expect(wx.navigateTo).toHaveBeenLastCalledWith(expect.objectContaining({ url: '/pages/cert-display/index?id=c7' }));
  });

  test('each card of the row opens its own certificate, once per tap', async () => {
    installFakeServer(wx, {
      'GET /me': require('../helpers/session').USERS.corporate,
      'GET /me/certificates': page20([shapes.certificateCard({ id: 'c1' }), shapes.certificateCard({ id: 'c2', number: 'B7654321' })]),
      'GET /me/messages/unread-count': { unread: 0 },
    });
    const page = await loadPage('pages/mine/index');
    await flush();
    const cards = page.querySelectorAll('.mine__cert');
    expect(cards).toHaveLength(2);
    wx.navigateTo.mockClear();
    await fire(cards[1], '.cert', 'tap');
    // one handler: a single navigation to the tapped card's 证照详情
    expect(wx.navigateTo.mock.calls.map(([p]) => p.url)).toEqual(['/pages/certificate/index?id=c2']);
    wx.navigateTo.mockClear();
    await fire(cards[0], '.cert__qr', 'tap');
    expect(wx.navigateTo.mock.calls.map(([p]) => p.url)).toEqual(['/pages/cert-display/index?id=c1']);
  });

  test('the card row is as tall as its cards: no fixed height or swiper that clips them', () => {
    const fs = require('fs');
    const path = require('path');
    const dir = path.join(__dirname, '../../pages/mine');
    const wxml = fs.readFileSync(path.join(dir, 'index.wxml'), 'utf8');
    const wxss = fs.readFileSync(path.join(dir, 'index.wxss'), 'utf8');
    // a swiper has a fixed height (150px by default) whatever its slides hold
    expect(wxml).not.toMatch(/<swiper[\s>]/);
    const rules = wxss.split('}').map((r) => r.split('{')).filter((r) => r.length === 2);
    const certRules = rules.filter(([selector]) => /mine__(certs|slide|cert|swiper)/.test(selector));
    expect(certRules.length).toBeGreaterThan(0);
    certRules.forEach(([selector, body]) => {
      expect({ selector, fixedHeight: /(^|[;\s])(max-)?height\s*:/.test(body), hidden: /overflow(-y)?\s*:\s*hidden/.test(body) })
        .toEqual({ selector, fixedHeight: false, hidden: false });
    });
  });
});
