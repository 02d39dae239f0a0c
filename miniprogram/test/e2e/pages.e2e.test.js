/**
 * Every page of app.json, end to end: each test runs the main flow of the pages it names
 * through the same services/ calls and utils/ the page uses, against the live backend
 * (E2E_BASE_URL; see flows.e2e.test.js). The last test fails when a page has no flow here.
 *
 * Contract points being built by other engineers at the same time are marked in the test name
 * with [contract N]; they fail until that part of the backend is merged.
 */
const fs = require('fs');
const path = require('path');
const appForm = require('../../utils/application-form');
const { summary } = require('../../utils/application');
const { actionsFor } = require('../../utils/application-actions');
const { guideRows } = require('../../utils/catalog');
const { toView, tokenFrom } = require('../../utils/certificate');
const { detailView, RESULT_DOCUMENT } = require('../../utils/certificate-detail');
const { formRows, resolveNames, materialRows } = require('../../utils/form-view');
const { toHtml } = require('../../utils/markdown');
const { pageOf } = require('../../utils/format');
const reference = require('../../utils/reference');
const ships = require('../../utils/ships');
const { describeStep } = require('../../utils/schema-form');
const { validate } = require('../../utils/schema-validate');
const { svgDataUrl } = require('../../utils/svg');
const { uploadMaterial } = require('../../utils/upload');
const { checkEvaluation } = require('../../utils/evaluation');
const { isIdNumber, rules } = require('../../utils/validators');
const {
  suite, client, signInAs, randomPerson, face, registerPersonal, samplePng, allPages, COVERED, flow, randomCreditCode,
} = require('./support');

const APP_PAGES = JSON.parse(fs.readFileSync(path.join(__dirname, '../../app.json'), 'utf8')).pages;

const isPdf = (file) => fs.readFileSync(file).subarray(0, 5).toString() === '%PDF-';

/** 法人注册 of a new shipping company (kind ship) by its 经办人. */
async function registerShipCompany() {
  const c = client();
  const operator = randomPerson();
  const username = `e2eship${Date.now().toString(36)}${Math.floor(Math.random() * 1000)}`;
  expect(rules.creditCode(randomCreditCode())).toBeNull();
  const res = await c.auth.registerCorporate({
    company_name: '舟山新航海运有限公司', credit_code: randomCreditCode(), kind: 'ship', operator_name: operator.name,
    operator_id_number: operator.idNumber, contact_phone: operator.phone, username, password: operator.password,
  });
  if (!res || !res.access_token) await c.auth.loginPassword(username, operator.password);
  expect(c.auth.isLoggedIn()).toBe(true);
  return { c, username, operator };
}

/** A ship with a valid IMO check digit and MMSI, as typed into 添加船舶. */
function newShipValues() {
  const first6 = String(100000 + Math.floor(Math.random() * 899999));
  return {
    name: `新航${first6.slice(-3)}号`, imo_number: first6 + ships.imoCheckDigit(first6), mmsi: `41${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`,
    call_sign: '', flag: 'CN', port_of_registry: '舟山', ship_type: '油船', gross_tonnage: '2999',
  };
}

/** 在线办理 as the form page does it: steps checked one by one, then 保存 and 提交. */
async function fileApplication(c, item, form, materialId, phone) {
  const tree = await c.api.agencies.tree();
  const materials = {};
  item.material_slots.forEach((s) => {
    materials[s.slot] = { id: materialId };
  });
  const state = { form, materials, agency: { code: tree[0].children[0].code }, contactName: '李经办', contactPhone: phone };
  appForm.describeSteps(item).forEach((step) => expect(appForm.checkStep(item, step, state)).toMatchObject({ ok: true }));
  const draft = await c.api.applications.create(appForm.buildBody(item, state));
  const saved = await c.api.applications.update(draft.id, appForm.buildBody(item, state, true), draft.version);
  return c.api.applications.submit(draft.id, saved.version);
}

/** The accepting agency's staff decides (受理, then 办结): what the applicant then sees. */
async function staffApproves(staff, applicationId) {
  for (let i = 0; i < 3; i += 1) {
    const app = await staff.http.get(`/staff/applications/${applicationId}`);
    const allowed = app.allowed_actions || [];
    if (allowed.indexOf('approve') >= 0) {
      return staff.http.post(`/staff/applications/${applicationId}/decisions`, { action: 'approve', comment: '材料齐全，予以办结' }, { version: app.version });
    }
    expect(allowed).toContain('accept');
    await staff.http.post(`/staff/applications/${applicationId}/decisions`, { action: 'accept' }, { version: app.version });
  }
  throw new Error('the application could not be approved');
}

suite('every page: public pages (no login)', () => {
  const c = client();

  flow(['pages/home/index', 'pages/agency/index', 'pages/search/index', 'pages/guide/index'],
    '选择海事机构, 首页 facets, 事项查询 by keyword and filter, 办事指南', async () => {
      // 选择海事机构 (agency-picker): the tree, a bureau's children, search by name.
      const tree = await c.api.agencies.tree();
      const bureau = tree[0].children.find((a) => a.has_children);
      const detail = await c.api.agencies.get(bureau.code);
      expect(detail.children.length).toBeGreaterThan(0);
      // 首页: the four ways to browse, narrowed by the chosen agency.
      const facets = await c.api.catalog.facets({ agency: bureau.code });
      expect(facets.business.length).toBeGreaterThan(0);
      // 事项查询: a keyword and a filter of the facets.
      const found = await c.api.catalog.items({ q: '船员', agency: bureau.code, limit: 20 });
      expect(found.items.length).toBeGreaterThan(0);
      const business = facets.business[0];
      const filtered = await c.api.catalog.items({ business: business.code, limit: 20 });
      expect(filtered.items.every((i) => i.business.code === business.code)).toBe(true);
      // 办事指南: every row the page shows has a label and text.
      const item = await c.api.catalog.item(found.items[0].code);
      const rows = guideRows(item.guide);
      expect(rows.length).toBeGreaterThan(3);
      rows.forEach((r) => expect(r.label && (r.text || r.list.length)).toBeTruthy());
      // 受理机构 on the guide: the picker offers the units that handle the item; choosing one
      // asks the guide again for it, and the server says which unit it filled in.
      const handling = [];
      const walk = (nodes) => nodes.forEach((n) => { if (n.handles_item) handling.push(n); walk(n.children); });
      walk(await c.api.catalog.agencies(item.code));
      expect(handling.length).toBeGreaterThan(0);
      const local = await c.api.catalog.item(item.code, handling[0].code);
      expect(local.local_details.agency.code).toBe(handling[0].code);
    });

  flow(['pages/help/index', 'pages/help-article/index'], '帮助指引 list and an article rendered', async () => {
    const list = await c.api.help.list({ limit: 20 });
    expect(list.items.length).toBeGreaterThan(0);
    const article = await c.api.help.get(list.items[0].id);
    expect(toHtml(article.body)).toMatch(/<p|<ul|<ol|<h/);
  });

  flow(['pages/cert-lookup/index'], '证书查询 by number and holder name finds a new seafarer\'s certificate', async () => {
    const { c: seafarer, person } = await registerPersonal();
    const cert = (await seafarer.api.certificates.list()).items[0];
    const result = await c.api.publicQuery.certificate({ certificate_no: cert.number, holder_name: person.name });
    const view = toView(result);
    expect(view.number).toBe(cert.number);
    expect(view.holder).not.toBe(person.name);
    const wrong = await c.api.publicQuery.certificate({ certificate_no: cert.number, holder_name: '王某某' }, { silent: true }).catch((e) => e);
    expect(wrong.status).toBe(404);
  });
});

suite('every page: sign-in, registration and the account', () => {
  flow(['pages/login/index', 'pages/register-personal/index', 'pages/login-personal/index'],
    '个人注册 with face, 退出登录, 个人登录 with face again', async () => {
      const { c, person } = await registerPersonal();
      const me = await c.api.me.get();
      await c.auth.logout();
      expect(c.auth.isLoggedIn()).toBe(false);
      const proof = await face(c, person, 'login', 'read_digits');
      await c.auth.loginPersonal(proof);
      expect((await c.api.me.get()).id).toBe(me.id);
    });

  flow(['pages/login-password/index'], '法人/船舶用户登录 with the password; staff add the authenticator code', async () => {
    const corp = await signInAs('demo-corp');
    expect((await corp.api.me.get()).role.code).toBe('corporate');
    const wrong = await client().auth.loginPassword('demo-corp', 'Wrong#Pass1').catch((e) => e);
    expect(wrong.status).toBe(401);
  });

  flow(['pages/register-corporate/index'], '法人注册 of a shipping company (船舶用户)', async () => {
    const { c, username } = await registerShipCompany();
    const me = await c.api.me.get();
    expect(me.username).toBe(username);
    expect(me.corporate.kind.code).toBe('ship');
  });

  flow(['pages/profile/index', 'pages/face/index', 'pages/phone-set/index', 'pages/password-set/index'],
    '个人信息: 修改手机号码 and 修改密码 after face verification, 忘记密码 resets by face', async () => {
      const { c, person } = await registerPersonal();
      const newPhone = `137${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
      expect(rules.phone(newPhone)).toBeNull();
      const phoneProof = await face(c, person, 'change_phone');
      await c.api.me.changePhone(Object.assign({}, phoneProof, { new_phone: newPhone }));
      const me = await c.auth.refreshUser();
      expect(me.phone).toBe(`${newPhone.slice(0, 3)}****${newPhone.slice(-4)}`);

      const changeProof = await face(c, person, 'change_password');
      await c.api.me.changePassword(Object.assign({}, changeProof, { new_password: `Chg@${Date.now()}` }));

      const anonymous = client();
      const resetProof = await face(anonymous, person, 'reset_password');
      await anonymous.auth.resetPassword(Object.assign({}, resetProof, { new_password: `Rst@${Date.now()}` }));
      const used = await anonymous.auth.resetPassword(Object.assign({}, resetProof, { new_password: `Rst@${Date.now()}x` })).catch((e) => e);
      expect(used.status).toBeGreaterThanOrEqual(400);
    });

  flow(['pages/profile/index'], '[contract 8] 用户信息 shows the WeChat binding; 解除微信绑定 removes it', async () => {
    const { c } = await registerPersonal();
    expect((await c.auth.refreshUser()).wechat_bound).toBe(true);
    await c.api.me.unbindWechat();
    expect((await c.auth.refreshUser()).wechat_bound).toBe(false);
  });

  flow(['pages/login-password/index', 'pages/face/index', 'pages/password-set/index'],
    '[contract 9] 法人/船舶用户 忘记密码: the username and the operator\'s face, then the new password signs in', async () => {
      const { username, operator } = await registerShipCompany();
      const anonymous = client();
      // the face page hands the username on with the operator's face proof
      const proof = Object.assign({ username }, await face(anonymous, operator, 'reset_password'));
      const password = `Rst@${Date.now()}`;
      await anonymous.auth.resetPassword(Object.assign({}, proof, { new_password: password }));
      const old = await client().auth.loginPassword(username, operator.password).catch((e) => e);
      expect(old.status).toBe(401);
      const fresh = client();
      await fresh.auth.loginPassword(username, password);
      expect(fresh.auth.isLoggedIn()).toBe(true);
    });

  flow(['pages/mine/index'], '个人中心: the user, the certificate carousel, unread messages, 退出登录', async () => {
    const { c } = await registerPersonal();
    const user = await c.auth.refreshUser();
    expect(user.role.code).toBe('personal');
    const carousel = pageOf(await c.api.certificates.list({ limit: 5 }));
    expect(carousel.items.length).toBeGreaterThan(0);
    carousel.items.forEach((cert) => expect(toView(cert).title).toBeTruthy());
    const unread = await c.api.messages.unreadCount();
    expect(unread.unread).toBeGreaterThanOrEqual(0);
    await c.auth.logout();
    expect(c.auth.isLoggedIn()).toBe(false);
    const gone = await c.api.me.get({ silent: true, authRedirect: false }).catch((e) => e);
    expect(gone.status).toBe(401);
  });
});

suite('every page: 我的材料', () => {
  flow(['pages/material-upload/index', 'pages/materials/index'], '上传材料 (with a name), 我的材料 lists, 查看 downloads, 删除', async () => {
    const c = await signInAs('demo-corp');
    const file = samplePng(c.wx, 'upload-page.png');
    const progress = [];
    const material = await uploadMaterial(c.api, { path: file, name: 'upload-page.png' }, '船舶国籍证书', (p) => progress.push(p.progress));
    expect(material.name).toMatch(/^船舶国籍证书/);
    const list = await allPages((cursor) => c.api.materials.list({ limit: 50, cursor }));
    expect(list.some((m) => m.id === material.id)).toBe(true);
    const downloaded = await c.api.materials.download(material.id);
    expect(fs.statSync(downloaded).size).toBeGreaterThan(0);
    await c.api.materials.remove(material.id);
  });
});

suite('every page: a new shipping company files 不合规燃油信息报告 and follows it to the end', () => {
  let company;
  let items;
  let ship;
  let materialId;
  let application;
  const phone = `135${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;

  beforeAll(async () => {
    company = await registerShipCompany();
    items = await company.c.api.onlineItems.list();
    materialId = (await company.c.api.materials.upload({ filePath: samplePng(company.c.wx, 'report.png'), name: '燃油样品检测报告' })).id;
  });

  /** The WF-002 form as the user fills it: the example with the company's own ship picked. */
  function reportForm(item, shipEntry) {
    const shipField = describeStep(item, item.steps[0]).fields.find((f) => f.widget === 'ship');
    return Object.assign({}, item.example, { ship: reference.pickShip(shipEntry, shipField.shipKeys) });
  }

  flow(['pages/ships/index', 'pages/ship-edit/index'], '我的船舶: the new company has none, adds one, corrects it, removes a second', async () => {
    const { c } = company;
    expect(pageOf(await c.api.ships.list()).items).toEqual([]);
    const values = newShipValues();
    expect(ships.check(values)).toEqual({});
    const added = await c.api.ships.add(ships.toBody(values));
    expect(ships.shipView(added).ids).toContain(values.imo_number);
    expect(added.port_of_registry).toBe('舟山');

    const bad = Object.assign({}, values, { imo_number: `${values.imo_number.slice(0, 6)}${(Number(values.imo_number[6]) + 1) % 10}` });
    expect(ships.check(bad)).toEqual({ imo_number: 'IMO编号校验位不正确' });
    const refused = await c.api.ships.update(added.id, ships.toBody(bad)).catch((e) => e);
    expect(refused.status).toBe(422);
    expect(refused.errors[0].msg).toBe('IMO编号校验位不正确');

    const edited = await c.api.ships.update(added.id, ships.toBody(Object.assign(ships.toValues(added), { gross_tonnage: '3100', call_sign: 'bzx9' })));
    expect(edited).toMatchObject({ id: added.id, gross_tonnage: 3100, call_sign: 'BZX9' });

    const second = await c.api.ships.add(ships.toBody(newShipValues()));
    await c.api.ships.remove(second.id);
    const list = pageOf(await c.api.ships.list()).items;
    expect(list.map((s) => s.id)).toEqual([added.id]);
    ship = list[0];
  });

  flow(['pages/online/index', 'pages/picker/index', 'pages/apply/index'],
    '在线办理: pick the ship, a listed supplier, port, country and regulation items; 保存 and 提交', async () => {
      const { c } = company;
      const item = items.find((i) => i.item_code === 'WF-002');
      // The pickers: 选择船舶 (我的船舶) and the searchable pick lists.
      const picked = pageOf(await reference.KINDS.ship.fetch(c.api)).items;
      expect(picked.map((s) => s.id)).toEqual([ship.id]);
      const suppliers = pageOf(await reference.KINDS.supplier.fetch(c.api, { q: 'FS001', limit: 20 }));
      expect(suppliers.items.some((s) => s.id === 'FS001')).toBe(true);
      expect(await reference.lookupDisplay(c.api, 'port', item.example.bunkering_port)).toMatch(/（/);
      const form = reportForm(item, ship);
      expect(validate(item.form_schema, form)).toEqual({});
      application = await fileApplication(c, item, form, materialId, phone);
      expect(application.status.code).toBe('submitted');
      expect(application.number).toMatch(/^HS\d{14}$/);
    });

  flow(['pages/apply/index'], '[contract 6] 不合规燃油信息报告 with a supplier not on the list (supplier_other)', async () => {
    const { c } = company;
    const item = (await c.api.onlineItems.list()).find((i) => i.item_code === 'WF-002');
    const supplierStep = appForm.describeSteps(item).find((s) => s.fields.some((f) => f.key === 'supplier_id'));
    const supplier = supplierStep.fields.find((f) => f.key === 'supplier_id');
    expect(supplier.other).toMatchObject({ key: 'supplier_other' });
    const form = reportForm(item, ship);
    delete form.supplier_id;
    form.supplier_other = { name: '舟山某燃油贸易有限公司', credit_code: randomCreditCode() };
    expect(validate(item.form_schema, form)).toEqual({});
    const submitted = await fileApplication(c, item, form, materialId, phone);
    expect(submitted.status.code).toBe('submitted');
    const detail = await c.api.applications.get(submitted.id);
    expect(detail.form.supplier_other).toEqual(form.supplier_other);
    expect(detail.form).not.toHaveProperty('supplier_id');
    const rows = formRows(item.form_schema, detail.form).map((r) => r.value);
    expect(rows).toContain('舟山某燃油贸易有限公司');
  });

  flow(['pages/progress/index', 'pages/progress-result/index'], '办件查询 by number and contact phone, without login', async () => {
    const anonymous = client();
    expect(rules.phone(phone)).toBeNull();
    const result = await anonymous.api.publicQuery.progress({ application_no: application.number, phone });
    expect(result).toMatchObject({
      application_no: application.number, status: { code: 'submitted' }, item: { code: 'WF-002', label: '不合规燃油信息报告' },
    });
    expect(result.timeline.length).toBeGreaterThan(0);
  });

  flow(['pages/applications/index', 'pages/application/index'],
    '我的办件 lists it; 办件详情 shows the form read-only with names, the materials open', async () => {
      const { c } = company;
      const mine = await c.api.applications.mine({ limit: 20 });
      const listed = mine.items.find((a) => a.id === application.id);
      expect(summary(listed).itemName).toBe('不合规燃油信息报告');
      const detail = await c.api.applications.get(application.id);
      // the list entry and the detail offer the same actions, as the server allows them
      expect(actionsFor(listed).map((a) => a.key)).toEqual(actionsFor(detail).map((a) => a.key));
      expect(summary(detail).actions.map((a) => a.key)).toEqual(['cancel']);
      const item = items.find((i) => i.item_code === 'WF-002');
      const rows = await resolveNames(c.api, formRows(item.form_schema, detail.form));
      const row = (p) => rows.find((r) => r.path === p);
      expect(row('ship.name').value).toBe(ship.name);
      expect(row('ship.flag').value).toBe('中国（CN）');
      expect(row('supplier_id').value).toMatch(/（FS001）$/);
      expect(row('found_date').value).toBe(item.example.found_date);
      const materials = materialRows(detail);
      expect(materials.map((m) => m.id)).toContain(materialId);
      const file = await c.api.materials.download(materials[0].id);
      expect(fs.readFileSync(file).subarray(1, 4).toString()).toBe('PNG');
    });

  flow(['pages/application/index', 'pages/guide/index'],
    '办件详情 → 办事指南: the guide the application was submitted under, for its agency', async () => {
      const { c } = company;
      const detail = await c.api.applications.get(application.id);
      const kept = await c.api.applications.guide(application.id);
      expect(Number.isInteger(kept.version)).toBe(true);
      expect(kept.version).toBeGreaterThan(0);
      expect(kept).toMatchObject({ item_code: 'WF-002', item_name: detail.item.label, agency: { code: detail.agency.code, name: detail.agency.name } });
      // the same rows the live guide shows, from the kept version
      const rows = guideRows(kept.guide).map((r) => r.label);
      ['事项名称', '受理条件', '办理地点、时间', '咨询电话'].forEach((label) => expect(rows).toContain(label));
      // asked again it is the same version (nothing was published in between)
      expect((await c.api.applications.guide(application.id)).version).toBe(kept.version);
    });

  describe('once the agency has decided', () => {
    let staff;
    let resultDocument;

    beforeAll(async () => {
      staff = await signInAs('demo-staff');
      await staffApproves(staff, application.id);
    }, 90000);

    flow(['pages/messages/index'], '我的消息: the decision arrived; read one, then 全部已读', async () => {
      const { c } = company;
      const before = await c.api.messages.unreadCount();
      const list = await c.api.messages.list({ limit: 20 });
      const about = list.items.filter((m) => m.subject_id === application.id);
      expect(about.length).toBeGreaterThan(0);
      await c.api.messages.read(about[0].id);
      const after = await c.api.messages.unreadCount();
      expect(after.unread).toBe(before.unread - (about[0].read ? 0 : 1));
      await c.api.messages.readAll();
      expect((await c.api.messages.unreadCount()).unread).toBe(0);
    });

    flow(['pages/application/index'], '办件详情 after 办结: the notices open as PDF', async () => {
      const { c } = company;
      const detail = await c.api.applications.get(application.id);
      expect(detail.status.code).toBe('approved');
      // 查看通知书 (view_notice) and 评价, on the list entry as on the detail
      expect(summary(detail).actions.map((a) => a.label)).toEqual(['查看通知书', '评价']);
      const listed = (await c.api.applications.mine({ limit: 20, finished: true })).items.find((a) => a.id === application.id);
      expect(summary(listed).actions.map((a) => a.label)).toEqual(['查看通知书', '评价']);
      const notices = pageOf(await c.api.applications.notices(application.id)).items;
      expect(notices.map((n) => n.id)).toEqual(detail.notices.map((n) => n.id));
      expect(notices.length).toBeGreaterThan(0);
      expect(isPdf(await c.api.applications.downloadNotice(application.id, notices[0].id))).toBe(true);
    });

    flow(['pages/certificates/index', 'pages/certificate/index'], '我的证照 holds the result document; 证照详情 shows it', async () => {
      const { c } = company;
      const list = await allPages((cursor) => c.api.certificates.list({ limit: 20, cursor }));
      const card = list.find((x) => x.type.code === RESULT_DOCUMENT);
      expect(card).toBeTruthy();
      const view = detailView(await c.api.certificates.get(card.id));
      expect(view).toMatchObject({ isDocument: true, applicationId: application.id, displayable: false });
      expect(view.fields.length).toBeGreaterThan(0);
      resultDocument = card;
    });

    flow(['pages/certificate/index'], '[contract 5] 证照详情 opens the result document\'s PDF', async () => {
      const { c } = company;
      expect(isPdf(await c.api.certificates.document(resultDocument.id))).toBe(true);
    });

    flow(['pages/evaluate/index', 'pages/evaluations/index'], '好差评: rate the finished application, then 我的评价 shows it', async () => {
      const { c } = company;
      expect(checkEvaluation(2, '')).toBeTruthy();
      expect(checkEvaluation(5, '')).toBeNull();
      await c.api.applications.evaluate(application.id, { rating: 5, tags: ['一次办成'], comment: '办理很快' });
      const mine = await c.api.evaluations.mine({ limit: 20 });
      const rated = mine.items.find((e) => e.application_id === application.id);
      expect(rated).toMatchObject({ comment: '办理很快', is_bad: false });
      expect(rated.rating.code === 5 || rated.rating.code === '5').toBe(true);
      const again = await c.api.applications.evaluate(application.id, { rating: 4 }).catch((e) => e);
      expect(again.status).toBeGreaterThanOrEqual(400);
      // 我要评 marks it 已评价 and offers 评价 no more
      const listed = (await c.api.applications.mine({ limit: 20, finished: true })).items.find((x) => x.id === application.id);
      expect(summary(listed)).toMatchObject({ evaluated: true });
      expect(summary(listed).actions.map((x) => x.key)).toEqual(['view_notice']);
    });
  });
});

suite('every page: 船员证照 shown to an officer and corrected', () => {
  flow(['pages/cert-display/index', 'pages/home/index', 'pages/scan-result/index'],
    '亮证 shows the QR code (SVG data URL); the officer scans it from 首页 and sees the certificate; the scan is in its history', async () => {
      const { c } = await registerPersonal();
      const cert = (await c.api.certificates.list()).items.find((x) => x.allowed_actions.indexOf('display') >= 0);
      const shown = await c.api.certificates.displayToken(cert.id);
      expect(svgDataUrl(shown.qr_svg)).toMatch(/^data:image\/svg\+xml;base64,/);
      const officer = await signInAs('demo-officer');
      const scanned = await officer.api.officer.scan(tokenFrom(`https://example.invalid/verify?token=${encodeURIComponent(shown.token)}`));
      expect(toView(scanned).number).toBe(cert.number);
      const detail = detailView(await c.api.certificates.get(cert.id));
      expect(detail.scans.length).toBeGreaterThan(0);
    }, 90000);

  flow(['pages/cert-correction/index', 'pages/corrections/index', 'pages/certificate/index'],
    '证照详情 → 纠错 of a listed field; 我的纠错 shows it pending', async () => {
      const { c } = await registerPersonal();
      const card = (await c.api.certificates.list()).items.find((x) => x.allowed_actions.indexOf('correct') >= 0);
      const cert = await c.api.certificates.get(card.id);
      const view = detailView(cert);
      expect(view.correctable).toBe(true);
      const field = cert.correctable_fields[0];
      const current = (cert.fields.find((f) => f.key === field.key) || {}).value;
      const value = field.choices ? field.choices.find((v) => v !== current) : '更正后的内容';
      const correction = await c.api.certificates.correct(cert.id, { field: field.key, proposed_value: value, reason: '签发时录入有误' });
      expect(correction.id).toBeTruthy();
      const list = await c.api.certificates.corrections({ limit: 20 });
      const mine = list.items.find((x) => x.id === correction.id);
      expect(mine.field.code).toBe(field.key);
      expect(mine.status.code).toBe('pending');
    });
});

describe('end-to-end coverage', () => {
  test('every page in app.json has an end-to-end flow', () => {
    expect(APP_PAGES.filter((p) => !COVERED.has(p))).toEqual([]);
    expect([...COVERED].filter((p) => APP_PAGES.indexOf(p) < 0)).toEqual([]);
  });

  test('the person helpers make valid identities', () => {
    expect(isIdNumber(randomPerson().idNumber)).toBe(true);
  });
});
