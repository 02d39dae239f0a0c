/**
 * 登录注册 and 个人中心: login page, 刷脸登录, 法人/船舶用户登录, registrations, 忘记密码,
 * 用户信息 with 修改密码/修改手机号码, the 个人中心 states, unread badge, 适老化, 退出登录,
 * 导出我的数据 and 注销账号.
 */
const { loadPage, text, fire, flush } = require('../helpers/simulate');
const { installFakeServer, problem, reply } = require('../helpers/server');
const shapes = require('../helpers/shapes');
const { signIn, USERS } = require('../helpers/session');
const services = require('../../services/index');
const store = require('../../utils/store');
const handoff = require('../../utils/handoff');

const TOKENS = (user) => ({ access_token: 'a1', refresh_token: 'r1', token_type: 'bearer', expires_in: 900, user });
const ID = '11010519491231002X';

function stackWithLogin() {
  global.getCurrentPages.mockReturnValue([{ route: 'pages/mine/index' }, { route: 'pages/login/index' }, { route: 'pages/login-personal/index' }]);
}

describe('登录', () => {
  test('offers the four entries of the manual', async () => {
    const page = await loadPage('pages/login/index');
    ['个人登录', '法人/船舶用户登录', '个人注册', '法人注册'].forEach((s) => expect(text(page)).toContain(s));
    await fire(page, '.login__password', 'tap');
    expect(wx.navigateTo).toHaveBeenLastCalledWith(expect.objectContaining({ url: '/pages/login-password/index' }));
  });

  test('刷脸登录: face session, WeChat face check, then login with the binding ticket', async () => {
    const server = installFakeServer(wx, {
      'GET /privacy/consent-texts': require('../fixtures/consent-texts.json'),
      'POST /auth/face/sessions': { face_session_id: 'f1', check_alive_type: 2, expires_at: '2026-01-01T00:05:00+08:00' },
      'POST /auth/login/personal': TOKENS(USERS.personal),
      'GET /me/messages/unread-count': { unread: 3 },
    });
    services.tokens.setBindingTicket('ticket-9');
    stackWithLogin();
    const page = await loadPage('pages/login-personal/index');
    expect(text(page)).toContain('反光识别');
    expect(text(page)).toContain('读数识别');
    expect(text(page)).toContain('忘记密码？');
    await fire(page, '.lp__face', 'verified', { proof: { face_session_id: 'f1', verify_result: 'wx-result' }, name: '张三', idNumber: ID });
    expect(server.called('POST /auth/login/personal')[0].data).toEqual({ face_session_id: 'f1', verify_result: 'wx-result', binding_ticket: 'ticket-9' });
    expect(services.auth.isLoggedIn()).toBe(true);
    expect(wx.navigateBack).toHaveBeenCalledWith(expect.objectContaining({ delta: 2 }));
    await flush();
    expect(store.get('unread')).toBe(3);
  });

  test('法人/船舶用户登录 with 用户名 and 密码', async () => {
    const server = installFakeServer(wx, { 'POST /auth/login/password': TOKENS(USERS.corporate), 'GET /me/messages/unread-count': { unread: 0 } });
    const page = await loadPage('pages/login-password/index');
    await fire(page, '.lpw__login', 'tap');
    expect(page.instance.data.errors).toEqual({ username: '请输入用户名', password: '请输入密码' });
    await fire(page, '.lpw__username', 'change', { value: 'demo-corp' });
    await fire(page, '.lpw__password', 'change', { value: 'Demo@12345' });
    await fire(page, '.lpw__login', 'tap');
    expect(server.called('POST /auth/login/password')[0].data).toEqual({ username: 'demo-corp', password: 'Demo@12345' });
    expect(services.auth.user().username).toBe('demo-corp');
    expect(wx.switchTab).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/mine/index' }));
  });

  test('a wrong password shows the server title and stays signed out', async () => {
    installFakeServer(wx, { 'POST /auth/login/password': problem(401, 'auth.invalid_credentials', '用户名或密码错误') });
    const page = await loadPage('pages/login-password/index');
    page.instance.setData({ username: 'demo-corp', password: 'x' });
    await page.instance.onLogin();
    expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '用户名或密码错误' }));
    expect(services.auth.isLoggedIn()).toBe(false);
  });
});

describe('第二因素 of officers, staff and administrators', () => {
  const STEP = (enrolled) => ({ second_factor_required: true, ticket: 'tk-1', expires_at: '2026-11-27T10:05:00+08:00', enrolled });

  async function passwordStep(handlers) {
    const server = installFakeServer(wx, Object.assign({ 'GET /me/messages/unread-count': { unread: 0 } }, handlers));
    const page = await loadPage('pages/login-password/index');
    page.instance.setData({ username: 'demo-officer', password: 'Demo@12345' });
    await page.instance.onLogin();
    return { server, page };
  }

  test('the right password of an officer asks for the 6-digit code, which signs in', async () => {
    const { server, page } = await passwordStep({
      'POST /auth/login/password': STEP(true),
      'POST /auth/login/second-factor': TOKENS(USERS.officer),
    });
    expect(page.instance.data.step).toBe('code');
    expect(services.auth.isLoggedIn()).toBe(false);
    expect(text(page)).toContain('动态验证码');
    await fire(page, '.lpw__verify', 'tap');
    expect(page.instance.data.errors.code).toBe('请输入6位动态验证码');
    expect(server.called('POST /auth/login/second-factor')).toHaveLength(0);
    await fire(page, '.lpw__code', 'change', { value: '123456' });
    await fire(page, '.lpw__verify', 'tap');
    expect(server.called('POST /auth/login/second-factor')[0].data).toEqual({ ticket: 'tk-1', code: '123456' });
    expect(services.auth.isLoggedIn()).toBe(true);
    expect(wx.switchTab).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/mine/index' }));
  });

  test('a recovery code can stand in for the authenticator', async () => {
    const { server, page } = await passwordStep({
      'POST /auth/login/password': STEP(true),
      'POST /auth/login/second-factor': TOKENS(USERS.officer),
    });
    await fire(page, '.lpw__toggle', 'tap');
    expect(text(page)).toContain('恢复码');
    page.instance.setData({ code: 'ABCDE-FGHJK' });
    await page.instance.onVerify();
    expect(server.called('POST /auth/login/second-factor')[0].data.code).toBe('ABCDE-FGHJK');
    expect(services.auth.isLoggedIn()).toBe(true);
  });

  test('a wrong code keeps the step; a spent ticket goes back to the password', async () => {
    let answer = problem(401, 'auth.second_factor_invalid', '动态验证码错误');
    const { page } = await passwordStep({ 'POST /auth/login/password': STEP(true), 'POST /auth/login/second-factor': () => answer });
    page.instance.setData({ code: '000000' });
    await page.instance.onVerify();
    expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '动态验证码错误' }));
    expect(page.instance.data.step).toBe('code');
    answer = problem(401, 'auth.ticket_invalid', '登录步骤已失效，请重新输入用户名和密码');
    await page.instance.onVerify();
    expect(page.instance.data.step).toBe('password');
    expect(services.auth.isLoggedIn()).toBe(false);
  });

  test('first sign-in: QR code and key of the authenticator, confirm, then the recovery codes once', async () => {
    const codes = ['AAAAA-BBBBB', 'CCCCC-DDDDD'];
    const { server, page } = await passwordStep({
      'POST /auth/login/password': STEP(false),
      'POST /auth/second-factor/enrolment': {
        secret: 'JBSWY3DPEHPK3PXP', otpauth_uri: 'otpauth://totp/x?secret=JBSWY3DPEHPK3PXP', qr_svg: '<svg></svg>', issuer: '海事一网通办', account_name: 'demo-officer',
      },
      'POST /auth/second-factor/enrolment/confirm': Object.assign(TOKENS(USERS.officer), { recovery_codes: codes }),
    });
    expect(server.called('POST /auth/second-factor/enrolment')[0].data).toEqual({ ticket: 'tk-1' });
    expect(page.instance.data.step).toBe('enrol');
    expect(text(page)).toContain('JBSWY3DPEHPK3PXP');
    expect(text(page)).toContain('otpauth://totp/');
    expect(page.instance.data.qr).toMatch(/^data:image\/svg\+xml;base64,/);
    await fire(page, '.lpw__copy-key', 'tap');
    expect(wx.setClipboardData).toHaveBeenCalledWith(expect.objectContaining({ data: 'JBSWY3DPEHPK3PXP' }));
    page.instance.setData({ code: '654321' });
    await page.instance.onConfirmEnrolment();
    expect(server.called('POST /auth/second-factor/enrolment/confirm')[0].data).toEqual({ ticket: 'tk-1', code: '654321' });
    expect(services.auth.isLoggedIn()).toBe(true);
    expect(page.instance.data.step).toBe('recovery');
    codes.forEach((c) => expect(text(page)).toContain(c));
    expect(wx.switchTab).not.toHaveBeenCalled();
    await fire(page, '.lpw__saved', 'tap');
    expect(page.instance.data.recoveryCodes).toEqual([]);
    expect(wx.switchTab).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/mine/index' }));
  });

  test('an expired password is replaced first, then the second factor follows', async () => {
    const expired = reply(403, {
      type: 'urn:test:auth.password_expired', title: '密码已过期，请设置新密码', status: 403, detail: '密码已过期', code: 'auth.password_expired',
      request_id: 't', ticket: 'change-1', expires_at: '2026-11-27T10:05:00+08:00',
    });
    const { server, page } = await passwordStep({
      'POST /auth/login/password': expired,
      'POST /auth/password/expired': STEP(true),
    });
    expect(page.instance.data.step).toBe('expired');
    expect(text(page)).toContain('密码已过期');
    page.instance.setData({ newPassword: 'Harbour#2027', newPassword2: 'Harbour#2028' });
    await page.instance.onChangeExpired();
    expect(page.instance.data.errors.newPassword2).toBe('两次输入的密码不一致');
    page.instance.setData({ newPassword2: 'Harbour#2027' });
    await page.instance.onChangeExpired();
    expect(server.called('POST /auth/password/expired')[0].data).toEqual({ ticket: 'change-1', new_password: 'Harbour#2027' });
    expect(page.instance.data.step).toBe('code');
    expect(services.auth.isLoggedIn()).toBe(false);
  });
});

describe('注册', () => {
  test('个人注册 checks the fields, runs the face check (purpose register) and registers', async () => {
    const server = installFakeServer(wx, {
      'GET /privacy/consent-texts': require('../fixtures/consent-texts.json'),
      'POST /auth/face/sessions': { face_session_id: 'f2', check_alive_type: 0, expires_at: '2026-01-01T00:05:00+08:00' },
      'POST /auth/register/personal': TOKENS(USERS.personal),
    });
    const page = await loadPage('pages/register-personal/index');
    await fire(page, '.rp__register', 'tap');
    expect(page.instance.data.errors).toMatchObject({ phone: '请输入正确的11位手机号码', password: '密码至少8位' });
    expect(server.called('POST /auth/face/sessions')).toHaveLength(0);
    const face = page.querySelector('#face');
    face.instance.setData({ name: '张三', idNumber: ID, agreed: true });
    page.instance.setData({ phone: '13812345678', password: 'Secret@123', password2: 'Secret@123' });
    await page.instance.onRegister();
    expect(server.called('POST /auth/face/sessions')[0].data).toMatchObject({
      purpose: 'register', name: '张三', id_number: ID, consent: { purpose: 'face_verification', version: '2026-11' },
    });
    expect(server.called('POST /auth/register/personal')[0].data).toEqual({
      name: '张三', id_number: ID, phone: '13812345678', password: 'Secret@123', face_session_id: 'f2', verify_result: 'wx-verify-result',
    });
    expect(services.auth.isLoggedIn()).toBe(true);
  });

  test('法人注册 sends the company, operator and account', async () => {
    const server = installFakeServer(wx, { 'POST /auth/register/corporate': TOKENS(USERS.corporate) });
    const page = await loadPage('pages/register-corporate/index');
    await fire(page, '.rc__register', 'tap');
    expect(Object.keys(page.instance.data.errors)).toEqual(expect.arrayContaining(['companyName', 'creditCode', 'operatorName', 'username']));
    page.instance.setData({
      kind: 'ship', companyName: '示例航运', creditCode: '91310115ma1k3y8q5q', operatorName: '李四', operatorIdNumber: ID,
      contactPhone: '13900000000', username: 'shipping-co', password: 'Secret@123', password2: 'Secret@123',
    });
    await page.instance.onRegister();
    expect(server.calls[0].data).toEqual({
      company_name: '示例航运', credit_code: '91310115MA1K3Y8Q5Q', kind: 'ship', operator_name: '李四', operator_id_number: ID,
      contact_phone: '13900000000', username: 'shipping-co', password: 'Secret@123',
    });
    expect(services.auth.isLoggedIn()).toBe(true);
    expect(wx.switchTab).toHaveBeenLastCalledWith(expect.objectContaining({ url: '/pages/mine/index' }));
  });
});

describe('忘记密码 and changes through face verification', () => {
  test('忘记密码: 开始扫描 → 设置新密码 → POST /auth/password/reset', async () => {
    const server = installFakeServer(wx, {
      'GET /privacy/consent-texts': require('../fixtures/consent-texts.json'),
      'POST /auth/password/reset': () => undefined,
    });
    const face = await loadPage('pages/face/index', { purpose: 'reset_password' });
    expect(text(face)).toContain('开始扫描');
    expect(wx.setNavigationBarTitle).toHaveBeenCalledWith({ title: '忘记密码' });
    await fire(face, '.face__verify', 'verified', { proof: { face_session_id: 'f3', verify_result: 'v3' } });
    expect(wx.redirectTo).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/password-set/index?mode=reset' }));
    const set = await loadPage('pages/password-set/index', { mode: 'reset' });
    set.instance.setData({ password: 'NewPass@123', password2: 'NewPass@1' });
    await set.instance.onSave();
    expect(set.instance.data.errors.password2).toBe('两次输入的密码不一致');
    set.instance.setData({ password2: 'NewPass@123' });
    await set.instance.onSave();
    expect(server.called('POST /auth/password/reset')[0].data).toEqual({ face_session_id: 'f3', verify_result: 'v3', new_password: 'NewPass@123' });
  });

  test('设置新密码 without a face check asks to verify again', async () => {
    const set = await loadPage('pages/password-set/index', { mode: 'change' });
    expect(text(set)).toContain('人脸认证已失效');
  });

  test('用户信息 shows masked fields; 修改手机号码 goes through 人脸认证', async () => {
    signIn('corporate');
    const server = installFakeServer(wx, { 'GET /me': USERS.corporate, 'PUT /me/phone': Object.assign({}, USERS.corporate, { phone: '137****1111' }) });
    const profile = await loadPage('pages/profile/index');
    const t = text(profile);
    ['示例航运有限公司', '91310115MA1K3Y8Q5Q', '李*', '3****************4', '139****0000', 'demo-corp'].forEach((s) => expect(t).toContain(s));
    expect(wx.setNavigationBarTitle).toHaveBeenCalledWith({ title: '法人信息' });
    await fire(profile, '.profile__phone', 'tap');
    expect(wx.navigateTo).toHaveBeenLastCalledWith(expect.objectContaining({ url: '/pages/face/index?purpose=change_phone' }));
    handoff.put('face-proof', { purpose: 'change_phone', proof: { face_session_id: 'f4', verify_result: 'v4' } });
    const phone = await loadPage('pages/phone-set/index');
    phone.instance.setData({ phone: '13711111111' });
    await phone.instance.onSave();
    expect(server.called('PUT /me/phone')[0].data).toEqual({ face_session_id: 'f4', verify_result: 'v4', new_phone: '13711111111' });
    expect(services.auth.user().phone).toBe('137****1111');
  });

  test('修改密码 sends PUT /me/password with the face proof', async () => {
    signIn('personal');
    const server = installFakeServer(wx, { 'PUT /me/password': () => undefined });
    handoff.put('face-proof', { purpose: 'change_password', proof: { face_session_id: 'f5', verify_result: 'v5' } });
    const set = await loadPage('pages/password-set/index', { mode: 'change' });
    set.instance.setData({ password: 'NewPass@123', password2: 'NewPass@123' });
    await set.instance.onSave();
    expect(server.calls[0].data).toEqual({ face_session_id: 'f5', verify_result: 'v5', new_password: 'NewPass@123' });
    expect(server.calls[0].header.Authorization).toBe('Bearer access-u-p');
  });
});

describe('个人中心', () => {
  test('signed out: 登录, 帮助指引 and 适老化模式 only', async () => {
    const page = await loadPage('pages/mine/index');
    const t = text(page);
    expect(t).toContain('未登录');
    expect(t).toContain('帮助指引');
    expect(t).toContain('适老化模式');
    expect(t).not.toContain('我的办件');
    expect(t).not.toContain('注销账号');
    await fire(page, '.mine__login', 'tap');
    expect(wx.navigateTo).toHaveBeenLastCalledWith(expect.objectContaining({ url: '/pages/login/index' }));
  });

  test('signed in: the menu of the manual, certificates carousel and the unread badge', async () => {
    signIn('personal');
    installFakeServer(wx, {
      'GET /me': USERS.personal,
      'GET /me/certificates': { items: [shapes.certificateCard()], next_cursor: null },
      'GET /me/messages/unread-count': { unread: 5 },
    });
    const page = await loadPage('pages/mine/index');
    await flush();
    const t = text(page);
    ['张*', '个人用户', '我的办件', '个人信息', '我的证照', '全部', '中华人民共和国海员证', '我的评价', '我的纠错', '我的材料',
      '我的消息', '帮助指引', '导出我的数据', '注销账号', '退出登录'].forEach((s) => expect(t).toContain(s));
    expect(page.instance.data.unread).toBe(5);
    expect(wx.setTabBarBadge).toHaveBeenCalledWith(expect.objectContaining({ index: 2, text: '5' }));
  });

  test('适老化模式 switches every page to large text and high contrast', async () => {
    installFakeServer(wx, {
      'GET /help/articles': { items: [], next_cursor: null },
      'GET /catalog/items/X': problem(404, 'catalog.item_not_found', '未找到该事项'),
    });
    const mine = await loadPage('pages/mine/index');
    const other = await loadPage('pages/help/index');
    expect(mine.dom.firstChild.className).not.toMatch(/elder/);
    await fire(mine, '.mine__elder', 'change', { value: true });
    expect(mine.dom.firstChild.className).toMatch(/elder/);
    expect(other.dom.firstChild.className).toMatch(/elder/);
    expect(wx.storage['msa.elder']).toBe(true);
    const later = await loadPage('pages/guide/index', { code: 'X' });
    expect(later.instance.data.elder).toBe(true);
  });

  test('退出登录 revokes the session', async () => {
    signIn('personal');
    const server = installFakeServer(wx, {
      'POST /auth/logout': () => undefined, 'GET /me': USERS.personal, 'GET /me/certificates': { items: [] }, 'GET /me/messages/unread-count': { unread: 0 },
    });
    const page = await loadPage('pages/mine/index');
    await fire(page, '.mine__logout', 'tap');
    await flush();
    expect(server.called('POST /auth/logout')).toHaveLength(1);
    expect(services.auth.isLoggedIn()).toBe(false);
    expect(text(page)).toContain('未登录');
  });

  test('导出我的数据 downloads the JSON archive and sends it to a chat the user picks', async () => {
    signIn('personal');
    const server = installFakeServer(wx, {
      'GET /me': USERS.personal, 'GET /me/certificates': { items: [] }, 'GET /me/export': {}, 'GET /me/messages/unread-count': { unread: 0 },
    });
    const page = await loadPage('pages/mine/index');
    await fire(page, '.mine__export', 'click');
    await flush();
    expect(wx.showModal).toHaveBeenCalledWith(expect.objectContaining({ title: '导出我的数据' }));
    expect(server.called('GET /me/export')[0].header).toMatchObject({ Accept: 'application/json', Authorization: 'Bearer access-u-p' });
    expect(wx.shareFileMessage).toHaveBeenCalledWith(expect.objectContaining({ fileName: '我的数据.json' }));
  });

  test('注销账号: confirm, face verification of purpose account_deletion, then signed out', async () => {
    signIn('personal');
    const server = installFakeServer(wx, {
      'GET /me': USERS.personal,
      'GET /me/certificates': { items: [] },
      'GET /me/messages/unread-count': { unread: 0 },
      'GET /privacy/consent-texts': require('../fixtures/consent-texts.json'),
      'POST /me/deletion': () => undefined,
    });
    const mine = await loadPage('pages/mine/index');
    await fire(mine, '.mine__delete', 'click');
    await flush();
    expect(wx.showModal).toHaveBeenCalledWith(expect.objectContaining({ title: '注销账号' }));
    expect(wx.navigateTo).toHaveBeenLastCalledWith(expect.objectContaining({ url: '/pages/face/index?purpose=account_deletion' }));
    const face = await loadPage('pages/face/index', { purpose: 'account_deletion' });
    expect(text(face)).toContain('识别并注销');
    expect(text(face)).toContain('经办人');
    await fire(face, '.face__verify', 'verified', { proof: { face_session_id: 'f9', verify_result: 'v9' } });
    await flush();
    expect(server.called('POST /me/deletion')[0].data).toEqual({ face_session_id: 'f9', verify_result: 'v9' });
    expect(services.auth.isLoggedIn()).toBe(false);
    expect(wx.switchTab).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/mine/index' }));
  });

  test('注销账号 refused while an application is handled keeps the user signed in', async () => {
    signIn('corporate');
    installFakeServer(wx, {
      'GET /privacy/consent-texts': require('../fixtures/consent-texts.json'),
      'POST /me/deletion': problem(409, 'account.applications_in_progress', '您有正在办理的办件，暂不能注销账号'),
    });
    const face = await loadPage('pages/face/index', { purpose: 'account_deletion' });
    await fire(face, '.face__verify', 'verified', { proof: { face_session_id: 'f9', verify_result: 'v9' } });
    await flush();
    expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '您有正在办理的办件，暂不能注销账号' }));
    expect(services.auth.isLoggedIn()).toBe(true);
  });
});

describe('WeChat binding and signing out (issue 13, defect 5)', () => {
  const { createServices } = require('../../services/index');
  const BOUND = Object.assign({ bound: true }, TOKENS(Object.assign({}, USERS.corporate, { wechat_bound: true })));

  test('a stale binding ticket does not block password sign-in: it is dropped after the attempt', async () => {
    // a server that refuses an expired ticket (as before the contract's change) answers 401 while it is sent
    const server = installFakeServer(wx, {
      'POST /auth/login/password': (req) => (req.data.binding_ticket
        ? problem(401, 'auth.token_invalid', '登录已失效，请重新登录') : TOKENS(USERS.corporate)),
      'GET /me/messages/unread-count': { unread: 0 },
    });
    services.tokens.setBindingTicket('expired-ticket');
    const page = await loadPage('pages/login-password/index');
    await fire(page, '.lpw__username', 'change', { value: 'demo-corp' });
    await fire(page, '.lpw__password', 'change', { value: 'Demo@12345' });
    await fire(page, '.lpw__login', 'tap');
    expect(server.called('POST /auth/login/password')[0].data.binding_ticket).toBe('expired-ticket');
    expect(services.auth.isLoggedIn()).toBe(false);
    expect(services.tokens.getBindingTicket()).toBeNull();
    await fire(page, '.lpw__login', 'tap');
    expect(server.called('POST /auth/login/password')[1].data).toEqual({ username: 'demo-corp', password: 'Demo@12345' });
    expect(services.auth.isLoggedIn()).toBe(true);
  });

  test('退出登录 sticks: the next launch does not sign in through the WeChat binding until the user signs in again', async () => {
    const server = installFakeServer(wx, {
      'POST /auth/wechat/session': BOUND,
      'POST /auth/logout': () => undefined,
      'POST /auth/login/password': TOKENS(USERS.corporate),
      'GET /me': USERS.corporate,
      'GET /me/certificates': { items: [] },
      'GET /me/messages/unread-count': { unread: 0 },
    });
    const launch = () => createServices({ wx, onAuthRequired: jest.fn() }).auth.bindWechat();
    expect(await services.auth.bindWechat()).toMatchObject({ bound: true });
    expect(server.called('POST /auth/wechat/session')).toHaveLength(1);
    const mine = await loadPage('pages/mine/index');
    await fire(mine, '.mine__logout', 'tap');
    await flush();
    expect(services.auth.isLoggedIn()).toBe(false);
    // the mini program is closed and opened again: still signed out, WeChat not even asked
    expect(await launch()).toEqual({ bound: false });
    expect(server.called('POST /auth/wechat/session')).toHaveLength(1);
    expect(createServices({ wx }).auth.isLoggedIn()).toBe(false);
    // signing in by hand ends it: the launch after that signs in through the binding again
    await services.auth.loginPassword('demo-corp', 'Demo@12345');
    await services.auth.logout();
    await services.auth.loginPassword('demo-corp', 'Demo@12345');
    services.tokens.clear();
    expect(await launch()).toMatchObject({ bound: true });
    expect(server.called('POST /auth/wechat/session')).toHaveLength(2);
  });

  test('用户信息 shows whether WeChat is bound and offers 解除微信绑定', async () => {
    signIn('corporate');
    let bound = true;
    const server = installFakeServer(wx, {
      'GET /me': () => Object.assign({}, USERS.corporate, { wechat_bound: bound }),
      'DELETE /me/wechat-binding': () => {
        bound = false;
        return undefined;
      },
    });
    const profile = await loadPage('pages/profile/index');
    expect(text(profile)).toContain('微信已绑定');
    await fire(profile, '.profile__unbind', 'tap');
    expect(wx.showModal).toHaveBeenCalledWith(expect.objectContaining({ title: '解除微信绑定' }));
    expect(server.called('DELETE /me/wechat-binding')).toHaveLength(1);
    expect(text(profile)).toContain('微信未绑定');
    expect(profile.querySelector('.profile__unbind')).toBeFalsy();
    expect(services.auth.isLoggedIn()).toBe(true);
  });

  test('a user who never bound WeChat is not offered 解除微信绑定', async () => {
    signIn('personal');
    installFakeServer(wx, { 'GET /me': USERS.personal });
    const profile = await loadPage('pages/profile/index');
    expect(text(profile)).toContain('微信未绑定');
    expect(profile.querySelector('.profile__unbind')).toBeFalsy();
  });
});

describe('忘记密码 of a company or ship account (issue 13, defect 10)', () => {
  test('法人/船舶用户登录 → 忘记密码: the username, the operator\'s face, then the new password', async () => {
    const server = installFakeServer(wx, {
      'GET /privacy/consent-texts': require('../fixtures/consent-texts.json'),
      'POST /auth/face/sessions': { face_session_id: 'f6', check_alive_type: 0, expires_at: '2026-01-01T00:05:00+08:00' },
      'POST /auth/password/reset': () => undefined,
    });
    const login = await loadPage('pages/login-password/index');
    await fire(login, '.lpw__forgot', 'tap');
    expect(wx.navigateTo).toHaveBeenLastCalledWith(expect.objectContaining({ url: '/pages/face/index?purpose=reset_password&account=corporate' }));
    const face = await loadPage('pages/face/index', { purpose: 'reset_password', account: 'corporate' });
    expect(text(face)).toContain('经办人');
    await fire(face, '.face__start', 'tap');
    expect(face.instance.data.usernameError).toBe('请输入用户名');
    expect(server.called('POST /auth/face/sessions')).toHaveLength(0);
    await fire(face, '.face__username', 'change', { value: 'shipping-co' });
    const verify = face.querySelector('.face__verify');
    verify.instance.setData({ name: '李四', idNumber: ID, agreed: true });
    await fire(face, '.face__start', 'tap');
    expect(server.called('POST /auth/face/sessions')[0].data).toMatchObject({ purpose: 'reset_password', name: '李四', id_number: ID });
    expect(wx.redirectTo).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/password-set/index?mode=reset' }));
    const set = await loadPage('pages/password-set/index', { mode: 'reset' });
    set.instance.setData({ password: 'NewPass@123', password2: 'NewPass@123' });
    await set.instance.onSave();
    expect(server.called('POST /auth/password/reset')[0].data).toEqual({
      username: 'shipping-co', face_session_id: 'f6', verify_result: 'wx-verify-result', new_password: 'NewPass@123',
    });
  });
});
