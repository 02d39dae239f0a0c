/**
 * End to end: the mini program's real services/ (request layer, token refresh, uploads,
 * auth helpers) and form utilities, run in Node against a live backend.
 *
 *   E2E_BASE_URL=http://127.0.0.1:8000 npm run test:e2e
 *
 * E2E_BASE_URL is the server root (or the API root ending in /api/v1). Without it the suite is
 * skipped. The backend must run in the embedded development mode (fake WeChat and face
 * adapters, demo accounts demo-corp / demo-officer with password Demo@12345; the officer's
 * second factor is the demo TOTP secret of the README).
 */
const fs = require('fs');
const path = require('path');
const appForm = require('../../utils/application-form');
const { summary } = require('../../utils/application');
const { describe: describeField } = require('../../utils/schema-form');
const { validate } = require('../../utils/schema-validate');
const { verifyFace } = require('../../utils/face');
const consentUtils = require('../../utils/consent');

const {
  suite, client, signInAs, randomPerson, face, registerPersonal, samplePng, allPages,
} = require('./support');

// The online items as the backend's data ships them: a new item is covered without editing this.
const ONLINE_CODES = require(path.resolve(__dirname, '../../../app/catalog/seed/online_items.json'))
  .map((item) => item.item_code);

suite('public catalog, agencies, reference lists and help (no login)', () => {
  const c = client();

  test('the agency tree drills down 海事局 → 分支局 → 海事处', async () => {
    const tree = await c.api.agencies.tree();
    expect(tree[0].code).toBeTruthy();
    expect(tree[0].children.length).toBeGreaterThan(0);
    const bureau = tree[0].children.find((a) => a.has_children);
    const detail = await c.api.agencies.get(bureau.code);
    expect(detail.ancestors.map((a) => a.code)).toEqual([tree[0].code]);
    expect(detail.children.length).toBeGreaterThan(0);
    const found = await c.api.agencies.tree(detail.children[0].short_name);
    expect(found.some((a) => a.code === detail.children[0].code)).toBe(true);
  });

  test('facets give the four ways to browse, narrowed by agency', async () => {
    const facets = await c.api.catalog.facets();
    expect(facets.audience.map((f) => f.label)).toEqual(['个人办事', '法人办事']);
    expect(facets.business).toHaveLength(8);
    expect(facets.nature.map((f) => f.label)).toEqual(['行政许可', '行政确认', '行政备案', '其他行政权力']);
    expect(facets.online.count).toBe(ONLINE_CODES.length);
    const tree = await c.api.agencies.tree();
    const narrowed = await c.api.catalog.facets({ agency: tree[0].children[0].code });
    expect(narrowed.total).toBeLessThanOrEqual(facets.total);
  });

  test('事项查询 pages with the cursor to the end, and finds by pinyin', async () => {
    const facets = await c.api.catalog.facets();
    const all = await allPages((cursor) => c.api.catalog.items({ limit: 20, cursor }));
    expect(all).toHaveLength(facets.total);
    expect(new Set(all.map((i) => i.code)).size).toBe(all.length);
    const crew = await c.api.catalog.items({ business: 'crew', limit: 100 });
    expect(crew.items.every((i) => i.business.code === 'crew')).toBe(true);
    const pinyin = await c.api.catalog.items({ q: 'chuanyuan', limit: 5 });
    expect(pinyin.items.length).toBeGreaterThan(0);
    const online = await c.api.catalog.items({ online: true, limit: 100 });
    expect(online.items.map((i) => i.code).sort()).toEqual([...ONLINE_CODES].sort());
  });

  test('办事指南 has every field and the materials table', async () => {
    const first = (await c.api.catalog.items({ limit: 1 })).items[0];
    const item = await c.api.catalog.item(first.code);
    ['item_name', 'legal_basis', 'acceptance_conditions', 'materials', 'process', 'consult_phone'].forEach((k) => expect(item.guide[k]).toBeTruthy());
    expect(item.guide.materials[0]).toEqual(expect.objectContaining({ name: expect.any(String), required: expect.any(Boolean) }));
    const err = await c.api.catalog.item('NO-SUCH').catch((e) => e);
    expect(err.status).toBe(404);
    expect(err.title).toMatch(/[\u4e00-\u9fff]/);
  });

  test('the five online items render through the one form renderer and their examples pass its checks', async () => {
    const items = await c.api.onlineItems.list();
    expect(items).toHaveLength(5);
    items.forEach((item) => {
      Object.keys(item.form_schema.properties).forEach((key) => {
        expect(describeField(key, item.form_schema.properties[key], false).widget).toBeTruthy();
      });
      appForm.describeSteps(item).forEach((step) => expect(step.title).toBeTruthy());
      expect(validate(item.form_schema, item.example)).toEqual({});
    });
  });

  test('pick lists: ports, countries, fuel suppliers, regulation items', async () => {
    const ports = await c.api.reference.ports({ q: 'CNSHA' });
    expect(ports.items.some((p) => p.id === 'CNSHA')).toBe(true);
    const countries = await c.api.reference.countries({ q: 'CN' });
    expect(countries.items.some((x) => x.id === 'CN')).toBe(true);
    const suppliers = await c.api.reference.fuelSuppliers({ limit: 100 });
    expect(suppliers.items.every((s) => /^FS\d{3}$/.test(s.id))).toBe(true);
    const regs = await allPages((cursor) => c.api.reference.regulationItems({ limit: 5, cursor }));
    expect(regs.some((r) => r.id === 'BDN-MISMATCH')).toBe(true);
  });

  test('帮助指引', async () => {
    const list = await c.api.help.list({ limit: 50 });
    expect(list.items.length).toBeGreaterThan(0);
    const article = await c.api.help.get(list.items[0].id);
    expect(article.body).toBeTruthy();
  });
});

suite('sign-in and registration', () => {
  test('register with face (fake: verify_result "fake:pass"), then /me is masked', async () => {
    const { c, person } = await registerPersonal();
    expect(c.auth.isLoggedIn()).toBe(true);
    const me = await c.api.me.get();
    expect(me.role.code).toBe('personal');
    expect(me.personal.id_number).not.toBe(person.idNumber);
    expect(me.personal.id_number[0]).toBe(person.idNumber[0]);
    expect(me.phone).toBe(`${person.phone.slice(0, 3)}****${person.phone.slice(-4)}`);
  });

  test('a refresh token works once; the request layer refreshes an expired access token', async () => {
    const c = await signInAs('demo-corp');
    const refresh = c.tokens.getRefresh();
    c.tokens.save({ access_token: 'not-a-valid-token', refresh_token: refresh, expires_in: 900 });
    const me = await c.api.me.get();
    expect(me.username).toBe('demo-corp');
    expect(c.tokens.getRefresh()).not.toBe(refresh);
    const reused = await c.http.post('/auth/token/refresh', { refresh_token: refresh }, { auth: false, silent: true }).catch((e) => e);
    expect(reused.status).toBe(401);
  });

  test('face verification does not start without the consent to the rules', async () => {
    const c = client();
    const person = randomPerson();
    const err = await verifyFace({
      api: c.api, wx: c.wx, purpose: 'register', name: person.name, idNumber: person.idNumber, method: 'reflective', fake: false,
    }).catch((e) => e);
    expect(err.status).toBe(403);
    expect(err.code).toBe('consent.required');
  });

  test('a wrong password is a 401 with a zh-CN title', async () => {
    const c = client();
    const err = await c.auth.loginPassword('demo-corp', 'wrong-password').catch((e) => e);
    expect(err.status).toBe(401);
    expect(c.wx.toasts[0]).toMatch(/[\u4e00-\u9fff]/);
  });
});

suite('我的材料', () => {
  test('upload a material with its name (上传材料 sends the optional `name` part, as wx.uploadFile formData)', async () => {
    const c = await signInAs('demo-corp');
    const material = await c.api.materials.upload({ filePath: samplePng(c.wx), name: 'E2E 营业执照' });
    expect(material.name).toMatch(/^E2E 营业执照/);
    await c.api.materials.remove(material.id);
  });

  test('upload a material (multipart "file" with progress), list, download and delete it', async () => {
    const c = await signInAs('demo-corp');
    const progress = [];
    const material = await c.api.materials.upload({ filePath: samplePng(c.wx), onProgress: (p) => progress.push(p.progress) });
    expect(material.id).toBeTruthy();
    expect(material.is_image).toBe(true);
    expect(progress).toContain(100);
    const list = await allPages((cursor) => c.api.materials.list({ limit: 100, cursor }));
    expect(list.some((m) => m.id === material.id)).toBe(true);
    const file = await c.api.materials.download(material.id);
    expect(fs.readFileSync(file).subarray(1, 4).toString()).toBe('PNG');
    if (material.has_thumbnail) {
      const thumb = await c.api.materials.download(material.id, 'thumbnail');
      expect(fs.statSync(thumb).size).toBeGreaterThan(0);
    }
    await c.api.materials.remove(material.id);
    const after = await allPages((cursor) => c.api.materials.list({ limit: 100, cursor }));
    expect(after.some((m) => m.id === material.id)).toBe(false);
  });
});

suite('在线办理: fill and submit every online item as demo-corp, then follow it without login', () => {
  let c;
  let items;
  let agencyCode;
  let materialId;

  beforeAll(async () => {
    c = await signInAs('demo-corp');
    items = await c.api.onlineItems.list();
    const tree = await c.api.agencies.tree();
    agencyCode = tree[0].children[0].code;
    materialId = (await c.api.materials.upload({ filePath: samplePng(c.wx, 'slot.png') })).id;
  });

  test.each(ONLINE_CODES)('%s: 保存, 提交, 办件查询, then 取消/撤回', async (code) => {
    const item = items.find((i) => i.item_code === code);
    const materials = {};
    item.material_slots.forEach((s) => {
      materials[s.slot] = { id: materialId };
    });
    const phone = '13800138000';
    const state = { form: item.example, materials, agency: { code: agencyCode }, contactName: '测试联系人', contactPhone: phone };
    expect(appForm.checkAll(item, state).ok).toBe(true);

    const draft = await c.api.applications.create(appForm.buildBody(item, state));
    expect(draft.status.code).toBe('draft');
    const saved = await c.api.applications.update(draft.id, appForm.buildBody(item, state, true), draft.version);
    const submitted = await c.api.applications.submit(draft.id, saved.version);
    expect(submitted.status.code).toBe('submitted');

    const detail = await c.api.applications.get(draft.id);
    expect(summary(detail).statusLabel).toBe('待受理');
    expect(detail.number).toBeTruthy();
    expect(detail.timeline.length).toBeGreaterThan(0);
    expect(detail.allowed_actions).toContain(item.after_submit);

    const mine = await c.api.applications.mine({ status: 'submitted', limit: 100 });
    const listed = mine.items.find((a) => a.id === draft.id);
    expect(listed).toBeTruthy();
    // the list entry says what can be done with it (contract: ApplicationSummary)
    expect(summary(listed).actions.map((a) => a.key)).toEqual([item.after_submit]);

    const anonymous = client();
    const progress = await anonymous.api.publicQuery.progress({ application_no: detail.number, phone });
    expect(progress.status.code).toBe('submitted');
    const wrong = await anonymous.api.publicQuery.progress({ application_no: detail.number, phone: '13900000000' }, { silent: true }).catch((e) => e);
    expect(wrong.status).toBe(404);

    const ended = await c.api.applications[item.after_submit](draft.id, detail.version);
    expect(ended.status.code).toBe(item.after_submit === 'cancel' ? 'cancelled' : 'withdrawn');
  });

  test('server validation errors point at the field the form shows them on', async () => {
    const item = items.find((i) => i.item_code === 'WF-002');
    const state = {
      form: Object.assign({}, item.example, { ship: Object.assign({}, item.example.ship, { imo_number: '12' }) }),
      materials: { report_materials: { id: materialId } },
      agency: { code: agencyCode },
    };
    const body = appForm.buildBody(item, state);
    const err = await c.api.applications.create(body)
      .then((draft) => c.api.applications.submit(draft.id, draft.version))
      .then(() => null, (e) => e);
    expect(err.status).toBe(422);
    const placed = appForm.placeServerErrors(item, err, body);
    expect(Object.keys(placed.errors)).toContain('ship.imo_number');
    expect(placed.step).toBe(0);
  });
});

suite('我的证照: 亮证 and 执法人员扫码', () => {
  test('a new seafarer shows a certificate; the demo officer scans it', async () => {
    const { c, person } = await registerPersonal();
    const certs = await c.api.certificates.list();
    expect(certs.items.length).toBeGreaterThanOrEqual(2);
    const cert = certs.items[0];
    const shown = await c.api.certificates.displayToken(cert.id);
    expect(shown.token).toBeTruthy();
    expect(shown.qr_svg).toMatch(/<svg/);

    const officer = await signInAs('demo-officer');
    const scanned = await officer.api.officer.scan(shown.token);
    // What checking needs: the certificate by its number and the holder's full name, to compare
    // with the person in front of the officer; no birth date or other personal details.
    expect(scanned.number).toBe(cert.number);
    expect(scanned.holder_name).toBe(person.name);
    expect(scanned.fields.map((f) => f.key)).not.toContain('birth_date');

    const forbidden = await c.api.officer.scan(shown.token).catch((e) => e);
    expect(forbidden.status).toBe(403);
  });
});

suite('个人信息保护: 导出我的数据 and 注销账号', () => {
  test('an identity document uploads only after 同意, which can be withdrawn', async () => {
    const { c } = await registerPersonal();
    const refused = await c.api.materials.upload({ filePath: samplePng(c.wx), kind: 'identity_document' }).catch((e) => e);
    expect(refused.code).toBe('consent.required');
    c.wx.showModal = (p) => p.success({ confirm: true });
    expect(await consentUtils.ensureAccountConsent(c.api, consentUtils.IDENTITY_DOCUMENTS, c.wx)).toBe(true);
    const material = await c.api.materials.upload({ filePath: samplePng(c.wx), kind: 'identity_document' });
    expect(material.kind).toBe('identity_document');
    await c.api.me.withdrawConsent(consentUtils.IDENTITY_DOCUMENTS);
    const again = await c.api.materials.upload({ filePath: samplePng(c.wx), kind: 'identity_document' }).catch((e) => e);
    expect(again.code).toBe('consent.required');
  });

  test('导出我的数据 gives my own data unmasked; 注销账号 with face verification signs me out for good', async () => {
    const { c, person } = await registerPersonal();
    const file = await c.api.me.exportData();
    const data = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(data.profile.personal).toEqual({ name: person.name, id_number: person.idNumber });
    expect(data.certificates.length).toBeGreaterThanOrEqual(2);

    const proof = await face(c, person, 'account_deletion');
    await c.api.me.deleteAccount(proof);
    const gone = await c.api.me.get({ silent: true }).catch((e) => e);
    expect(gone.status).toBe(401);

    const back = client();
    const again = await face(back, person, 'register');
    const res = await back.auth.registerPersonal({
      name: person.name, id_number: person.idNumber, phone: person.phone, password: person.password,
      face_session_id: again.face_session_id, verify_result: again.verify_result,
    });
    expect(res.user.id).not.toBe(data.profile.id);
  });
});
