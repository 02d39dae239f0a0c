/**
 * 个人中心 pages: 我的办件 (status filters, actions, detail with timeline and notices), 我的证照
 * (亮证 with QR refresh, 证照纠错, 我的纠错), 我的材料 (thumbnails, 查看, 删除, 上传材料),
 * 我的消息, 帮助指引, 好差评 and 我的评价.
 */
const { loadPage, text, fire, flush } = require('../helpers/simulate');
const { installFakeServer, problem } = require('../helpers/server');
const { signIn } = require('../helpers/session');
const store = require('../../utils/store');

const app = (over) => Object.assign({
  id: 'a1', application_no: 'MSA2026000001', item_code: 'WF-002', item_name: '不合规燃油信息报告', status: 'submitted',
  status_label: '待受理', version: 2, agency: { code: 'SH', name: '上海海事局' }, updated_at: '2026-05-15T01:40:00Z', allowed_actions: ['cancel'],
}, over);

beforeEach(() => signIn('corporate'));

describe('我的办件', () => {
  test('filters by status and shows the actions each state allows', async () => {
    const server = installFakeServer(wx, {
      'GET /me/applications': (req) => ({
        items: req.query.status === 'draft'
          ? [app({ id: 'd1', status: 'draft', status_label: '待提交', allowed_actions: ['edit', 'submit', 'delete'] })]
          : [app(), app({ id: 'a2', item_code: 'WF-001', status: 'accepted', status_label: '已受理', allowed_actions: ['withdraw'] })],
        next_cursor: null,
      }),
    });
    const page = await loadPage('pages/applications/index', {});
    const t = text(page);
    ['全部', '待提交', '待受理', '已受理', '待补正', '已办结', '已撤回', 'MSA2026000001', '上海海事局', '2026-05-15 09:40', '取消', '撤回', '查看受理通知书']
      .forEach((s) => expect(t).toContain(s));
    await fire(page, '.apps__status', 'change', { value: 'draft' });
    expect(server.called('GET /me/applications').pop().query).toMatchObject({ status: 'draft' });
    expect(text(page)).toContain('编辑');
    expect(text(page)).toContain('删除');
    await fire(page, '.apps__action', 'tap');
    expect(wx.navigateTo).toHaveBeenLastCalledWith(expect.objectContaining({ url: '/pages/apply/index?id=d1' }));
  });

  test('取消 a submitted application (with its current version) and reload', async () => {
    const server = installFakeServer(wx, {
      'GET /me/applications': { items: [app()], next_cursor: null },
      'GET /applications/a1': app({ version: 5 }),
      'POST /applications/a1/cancel': app({ status: 'cancelled', status_label: '已取消', version: 6 }),
    });
    const page = await loadPage('pages/applications/index', { status: 'submitted' });
    expect(server.called('GET /me/applications')[0].query.status).toBe('submitted');
    await fire(page, '.apps__action', 'tap');
    expect(server.called('POST /applications/a1/cancel')[0].header['If-Match']).toBe('5');
    expect(server.called('GET /me/applications')).toHaveLength(2);
  });

  test('list entries in the API shape (status and item as {code, label}, number) get their actions by state', async () => {
    const server = installFakeServer(wx, {
      'GET /online-items': require('../fixtures/online-items.json'),
      'GET /me/applications': { items: [
        { id: 'b1', number: 'HS20261127042817', item: { code: 'WF-001', label: '应急预案备案' }, status: { code: 'submitted', label: '待受理' },
          agency: { code: 'SH', name: '上海海事局', short_name: '上海' }, created_at: '2026-05-15T01:00:00Z', updated_at: '2026-05-15T01:00:00Z', submitted_at: null },
        { id: 'b2', number: null, item: { code: 'WF-002', label: '不合规燃油信息报告' }, status: { code: 'draft', label: '待提交' },
          agency: null, created_at: '2026-05-15T01:00:00Z', updated_at: '2026-05-15T01:00:00Z', submitted_at: null },
      ], next_cursor: null },
      'GET /applications/b1': { id: 'b1', status: { code: 'submitted', label: '待受理' }, version: 7, allowed_actions: ['withdraw'] },
      'POST /applications/b1/withdraw': { id: 'b1', status: { code: 'withdrawn', label: '已撤回' } },
    });
    const page = await loadPage('pages/applications/index', {});
    const [submitted, draft] = page.instance.data.items;
    expect(submitted).toMatchObject({ applicationNo: 'HS20261127042817', itemName: '应急预案备案', statusLabel: '待受理', agencyName: '上海海事局' });
    expect(submitted.actions.map((a) => a.label)).toEqual(['撤回']);
    expect(draft.actions.map((a) => a.label)).toEqual(['编辑', '提交', '删除']);
    await fire(page, '.apps__action', 'tap');
    expect(server.called('POST /applications/b1/withdraw')[0].header['If-Match']).toBe('7');
  });

  test('查看受理通知书 downloads the PDF with Accept: application/pdf and opens it', async () => {
    const server = installFakeServer(wx, {
      'GET /me/applications': { items: [app({ status: 'accepted', allowed_actions: [] })], next_cursor: null },
      'GET /applications/a1/notices': { items: [{ id: 'n1', kind: 'acceptance', title: '受理通知书' }], next_cursor: null },
      'GET /applications/a1/notices/n1': {},
    });
    const page = await loadPage('pages/applications/index', {});
    await fire(page, '.apps__action', 'tap');
    expect(wx.downloadFile.mock.calls[0][0].header.Accept).toBe('application/pdf');
    expect(server.called('GET /applications/a1/notices/n1')).toHaveLength(1);
    expect(wx.openDocument).toHaveBeenCalledWith(expect.objectContaining({ fileType: 'pdf' }));
  });

  test('办件详情 shows the timeline, the notices and 评价 once finished', async () => {
    installFakeServer(wx, {
      'GET /applications/a1': app({
        status: 'approved', status_label: '已办结', allowed_actions: ['evaluate'],
        timeline: [
          { status: 'submitted', at: '2026-05-15T01:40:00Z', actor: { name: '示例航运' } },
          { status: 'accepted', at: '2026-05-16T01:00:00Z', actor: { name: '上海海事局' }, comment: '材料齐全，予以受理' },
          { status: 'approved', at: '2026-05-18T01:00:00Z', actor: { name: '上海海事局' } },
        ],
      }),
      'GET /applications/a1/notices': { items: [{ id: 'n1', title: '受理通知书', issued_at: '2026-05-16T01:00:00Z' }, { id: 'n2', title: '备案证明' }] },
      'GET /applications/a1/notices/n2': {},
    });
    const page = await loadPage('pages/application/index', { id: 'a1' });
    const t = text(page);
    ['不合规燃油信息报告', '已办结', 'MSA2026000001', '办理过程', '待受理', '材料齐全，予以受理', '受理通知书', '备案证明', '评价']
      .forEach((s) => expect(t).toContain(s));
    await fire(page, page.querySelectorAll('.app__notice')[1], 'click');
    expect(wx.openDocument).toHaveBeenCalled();
    const actions = page.querySelectorAll('.app__action');
    await fire(page, actions[actions.length - 1], 'tap');
    expect(wx.navigateTo).toHaveBeenLastCalledWith(expect.objectContaining({ url: expect.stringContaining('/pages/evaluate/index?id=a1') }));
  });
});

describe('我的证照', () => {
  test('亮证 shows the QR code and renews it before it expires', async () => {
    jest.useFakeTimers({ now: new Date('2026-05-15T01:00:00Z') });
    try {
      let n = 0;
      const server = installFakeServer(wx, {
        'GET /me/certificates/c1': { id: 'c1', type: { code: 'SEAFARER_PASSPORT', label: '中华人民共和国海员证' }, certificate_no: 'A1' },
        'POST /me/certificates/c1/display-token': () => {
          n += 1;
          return { token: `tok${n}`, qr_svg: `<svg><text>${n}</text></svg>`, expires_at: new Date(Date.now() + 120000).toISOString() };
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
    installFakeServer(wx, { 'GET /me/certificates': { items: [{ id: 'c1', type: { code: 'SEAFARER_COC_SEA', label: '海船船员适任证书' } }], next_cursor: null } });
    const page = await loadPage('pages/certificates/index');
    expect(text(page)).toContain('海船船员适任证书');
    await fire(page, '.certs__item >>> .cert__qr', 'tap');
    expect(wx.navigateTo).toHaveBeenLastCalledWith(expect.objectContaining({ url: '/pages/cert-display/index?id=c1' }));
  });

  test('证照纠错 posts the field, the correct value, the reason and the material, then shows 我的纠错', async () => {
    const server = installFakeServer(wx, {
      'GET /me/certificates/c1': { id: 'c1', type: { label: '海员证' }, fields: [{ key: 'birth_date', label: '出生日期', value: '1990-01-01' }] },
      'POST /me/certificates/c1/corrections': { id: 'k1', status: 'pending' },
      'GET /me/corrections': { items: [{ id: 'k1', certificate_name: '海员证', field_label: '出生日期', proposed_value: '1990-01-02', reason: '录入错误', status: 'pending', created_at: '2026-05-15T01:00:00Z' }] },
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
        { id: 'm1', name: '营业执照.jpg', file_type: 'jpeg', content_type: 'image/jpeg', size: 2048, is_image: true, has_thumbnail: true, created_at: '2026-05-15T01:00:00Z' },
        { id: 'm2', name: '应急预案.pdf', file_type: 'pdf', content_type: 'application/pdf', size: 3 * 1024 * 1024, is_image: false, has_thumbnail: false },
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
    const server = installFakeServer(wx, { 'POST /me/materials': { id: 'm3', name: '检测报告' } });
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
        { id: 'x2', title: '办件已提交', body: '已提交', read_at: '2026-05-14T01:00:00Z' },
      ] },
      'POST /me/messages/x1/read': () => undefined,
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

describe('好差评', () => {
  test('不满意 needs a comment; the evaluation is posted and 我的评价 lists it', async () => {
    const server = installFakeServer(wx, {
      'POST /applications/a1/evaluation': { id: 'e1' },
      'GET /me/evaluations': { items: [{ id: 'e1', item_name: '不合规燃油信息报告', rating: 2, tags: ['办理时间长'], comment: '等了很久', created_at: '2026-05-20T01:00:00Z' }] },
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
    const server = installFakeServer(wx, { 'POST /applications/a1/evaluation': { id: 'e2' } });
    const page = await loadPage('pages/evaluate/index', { id: 'a1' });
    await fire(page, '.ev__stars', 'change', { value: 5 });
    expect(text(page)).toContain('非常满意');
    await fire(page, '.ev__submit', 'tap');
    expect(server.calls[0].data).toEqual({ rating: 5 });
  });
});
