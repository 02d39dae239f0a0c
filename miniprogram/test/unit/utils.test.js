/**
 * Small utilities: validators, formatting, Markdown, SVG data URLs, statuses and application
 * actions, evaluation rules, certificates, the face flow, uploads and the store.
 */
const { isIdNumber, rules, checkForm, sameAs, bodyErrors } = require('../../utils/validators');
const fmt = require('../../utils/format');
const { toHtml } = require('../../utils/markdown');
const { svgDataUrl, base64 } = require('../../utils/svg');
const { statusInfo, STATUS_FILTERS } = require('../../utils/status');
const { actionsFor, runAction, pickNotice } = require('../../utils/application-actions');
const evaluation = require('../../utils/evaluation');
const { toView, tokenFrom } = require('../../utils/certificate');
const { verifyFace } = require('../../utils/face');
const upload = require('../../utils/upload');
const reference = require('../../utils/reference');
const { createStore } = require('../../utils/store');
const shapes = require('../helpers/shapes');

describe('validators', () => {
  test('ID numbers need a valid check digit', () => {
    expect(isIdNumber('11010519491231002X')).toBe(true);
    expect(isIdNumber('110105194912310021')).toBe(false);
    expect(isIdNumber('11010519491231002x')).toBe(true);
    expect(isIdNumber('1234')).toBe(false);
  });

  test('checkForm returns the first failing rule per field, in zh-CN', () => {
    const errors = checkForm({ phone: '123', password: 'abcdefgh', password2: 'x', name: '张三' }, {
      phone: rules.phone, password: rules.password, password2: sameAs('password'), name: rules.name,
    });
    expect(errors).toEqual({ phone: '请输入正确的11位手机号码', password2: '两次输入的密码不一致' });
    expect(rules.creditCode('91310115MA1K3Y8Q5Q')).toBeNull();
    expect(rules.username('demo-corp')).toBeNull();
  });

  test('bodyErrors keys server errors by field name', () => {
    expect(bodyErrors({ errors: [{ loc: ['body', 'phone'], msg: '手机号格式不正确' }] })).toEqual({ phone: '手机号格式不正确' });
  });
});

describe('format', () => {
  test('times are shown in Asia/Shanghai', () => {
    expect(fmt.formatDateTime('2026-05-15T01:40:00Z')).toBe('2026-05-15 09:40');
    expect(fmt.formatDateTime('2026-05-15T09:40:00+08:00')).toBe('2026-05-15 09:40');
    expect(fmt.formatDate('2026-05-15T20:00:00Z')).toBe('2026-05-16');
    expect(fmt.formatDateTime('not a date')).toBe('not a date');
  });

  test('date-time form values are built and split in +08:00', () => {
    expect(fmt.toOffsetDateTime('2026-05-15', '09:40')).toBe('2026-05-15T09:40:00+08:00');
    expect(fmt.splitDateTime('2026-05-15T09:40:00+08:00')).toEqual({ date: '2026-05-15', time: '09:40' });
    expect(fmt.splitDateTime('2026-05-15T01:40:00Z')).toEqual({ date: '2026-05-15', time: '09:40' });
  });

  test('rating labels follow 好差评', () => {
    expect([5, 4, 3, 2, 1].map(fmt.ratingLabel)).toEqual(['非常满意', '满意', '基本满意', '不满意', '非常不满意']);
  });

  test('pages of the contract and bare arrays', () => {
    expect(fmt.pageOf({ items: [1], next_cursor: 'c' })).toEqual({ items: [1], next_cursor: 'c' });
    expect(fmt.pageOf([1, 2])).toEqual({ items: [1, 2], next_cursor: null });
  });
});

describe('markdown', () => {
  test('renders the simple Markdown of help articles and escapes HTML', () => {
    const html = toHtml('**访问方式**\n1. 打开微信；\n2. 扫码\n\n- 顶部<b>机构</b>\n正文');
    expect(html).toBe('<p class="md-p"><strong>访问方式</strong></p><ol class="md-list"><li>打开微信；</li><li>扫码</li></ol>'
      + '<ul class="md-list"><li>顶部&lt;b&gt;机构&lt;/b&gt;</li></ul><p class="md-p">正文</p>');
  });
});

describe('svg', () => {
  test('encodes UTF-8 SVG as a base64 data URL', () => {
    expect(base64('海')).toBe(Buffer.from('海').toString('base64'));
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"><text>亮证</text></svg>';
    expect(svgDataUrl(svg)).toBe(`data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`);
    expect(svgDataUrl('data:image/png;base64,AAA')).toBe('data:image/png;base64,AAA');
  });
});

describe('application states and actions', () => {
  test('labels of every state', () => {
    expect(STATUS_FILTERS.map((s) => s.label)).toEqual(['全部', '待提交', '待受理', '已受理', '待补正', '已办结', '不予许可', '不予受理', '已取消', '已撤回']);
    expect(statusInfo('approved')).toMatchObject({ label: '已办结', theme: 'success' });
  });

  test('the buttons are the server\'s allowed_actions, whatever the status says', () => {
    const { summary } = require('../../utils/application');
    const labels = (over) => summary(shapes.summary(over)).actions.map((a) => a.label);
    expect(labels({ status: 'draft', allowed_actions: ['edit', 'submit', 'discard'] })).toEqual(['编辑', '提交', '删除']);
    expect(labels({ status: 'submitted', allowed_actions: ['cancel'] })).toEqual(['取消']);
    expect(labels({ status: 'submitted', allowed_actions: ['withdraw'], after_submit: 'withdraw' })).toEqual(['撤回']);
    expect(labels({ status: 'approved', allowed_actions: ['evaluate'] })).toEqual(['评价']);
    // a finished application already rated: the server no longer offers 评价
    expect(labels({ status: 'approved', allowed_actions: [], evaluated: true })).toEqual([]);
    // no rule copied from the state machine: a status alone gives no button
    expect(labels({ status: 'draft', allowed_actions: [] })).toEqual([]);
    expect(labels({ status: 'rejected', allowed_actions: [] })).toEqual([]);
  });

  test('查看通知书 is offered where the server says so (view_notice); an unknown action shows nothing', () => {
    const { summary } = require('../../utils/application');
    const labels = (over) => summary(shapes.summary(over)).actions.map((a) => a.label);
    const notice = { id: 'n1', number: 'SL2026001', issued_at: shapes.T, kind: shapes.coded('acceptance', '受理通知书') };
    expect(labels({ status: 'accepted', allowed_actions: ['withdraw', 'view_notice'] })).toEqual(['撤回', '查看通知书']);
    expect(labels({ status: 'approved', allowed_actions: ['evaluate', 'view_notice'], evaluated: false })).toEqual(['查看通知书', '评价']);
    // the button comes from the server, not from notices the client sees
    expect(actionsFor(shapes.application({ status: 'accepted', notices: [notice] }))).toEqual([]);
    // actions this version does not know (a newer server, staff actions) give no button
    expect(labels({ status: 'accepted', allowed_actions: ['view_notice', 'print_receipt', 'approve'] })).toEqual(['查看通知书']);
  });

  test('an unknown action does nothing', async () => {
    const api = { applications: { get: jest.fn() } };
    expect(await runAction(api, 'print_receipt', shapes.summary({ allowed_actions: ['print_receipt'] }))).toEqual({ changed: false });
    expect(api.applications.get).not.toHaveBeenCalled();
    expect(wx.showModal).not.toHaveBeenCalled();
  });

  test('取消 asks first, then posts with the current version', async () => {
    const current = shapes.application({ status: 'submitted', version: 5, allowed_actions: ['cancel'] });
    const api = { applications: { get: jest.fn(async () => current), cancel: jest.fn(async () => shapes.application({ status: 'cancelled' })) } };
    const result = await runAction(api, 'cancel', shapes.summary({ version: 2, allowed_actions: ['cancel'] }));
    expect(wx.showModal).toHaveBeenCalled();
    expect(api.applications.cancel).toHaveBeenCalledWith('a1', 5);
    expect(result.changed).toBe(true);
  });

  test('nothing happens when the user declines', async () => {
    wx.showModal.mockImplementationOnce((p) => p.success({ confirm: false }));
    const api = { applications: { withdraw: jest.fn() } };
    expect(await runAction(api, 'withdraw', shapes.summary({ allowed_actions: ['withdraw'] }))).toEqual({ changed: false });
    expect(api.applications.withdraw).not.toHaveBeenCalled();
  });

  test('查看通知书 from a list entry fetches the notices; a single one opens as PDF at once', async () => {
    const notices = [{ id: 'n1', number: 'SL1', issued_at: shapes.T, kind: shapes.coded('acceptance', '受理通知书') }];
    const api = { applications: { notices: jest.fn(async () => notices), downloadNotice: jest.fn(async () => 'wxfile://tmp/n1.pdf') } };
    await runAction(api, 'view_notice', shapes.summary({ status: 'accepted', allowed_actions: ['view_notice'] }));
    expect(api.applications.notices).toHaveBeenCalledWith('a1');
    expect(wx.showActionSheet).not.toHaveBeenCalled();
    expect(api.applications.downloadNotice).toHaveBeenCalledWith('a1', 'n1');
    expect(wx.openDocument).toHaveBeenCalledWith(expect.objectContaining({ filePath: 'wxfile://tmp/n1.pdf', fileType: 'pdf' }));
  });

  test('查看通知书 with several notices offers them by kind, 受理通知书 first, and opens the one picked', async () => {
    const notices = [
      { id: 'n0', number: 'BZ1', issued_at: '2026-05-15T01:00:00Z', kind: shapes.coded('supplement', '补正材料通知书') },
      { id: 'n1', number: 'SL1', issued_at: '2026-05-16T01:00:00Z', kind: shapes.coded('acceptance', '受理通知书') },
      { id: 'n2', number: 'BA1', issued_at: '2026-05-18T01:00:00Z', kind: shapes.coded('filing_certificate', '备案证明') },
    ];
    const api = { applications: { notices: jest.fn(), downloadNotice: jest.fn(async (a, n) => `wxfile://tmp/${n}.pdf`) } };
    wx.showActionSheet.mockImplementationOnce((p) => p.success({ tapIndex: 1 }));
    await runAction(api, 'view_notice', shapes.application({ status: 'approved', allowed_actions: ['view_notice'], notices }));
    // an ApplicationRead carries its notices: nothing fetched
    expect(api.applications.notices).not.toHaveBeenCalled();
    expect(wx.showActionSheet).toHaveBeenCalledWith(expect.objectContaining({ itemList: ['受理通知书', '备案证明', '补正材料通知书'] }));
    expect(api.applications.downloadNotice).toHaveBeenCalledWith('a1', 'n2');
    expect(pickNotice(notices).id).toBe('n1');

    // closing the sheet opens nothing
    api.applications.downloadNotice.mockClear();
    wx.showActionSheet.mockImplementationOnce((p) => p.fail({ errMsg: 'showActionSheet:fail cancel' }));
    await runAction(api, 'view_notice', shapes.application({ status: 'approved', allowed_actions: ['view_notice'], notices }));
    expect(api.applications.downloadNotice).not.toHaveBeenCalled();
  });

  test('查看通知书 without any notice says so', async () => {
    const api = { applications: { notices: jest.fn(async () => []), downloadNotice: jest.fn() } };
    await runAction(api, 'view_notice', shapes.summary({ allowed_actions: ['view_notice'] }));
    expect(api.applications.downloadNotice).not.toHaveBeenCalled();
    expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '暂无通知书' }));
  });

  test('编辑 opens the form of the application', async () => {
    await runAction({}, 'edit', shapes.summary({ id: 'a 1' }));
    expect(wx.navigateTo).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/apply/index?id=a%201' }));
  });
});

describe('好差评', () => {
  test('bad ratings need a comment', () => {
    expect(evaluation.checkEvaluation(0, '')).toBe('请选择评价等级');
    expect(evaluation.checkEvaluation(2, '')).toBe('“不满意”请填写原因');
    expect(evaluation.checkEvaluation(1, '  ')).toBe('“非常不满意”请填写原因');
    expect(evaluation.checkEvaluation(1, '等了很久')).toBeNull();
    expect(evaluation.checkEvaluation(3, '')).toBeNull();
    expect(evaluation.RATE_TEXTS).toEqual(['非常不满意', '不满意', '基本满意', '满意', '非常满意']);
    expect(evaluation.tagsFor(2)).toBe(evaluation.BAD_TAGS);
  });
});

describe('certificates', () => {
  test('one view from the API shape; 亮证 and 纠错 as the server allows them', () => {
    const v = toView(shapes.certificateCard({ number: 'A12345678', holder_name: '张*三', expires_on: '2030-01-01' }));
    expect(v).toMatchObject({ title: '中华人民共和国海员证', number: 'A12345678', holder: '张*三', validUntil: '2030-01-01',
      issuer: '上海海事局', status: '有效', displayable: true, correctable: true });
    const permit = toView(shapes.certificateCard({ type: shapes.coded('WATER_ACTIVITY_PERMIT', '许可证'), allowed_actions: [] }));
    expect(permit).toMatchObject({ displayable: false, correctable: false });
  });
});

describe('face flow', () => {
  test('opens a face session, runs WeChat face verification for the same person, returns the proof', async () => {
    const api = { auth: { faceSession: jest.fn(async () => ({ face_session_id: 'f1', check_alive_type: 2 })) } };
    const proof = await verifyFace({ api, purpose: 'login', name: '张三', idNumber: '11010519491231002X', method: 'reflective', fake: false });
    expect(api.auth.faceSession).toHaveBeenCalledWith({ purpose: 'login', name: '张三', id_number: '11010519491231002X', method: 'reflective' });
    expect(wx.startFacialRecognitionVerify).toHaveBeenCalledWith(expect.objectContaining({
      name: '张三', idCardNumber: '11010519491231002X', checkAliveType: 2,
    }));
    expect(proof).toEqual({ face_session_id: 'f1', verify_result: 'wx-verify-result' });
  });

  test('the development fake sends fake:pass without WeChat', async () => {
    const api = { auth: { faceSession: jest.fn(async () => ({ face_session_id: 'f2', check_alive_type: 0 })) } };
    wx.startFacialRecognitionVerify.mockClear();
    const proof = await verifyFace({ api, purpose: 'register', name: '张三', idNumber: '11010519491231002X', method: 'read_digits', fake: true });
    expect(proof).toEqual({ face_session_id: 'f2', verify_result: 'fake:pass' });
    expect(wx.startFacialRecognitionVerify).not.toHaveBeenCalled();
  });

  test('a cancelled face check is a FaceError with a zh-CN title', async () => {
    const api = { auth: { faceSession: jest.fn(async () => ({ face_session_id: 'f3' })) } };
    wx.startFacialRecognitionVerify.mockImplementationOnce((p) => p.fail({ errMsg: 'cancel', errCode: 90100 }));
    const err = await verifyFace({ api, purpose: 'login', name: '张三', idNumber: '1', method: 'read_digits', fake: false }).catch((e) => e);
    expect(err.name).toBe('FaceError');
    expect(err.title).toBe('人脸识别未完成，请重试');
  });
});

describe('uploads', () => {
  test('上传图片 uses chooseMedia, 上传文件 uses chooseMessageFile; both upload to 我的材料', async () => {
    const api = { materials: { upload: jest.fn(async (p) => ({ id: 'm1', name: p.name })) } };
    const fromImage = await upload.chooseAndUpload(api, 'image', { name: '营业执照' });
    expect(wx.chooseMedia).toHaveBeenCalledWith(expect.objectContaining({ mediaType: ['image'] }));
    expect(api.materials.upload).toHaveBeenCalledWith(expect.objectContaining({ filePath: 'wxfile://tmp/photo.jpg', name: '营业执照' }));
    expect(fromImage.id).toBe('m1');
    await upload.chooseAndUpload(api, 'file');
    expect(wx.chooseMessageFile).toHaveBeenCalled();
    expect(api.materials.upload).toHaveBeenLastCalledWith(expect.objectContaining({ filePath: 'wxfile://tmp/doc.pdf', name: '申请书.pdf' }));
  });

  test('a cancelled choice uploads nothing', async () => {
    wx.chooseMedia.mockImplementationOnce((p) => p.fail({ errMsg: 'chooseMedia:fail cancel' }));
    const api = { materials: { upload: jest.fn() } };
    expect(await upload.chooseAndUpload(api, 'image')).toBeNull();
    expect(api.materials.upload).not.toHaveBeenCalled();
  });

  test('查看: images are previewed, documents opened', async () => {
    const api = { materials: { download: jest.fn(async () => 'wxfile://tmp/x') } };
    await upload.openMaterial(api, shapes.material({ id: 'm1', content_type: 'image/jpeg', file_type: 'jpg', is_image: true }));
    expect(wx.previewImage).toHaveBeenCalledWith(expect.objectContaining({ urls: ['wxfile://tmp/x'] }));
    await upload.openMaterial(api, shapes.material({ id: 'm2', name: '申请书.pdf' }));
    expect(wx.openDocument).toHaveBeenCalledWith(expect.objectContaining({ filePath: 'wxfile://tmp/x', fileType: 'pdf' }));
  });
});

describe('reference pick lists', () => {
  test('a picked ship fills only the properties the schema allows', () => {
    const ship = { id: 's1', name: '海港明珠', imo_number: '9876543', mmsi: '413123450', call_sign: 'BXYZ', flag: 'CN' };
    expect(reference.pickShip(ship, ['name', 'imo_number', 'mmsi', 'flag', 'ship_type'])).toEqual({
      name: '海港明珠', imo_number: '9876543', mmsi: '413123450', flag: 'CN',
    });
  });

  test('codes are shown with their names', async () => {
    expect(reference.display('port', { id: 'CNSHA', name_zh: '上海' })).toBe('上海（CNSHA）');
    const api = { reference: { ports: jest.fn(async () => ({ items: [{ id: 'SGSIN', name_zh: '新加坡' }] })) } };
    expect(await reference.lookupDisplay(api, 'port', 'SGSIN')).toBe('新加坡（SGSIN）');
    expect(api.reference.ports).toHaveBeenCalledWith({ q: 'SGSIN', limit: 20 }, { silent: true });
  });
});

describe('store', () => {
  test('persists the 适老化 switch and the agency, and notifies subscribers', () => {
    const w = require('../helpers/wx-mock').createWxMock();
    const store = createStore({ elder: false, agency: null }, () => w);
    const seen = jest.fn();
    const off = store.subscribe('elder', seen);
    store.set('elder', true);
    expect(seen).toHaveBeenCalledWith(true);
    expect(w.storage['msa.elder']).toBe(true);
    off();
    store.set('elder', false);
    expect(seen).toHaveBeenCalledTimes(1);
    store.set('agency', { code: 'SH', name: '上海海事局' });
    const again = createStore({ elder: false, agency: null }, () => w);
    expect(again.get('agency')).toEqual({ code: 'SH', name: '上海海事局' });
  });
});

describe('officer scan', () => {
  test('the token is read from a bare token or a URL', () => {
    expect(tokenFrom('eyJhbGciOi.x.y')).toBe('eyJhbGciOi.x.y');
    expect(tokenFrom('https://msa.example/verify?token=abc%2Edef&x=1')).toBe('abc.def');
  });
});

describe('subscribe messages', () => {
  const subscribe = require('../../utils/subscribe');
  const api = (templateId) => ({
    notifications: {
      subscription: jest.fn(async () => ({ template_id: templateId, remaining: 0 })),
      accept: jest.fn(async (body) => ({ template_id: body.template_id, remaining: body.accepted })),
    },
  });

  test('asks for the server\'s one template and posts the acceptance', async () => {
    const a = api('tmpl-status');
    wx.requestSubscribeMessage.mockImplementation((p) => p.success({ 'tmpl-status': 'accept' }));
    await subscribe.prepare(a);
    await subscribe.ask(a);
    expect(wx.requestSubscribeMessage).toHaveBeenCalledWith(expect.objectContaining({ tmplIds: ['tmpl-status'] }));
    expect(a.notifications.accept).toHaveBeenCalledWith({ template_id: 'tmpl-status', accepted: 1 });
  });

  test('asks nothing while the server has no template', async () => {
    const a = api(null);
    await subscribe.prepare(a);
    await subscribe.ask(a);
    expect(wx.requestSubscribeMessage).not.toHaveBeenCalled();
  });
});

describe('applications in the API shape', () => {
  test('summary reads number, item, status and agency as the API sends them', () => {
    const { summary } = require('../../utils/application');
    const v = summary(shapes.summary({ status: 'accepted', number: 'HS20261127042817', evaluated: false, allowed_actions: ['withdraw'] }));
    expect(v).toMatchObject({ status: 'accepted', statusLabel: '已受理', applicationNo: 'HS20261127042817', itemName: '不合规燃油信息报告',
      agencyName: '上海海事局', evaluated: false });
    expect(v.actions.map((a) => a.key)).toEqual(['withdraw']);
  });

  test('a state change refuses when the fresh application no longer allows it', async () => {
    const api = { applications: { get: jest.fn(async () => shapes.application({ status: 'accepted', version: 4, allowed_actions: [] })), cancel: jest.fn() } };
    const result = await runAction(api, 'cancel', shapes.summary({ allowed_actions: ['cancel'] }));
    expect(api.applications.cancel).not.toHaveBeenCalled();
    expect(result.changed).toBe(true);
    expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '办件状态已变化，请刷新后重试' }));
  });
});

describe('after signing in', () => {
  const { leaveLogin } = require('../../utils/nav');

  test('returns below 登录, or to the previous page, or to 个人中心', async () => {
    global.getCurrentPages.mockReturnValue([{ route: 'pages/home/index' }, { route: 'pages/login/index' }, { route: 'pages/login-password/index' }]);
    await leaveLogin();
    expect(wx.navigateBack).toHaveBeenLastCalledWith(expect.objectContaining({ delta: 2 }));
    global.getCurrentPages.mockReturnValue([{ route: 'pages/home/index' }, { route: 'pages/login-password/index' }]);
    await leaveLogin();
    expect(wx.navigateBack).toHaveBeenLastCalledWith(expect.objectContaining({ delta: 1 }));
    global.getCurrentPages.mockReturnValue([{ route: 'pages/login-password/index' }]);
    await leaveLogin();
    expect(wx.switchTab).toHaveBeenLastCalledWith(expect.objectContaining({ url: '/pages/mine/index' }));
  });
});
