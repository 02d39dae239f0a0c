/**
 * Shared components: agency picker, material picker, face verification, certificate card,
 * timeline and list footer.
 */
const { load, text, fire, flush } = require('../helpers/simulate');
const { installFakeServer, problem } = require('../helpers/server');
const services = require('../../services/index');

const shapes = require('../helpers/shapes');

const CN = { code: 'CN', name: '中华人民共和国海事局（交通运输部海事局）', short_name: '部海事局', level: 'ministry_bureau', level_label: '部海事局', has_children: true, parent_code: null };
const SH = { code: 'SH', name: '上海海事局', short_name: '上海', level: 'direct_bureau', level_label: '直属海事局', has_children: true, parent_code: 'CN' };
// A detail names the public sources of the unit (none for those of the original directory).
const SOURCED = { sources: [], confidence: null };
const YS = { code: 'SH-YS', name: '洋山港海事局', short_name: '洋山港', level: 'branch_bureau', level_label: '分支海事局', has_children: false, parent_code: 'SH' };

function agencyServer() {
  return installFakeServer(wx, {
    'GET /agencies': (req) => (req.query.q
      ? [Object.assign({}, YS, { ancestors: [CN, SH] })]
      : [Object.assign({}, CN, { children: [SH] })]),
    'GET /agencies/CN': Object.assign({}, CN, SOURCED, { ancestors: [], children: [SH] }),
    'GET /agencies/SH': Object.assign({}, SH, SOURCED, { ancestors: [CN], children: [YS] }),
    'GET /agencies/SH-YS': Object.assign({}, YS, SOURCED, { ancestors: [CN, SH], children: [] }),
  });
}

describe('agency-picker', () => {
  test('drills down 海事局 → 分支局 and confirms the choice with 确定', async () => {
    agencyServer();
    const comp = load('components/agency-picker/index');
    const confirmed = [];
    comp.addEventListener('confirm', (e) => confirmed.push(e.detail));
    await flush();
    expect(text(comp)).toContain('当前选择中华人民共和国海事局');
    expect(text(comp)).toContain('上海海事局');
    await fire(comp, '.agency-picker__child', 'click');
    expect(text(comp)).toContain('当前选择上海海事局');
    expect(text(comp)).toContain('洋山港海事局');
    await fire(comp, '.agency-picker__child', 'click');
    expect(text(comp)).toContain('当前选择洋山港海事局');
    expect(text(comp)).toContain('该机构无下级机构');
    await fire(comp, '.agency-picker__crumb', 'tap');
    expect(text(comp)).toContain('当前选择中华人民共和国海事局');
    await fire(comp, '.agency-picker__child', 'click');
    await fire(comp, '.agency-picker__ok', 'tap');
    expect(confirmed).toEqual([{ code: 'SH', name: '上海海事局', short_name: '上海' }]);
  });

  test('starts at the given agency and finds agencies by name', async () => {
    const server = agencyServer();
    const comp = load('components/agency-picker/index', { value: 'SH' });
    await flush();
    expect(server.called('GET /agencies')).toHaveLength(0);
    expect(text(comp)).toContain('当前选择上海海事局');
    await fire(comp, '.agency-picker__search', 'change', { value: '洋山' });
    await fire(comp, '.agency-picker__search', 'submit', { value: '洋山' });
    expect(text(comp)).toContain('洋山港海事局');
    expect(text(comp)).toContain('部海事局 / 上海');
    await fire(comp, '.agency-picker__result', 'click');
    expect(text(comp)).toContain('当前选择洋山港海事局');
  });
});

describe('agency-picker for an item', () => {
  // GET /catalog/items/TH-002/agencies: the units that handle the item and those above them.
  const handling = (over) => Object.assign({ handles_item: true, office_hours: null, closed_on: null }, over);
  const TREE = [handling(Object.assign({}, CN, {
    handles_item: false,
    children: [handling(Object.assign({}, SH, {
      children: [handling(Object.assign({}, YS, { address: '上海市浦东新区洋山港', office_hours: '工作日 9:00-17:00', children: [] }))],
    }))],
  }))];

  test('offers only the units that handle the item, and 确定 only on one of them', async () => {
    const server = installFakeServer(wx, { 'GET /catalog/items/TH-002/agencies': TREE });
    const comp = load('components/agency-picker/index', { item: 'TH-002' });
    const confirmed = [];
    comp.addEventListener('confirm', (e) => confirmed.push(e.detail));
    await flush();
    expect(text(comp)).toContain('当前选择中华人民共和国海事局');
    expect(text(comp)).toContain('该机构不受理此事项，请选择下级机构');
    await fire(comp, '.agency-picker__ok', 'tap');
    expect(confirmed).toEqual([]);
    await fire(comp, '.agency-picker__child', 'click');
    await fire(comp, '.agency-picker__child', 'click');
    expect(text(comp)).toContain('当前选择洋山港海事局');
    expect(text(comp)).toContain('上海市浦东新区洋山港');
    expect(text(comp)).toContain('办公时间：工作日 9:00-17:00');
    expect(text(comp)).not.toContain('不受理此事项');
    await fire(comp, '.agency-picker__crumb', 'tap');
    expect(text(comp)).toContain('当前选择中华人民共和国海事局');
    await fire(comp, '.agency-picker__search', 'change', { value: '洋山' });
    await fire(comp, '.agency-picker__search', 'submit', { value: '洋山' });
    expect(text(comp)).toContain('部海事局 / 上海');
    await fire(comp, '.agency-picker__result', 'click');
    await fire(comp, '.agency-picker__ok', 'tap');
    expect(confirmed).toEqual([{ code: 'SH-YS', name: '洋山港海事局', short_name: '洋山港' }]);
    // One request for the whole walk; the public tree (closed units and all levels) is never asked.
    expect(server.called('GET /catalog/items/TH-002/agencies')).toHaveLength(1);
    expect(server.called('GET /agencies')).toHaveLength(0);
  });
});

describe('material-picker', () => {
  const slot = { slot: 'bdn', name: '燃油供受单证（BDN）', required: true };

  test('我的材料 lists uploaded materials to choose from', async () => {
    installFakeServer(wx, { 'GET /me/materials': { items: [shapes.material({ id: 'm1', name: 'BDN.pdf' }), shapes.material({ id: 'm2', name: '检测报告.pdf' })], next_cursor: null } });
    const comp = load('components/material-picker/index', { slotDef: slot });
    const changes = [];
    comp.addEventListener('change', (e) => changes.push(e.detail));
    expect(text(comp)).toContain('*燃油供受单证（BDN）');
    await fire(comp, '.mp__mine', 'tap');
    expect(comp.instance.data.popupVisible).toBe(true);
    expect(text(comp)).toContain('检测报告.pdf');
    const cells = comp.querySelectorAll('.mp__option');
    await fire(comp, cells[1], 'click');
    expect(changes).toEqual([{ slot: 'bdn', material: expect.objectContaining({ id: 'm2', name: '检测报告.pdf' }) }]);
  });

  test('手机上传 uploads a chat file to 我的材料 with progress and uses it', async () => {
    const server = installFakeServer(wx, { 'POST /me/materials': shapes.material({ id: 'm9', name: '申请书.pdf' }) });
    wx.showActionSheet.mockImplementationOnce((p) => p.success({ tapIndex: 1 }));
    const comp = load('components/material-picker/index', { slotDef: slot });
    const changes = [];
    comp.addEventListener('change', (e) => changes.push(e.detail));
    await fire(comp, '.mp__phone', 'tap');
    expect(wx.chooseMessageFile).toHaveBeenCalled();
    expect(server.called('POST /me/materials')[0].data.filePath).toBe('wxfile://tmp/doc.pdf');
    expect(changes).toEqual([{ slot: 'bdn', material: expect.objectContaining({ id: 'm9', name: '申请书.pdf' }) }]);
    expect(comp.instance.data.progress).toBe(100);
  });

  describe('a slot holding identity documents', () => {
    const ID_CARD = shapes.material({ id: 'm7', name: '身份证.jpg', kind: 'identity_document', file_type: 'jpg', content_type: 'image/jpeg', is_image: true });
    const consent = (id) => ({
      id, purpose: { code: 'identity_documents', label: '身份证明材料' }, policy_version: '2026-11', given_at: shapes.T, withdrawn_at: null, in_force: true,
    });
    const identitySlot = { slot: 'power_of_attorney', name: '委托证明及身份证明（委托时）', required: false, identity_document: true };
    const routes = (consents) => ({
      'GET /privacy/consent-texts': require('../fixtures/consent-texts.json'),
      'GET /me/consents': consents,
      'POST /me/consents': consent('c1'),
      'POST /me/materials': ID_CARD,
    });

    test('shows the rules, records 同意 and uploads as an identity document', async () => {
      const server = installFakeServer(wx, routes([]));
      const comp = load('components/material-picker/index', { slotDef: identitySlot });
      const changes = [];
      comp.addEventListener('change', (e) => changes.push(e.detail));
      expect(text(comp)).toContain('上传前需同意《身份证明材料个人信息处理规则》');
      await fire(comp, '.mp__phone', 'tap');
      expect(wx.showModal).toHaveBeenCalledWith(expect.objectContaining({
        title: '身份证明材料个人信息处理规则', confirmText: '同意', cancelText: '不同意',
      }));
      expect(server.called('POST /me/consents')[0].data).toEqual({ purpose: 'identity_documents', version: '2026-11' });
      expect(server.called('POST /me/materials')[0].query).toEqual({ kind: 'identity_document' });
      expect(changes).toEqual([{ slot: 'power_of_attorney', material: ID_CARD }]);
    });

    test('不同意 uploads nothing', async () => {
      const server = installFakeServer(wx, routes([]));
      wx.showModal.mockImplementationOnce((p) => p.success({ confirm: false, cancel: true }));
      const comp = load('components/material-picker/index', { slotDef: identitySlot });
      await fire(comp, '.mp__phone', 'tap');
      expect(server.called('POST /me/consents')).toHaveLength(0);
      expect(server.called('POST /me/materials')).toHaveLength(0);
      expect(wx.chooseMedia).not.toHaveBeenCalled();
    });

    test('a consent in force is not asked again', async () => {
      const server = installFakeServer(wx, routes([consent('c0')]));
      const comp = load('components/material-picker/index', { slotDef: identitySlot });
      await fire(comp, '.mp__phone', 'tap');
      expect(wx.showModal).not.toHaveBeenCalledWith(expect.objectContaining({ confirmText: '同意' }));
      expect(server.called('POST /me/materials')[0].query).toEqual({ kind: 'identity_document' });
    });
  });

  test('shows the chosen material and its error, and can remove it', async () => {
    const comp = load('components/material-picker/index', { slotDef: slot, value: { id: 'm1', name: 'BDN.pdf' }, error: '请添加燃油供受单证（BDN）' });
    const changes = [];
    comp.addEventListener('change', (e) => changes.push(e.detail));
    expect(text(comp)).toContain('BDN.pdf');
    expect(text(comp)).toContain('请添加燃油供受单证（BDN）');
    await fire(comp, '.mp__remove', 'tap');
    expect(changes).toEqual([{ slot: 'bdn', material: null }]);
  });
});

describe('face-verify', () => {
  const TEXTS = { 'GET /privacy/consent-texts': require('../fixtures/consent-texts.json') };
  const FACE_CONSENT = { purpose: 'face_verification', version: '2026-11' };

  test('checks name, ID number and the agreement to the rules before starting', async () => {
    const server = installFakeServer(wx, TEXTS);
    const comp = load('components/face-verify/index', { purpose: 'login' });
    await flush();
    await fire(comp, '.fv__start', 'tap');
    expect(comp.instance.data.errors).toEqual({
      name: '请输入正确的姓名', idNumber: '请输入正确的18位身份证号码', consent: '请先阅读并同意《人脸识别个人信息处理规则》',
    });
    expect(server.called('POST /auth/face/sessions')).toHaveLength(0);
  });

  test('shows the rules in full and starts nothing until 同意 is ticked', async () => {
    const server = installFakeServer(wx, TEXTS);
    const comp = load('components/face-verify/index', { purpose: 'login' });
    await flush();
    expect(text(comp)).toContain('我已阅读并同意《人脸识别个人信息处理规则》');
    await fire(comp, '.fv__consent-toggle', 'tap');
    expect(text(comp)).toContain('点击“同意”即表示您单独同意上述处理');
    comp.setData({ name: '张三', idNumber: '11010519491231002X' });
    await fire(comp, '.fv__start', 'tap');
    expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '请先阅读并同意《人脸识别个人信息处理规则》' }));
    expect(server.called('POST /auth/face/sessions')).toHaveLength(0);
  });

  test('开始识别 opens a face session with the consent, for the method chosen, and emits the proof', async () => {
    const server = installFakeServer(wx, Object.assign({}, TEXTS, {
      'POST /auth/face/sessions': { face_session_id: 'f1', check_alive_type: 0, expires_at: '2026-01-01T00:05:00+08:00' },
    }));
    const comp = load('components/face-verify/index', { purpose: 'login' });
    const verified = [];
    comp.addEventListener('verified', (e) => verified.push(e.detail));
    await fire(comp, '.fv__name', 'change', { value: '张三' });
    await fire(comp, '.fv__id', 'change', { value: '11010519491231002x' });
    await fire(comp, '.fv__method', 'change', { value: 'read_digits' });
    await fire(comp, '.fv__agree', 'change', { checked: true });
    expect(text(comp)).toContain('读出屏幕上的数字');
    await fire(comp, '.fv__start', 'tap');
    expect(server.called('POST /auth/face/sessions')[0].data).toEqual({
      purpose: 'login', name: '张三', id_number: '11010519491231002X', method: 'read_digits', consent: FACE_CONSENT,
    });
    expect(wx.startFacialRecognitionVerify).toHaveBeenCalledWith(expect.objectContaining({ checkAliveType: 0, idCardNumber: '11010519491231002X' }));
    expect(verified).toEqual([{ proof: { face_session_id: 'f1', verify_result: 'wx-verify-result' }, name: '张三', idNumber: '11010519491231002X' }]);
  });

  test('a refused face session emits nothing', async () => {
    installFakeServer(wx, Object.assign({}, TEXTS, {
      'POST /auth/face/sessions': problem(429, 'rate_limited', '操作过于频繁，请稍后再试'),
    }));
    const comp = load('components/face-verify/index', { purpose: 'login' });
    const verified = [];
    comp.addEventListener('verified', (e) => verified.push(e.detail));
    comp.setData({ name: '张三', idNumber: '11010519491231002X', agreed: true });
    await fire(comp, '.fv__start', 'tap');
    expect(verified).toEqual([]);
    expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '操作过于频繁，请稍后再试' }));
  });
});

describe('certificate-card', () => {
  test('shows the certificate with 亮证 and 纠错 for 船员证照', async () => {
    const comp = load('components/certificate-card/index', {
      certificate: shapes.certificateCard({ type: shapes.coded('SEAFARER_COC_SEA', '海船船员适任证书'), title: '海船船员适任证书',
        number: 'JBA1112000001', holder_name: '张*', expires_on: '2030-06-30' }),
    });
    const events = [];
    comp.addEventListener('display', (e) => events.push(['display', e.detail]));
    comp.addEventListener('correct', (e) => events.push(['correct', e.detail]));
    expect(text(comp)).toContain('海船船员适任证书');
    expect(text(comp)).toContain('证书编号：JBA1112000001');
    expect(text(comp)).toContain('有效期至：2030-06-30');
    await fire(comp, '.cert__qr', 'tap');
    await fire(comp, '.cert__correct', 'tap');
    expect(events).toEqual([['display', { id: 'c1' }], ['correct', { id: 'c1' }]]);
  });

  test('亮证 and 纠错 only where the server allows them', () => {
    const comp = load('components/certificate-card/index', { certificate: shapes.certificateCard({ allowed_actions: [] }) });
    expect(comp.querySelector('.cert__qr')).toBeFalsy();
    expect(comp.querySelector('.cert__correct')).toBeFalsy();
  });
});

describe('timeline', () => {
  test('shows who did what and when, in Shanghai time', () => {
    const comp = load('components/timeline/index', {
      items: [
        { action: shapes.coded('submit', '提交'), status: shapes.status('submitted'), occurred_at: '2026-05-15T01:40:00Z', actor: '示例航运', comment: null },
        { action: shapes.coded('accept', '受理'), status: shapes.status('accepted'), occurred_at: '2026-05-16T02:00:00Z', actor: '上海海事局', comment: '材料齐全' },
      ],
    });
    const t = text(comp);
    expect(t).toContain('待受理');
    expect(t).toContain('2026-05-15 09:40');
    expect(t).toContain('示例航运');
    expect(t).toContain('已受理');
    expect(t).toContain('材料齐全');
  });
});

describe('list-status', () => {
  test('empty, end and retry states', async () => {
    const comp = load('components/list-status/index', { finished: true, count: 0, emptyText: '暂无办件' });
    expect(text(comp)).toContain('暂无办件');
    comp.setData({ count: 3 });
    expect(text(comp)).toBe('没有更多了');
    const retried = jest.fn();
    comp.setData({ error: true, finished: false });
    comp.addEventListener('retry', retried);
    await fire(comp, '.list-status__retry', 'tap');
    expect(retried).toHaveBeenCalled();
  });
});

afterAll(() => services.tokens.clear());

describe('timeline in the API shape', () => {
  test('action and status as {code, label}, occurred_at, actor as text', () => {
    const comp = load('components/timeline/index', {
      items: [{ occurred_at: '2026-05-15T01:40:00Z', action: { code: 'submit', label: '提交' }, status: { code: 'submitted', label: '待受理' }, actor: '申请人', comment: null }],
    });
    expect(text(comp).replace(/\s/g, '')).toBe('提交（待受理）2026-05-1509:40·申请人');
  });
});
