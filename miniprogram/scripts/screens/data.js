/**
 * The demo data the pages show, made through the real API with the mini program's own
 * services/ (as the end-to-end suite does): a personal user registered by the fake face
 * adapter (with its demo certificates), demo-corp with a material, a draft and submitted
 * applications (one approved by demo-staff), a certificate correction, a 亮证 token that
 * demo-officer scanned. Returns each user's storage (signed-in session) and the ids the pages need.
 */
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const { createServices } = require('../../services/index');
const appForm = require('../../utils/application-form');
const { verifyFace } = require('../../utils/face');
const consentUtils = require('../../utils/consent');
const { createNodeWx } = require('../../test/e2e/wx-node');

const DEMO_PASSWORD = 'Demo@12345';
const DEMO_TOTP_SECRET = 'HAISHIYIWANGTONGBANDEMOTOTP23456';

/** RFC 6238 TOTP (SHA-1, 6 digits, 30 s), as an authenticator app computes it. */
function totp(secretBase32) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  secretBase32.replace(/=+$/, '').toUpperCase().split('').forEach((ch) => {
    bits += alphabet.indexOf(ch).toString(2).padStart(5, '0');
  });
  const key = Buffer.from((bits.match(/.{8}/g) || []).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 30000)));
  const mac = crypto.createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;  
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1e6).padStart(6, '0');  
}

function client(api) {
  const wx = createNodeWx();
  const notes = [];
  const s = createServices({ wx, baseUrl: api, notify: (t) => notes.push(t), onAuthRequired: () => {} });
  return Object.assign({ wx, notes }, s);
}

async function signInAs(api, username) {
  const c = client(api);
  const res = await c.auth.loginPassword(username, DEMO_PASSWORD);
  if (res && res.second_factor_required) await c.auth.loginSecondFactor(res.ticket, totp(DEMO_TOTP_SECRET));
  if (!c.auth.isLoggedIn()) throw new Error(`${username} could not sign in`);
  return c;
}

/** A valid resident ID number (GB 11643 check digit). */
function idNumber() {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const body = `31011519850612${String(100 + Math.floor(Math.random() * 900))}`;
  const sum = weights.reduce((acc, w, i) => acc + w * Number(body[i]), 0);
  return body + '10X98765432'[sum % 11];
}

async function registerPersonal(api) {
  const c = client(api);
  const person = { name: '张海明', idNumber: idNumber(), phone: `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`, password: `Screens@${Date.now()}` };
  await c.auth.bindWechat();
  consentUtils.resetConsentCache();
  const consent = consentUtils.agreement(await consentUtils.consentText(c.api, consentUtils.FACE));
  const proof = await verifyFace({ api: c.api, wx: c.wx, purpose: 'register', name: person.name, idNumber: person.idNumber, method: 'reflective', fake: false, consent });
  const res = await c.auth.registerPersonal({
    name: person.name, id_number: person.idNumber, phone: person.phone, password: person.password,
    face_session_id: proof.face_session_id, verify_result: proof.verify_result,
  });
  if (!res || !res.access_token) {
    const login = await verifyFace({ api: c.api, wx: c.wx, purpose: 'login', name: person.name, idNumber: person.idNumber, method: 'read_digits', fake: false, consent });
    await c.auth.loginPersonal(login);
  }
  return c;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;  
  return c >>> 0;  
});
function crc32(buf) {
  let c = 0xffffffff;
  for (let i = 0; i < buf.length; i += 1) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);  
  return (c ^ 0xffffffff) >>> 0;  
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A 240 × 160 PNG: a pale page with a blue header band, like a scanned licence. */
function samplePng(wx) {
  const w = 240;
  const h = 160;
  const rows = [];
  for (let y = 0; y < h; y += 1) {
    const row = Buffer.alloc(1 + w * 3);
    for (let x = 0; x < w; x += 1) {
      const band = y < 32;
      const line = !band && y % 20 === 0 && x > 20 && x < 220;
      const rgb = band ? [0, 82, 217] : line ? [180, 190, 205] : [247, 248, 250];
      rgb.forEach((v, i) => {
        row[1 + x * 3 + i] = v;
      });
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(w, 0);
  header.writeUInt32BE(h, 4);
  header[8] = 8;
  header[9] = 2;
  const png = Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))]);
  const file = path.join(wx.tmpDir, 'licence.png');
  fs.writeFileSync(file, png);
  return file;
}

/** Runs `fn`, returning null (and noting why) when the server refuses: a page then shows less. */
/** What 准予 carries by the item's nature: a 许可's content for a year, a 备案's own number. */
function approvalContent(item) {
  const day = (offset) => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(new Date(Date.now() + offset * 86400000));
  if (item.nature.code === 'licensing') {
    return { licence: { matter: `准予${item.name}`, valid_from: day(0), valid_until: day(364), conditions: null } };
  }
  if (item.nature.code === 'filing') return { filing_number: `沪海污备〔${day(0).slice(0, 4)}〕${String(Date.now()).slice(-6)}` };
  return {};
}

async function attempt(notes, what, fn) {
  try {
    return await fn();
  } catch (e) {
    const fields = e && e.errors && e.errors.length ? ` ${JSON.stringify(e.errors)}` : '';
    notes.push(`${what}: ${(e && (e.title || e.message)) || e}${fields}`);
    return null;
  }
}

async function prepare(api) {
  const notes = [];
  const ids = {};
  const personal = await registerPersonal(api);
  const corp = await signInAs(api, 'demo-corp');
  const officer = await signInAs(api, 'demo-officer');
  const staff = await attempt(notes, 'demo-staff sign-in', () => signInAs(api, 'demo-staff'));
  const anonymous = client(api);

  // Catalog and help, for 办事指南 and 帮助.
  const items = await anonymous.api.catalog.items({ limit: 1 });
  ids.catalogCode = items.items[0] && items.items[0].code;
  const help = await anonymous.api.help.list({ limit: 1 });
  ids.helpId = help.items[0] && help.items[0].id;

  // demo-corp: a material, then a draft, a submitted and (via demo-staff) an approved application.
  const material = await corp.api.materials.upload({ filePath: samplePng(corp.wx), name: '营业执照' });
  ids.materialId = material.id;
  const online = await corp.api.onlineItems.list();
  const tree = await corp.api.agencies.tree();
  const agencyCode = tree[0].children[0].code;
  const stateFor = (item) => {
    const materials = {};
    item.material_slots.forEach((s) => {
      materials[s.slot] = { id: material.id };
    });
    return { form: item.example, materials, agency: { code: agencyCode }, contactName: '李建国', contactPhone: '13800138000' };
  };
  const byCode = (code) => online.find((i) => i.item_code === code) || online[0];
  const draftItem = byCode('TH-001');
  const draft = await corp.api.applications.create(appForm.buildBody(draftItem, stateFor(draftItem)));
  ids.draftId = draft.id;
  ids.itemCode = draftItem.item_code;
  const submitItem = byCode('WF-001');
  const made = await corp.api.applications.create(appForm.buildBody(submitItem, stateFor(submitItem)));
  const submitted = await corp.api.applications.submit(made.id, made.version);
  ids.submittedId = submitted.id;
  ids.submittedName = submitItem.item_name || submitItem.name;
  const detail = await corp.api.applications.get(submitted.id);
  ids.applicationNo = detail.number;
  ids.contactPhone = '13800138000';

  // Two applications demo-staff accepts and approves: one rated (我的评价), one to rate (好差评).
  const approved = async (item) => {
    const made2 = await corp.api.applications.create(appForm.buildBody(item, stateFor(item)));
    let current = await corp.api.applications.submit(made2.id, made2.version);
    if (staff) {
      for (const action of ['accept', 'approve']) {
        const body = { action, comment: '材料齐全，予以办理', ...(action === 'approve' ? approvalContent(item) : {}) };
        const decided = await attempt(notes, `demo-staff ${action}`, () => staff.http.post(`/staff/applications/${current.id}/decisions`, body, { version: current.version, silent: true }));
        if (!decided) break;
        current = decided;
      }
    }
    return made2.id;
  };
  const ratedItem = byCode('TH-001');
  const rated = await approved(ratedItem);
  await attempt(notes, 'an evaluation', () => corp.api.applications.evaluate(rated, { rating: 5, comment: '材料一次告知，办理很快。', tags: ['办理快捷'] }));
  // A bad rating demo-staff has called back about and put right (回访整改 in 我的评价).
  const complained = await approved(byCode('WF-001'));
  const bad = await attempt(notes, 'a bad evaluation', () => corp.api.applications.evaluate(complained, { rating: 2, comment: '补正要求前后两次不一致，多跑了一趟。', tags: ['办理时间长'] }));
  if (bad && staff) {
    const tasks = await attempt(notes, 'the follow-up task', () => staff.http.get('/staff/follow-ups', { limit: 100 }, { silent: true }));
    const task = tasks && tasks.items.find((t) => t.application_id === complained);
    if (task) {
      const visited = await attempt(notes, 'the 回访', () => staff.http.post(`/staff/follow-ups/${task.id}/visit`, {
        contacted_at: new Date().toISOString(), channel: 'phone', applicant_said: '补正材料清单两次告知不一致', finding: '情况属实，一次性告知不到位',
      }, { version: task.version, silent: true }));
      if (visited) {
        await attempt(notes, 'the 整改', () => staff.http.post(`/staff/follow-ups/${task.id}/rectification`, {
          rectification: '已对窗口人员开展一次性告知培训，并在办事指南中补充材料示例。', applicant_satisfied: true,
        }, { version: visited.version, silent: true }));
      }
    }
  }
  const approveItem = byCode('TH-002');
  ids.approvedName = approveItem.item_name || approveItem.name;
  ids.approvedId = await approved(approveItem);

  // 补正 item by item: demo-staff asks for two materials and a field of a TH-002 application.
  if (staff) {
    const asked = await corp.api.applications.create(appForm.buildBody(approveItem, stateFor(approveItem)));
    const waiting = await corp.api.applications.submit(asked.id, asked.version);
    const supplement = await attempt(notes, 'demo-staff request_supplement', () => staff.http.post(`/staff/applications/${waiting.id}/decisions`, {
      action: 'request_supplement',
      comment: '请按以下各项补正后重新提交。',
      supplement_items: [
        { target: 'material', key: 'designer_qualification', reason: '资质证书已过有效期，请上传有效期内的证书' },
        { target: 'material', key: 'technical_documents', reason: '图纸未加盖设计单位公章' },
        { target: 'field', key: 'shoreline_length_m', reason: '岸线长度与图纸标注不一致，请核对' },
      ],
    }, { version: waiting.version, silent: true }));
    ids.supplementId = supplement && supplement.id;
  }

  // 我的船舶: a ship of demo-corp, where the server lets a user add one.
  const ship = await attempt(notes, 'a ship of demo-corp', () => corp.http.post('/me/ships', {
    name: '海通9', imo_number: '9612349', mmsi: '413123456', flag: 'CN', ship_type: '散货船', gross_tonnage: 3200,
  }, { silent: true }));
  ids.shipId = ship && ship.id;

  // The personal user: certificates (demo registry), a correction, a 亮证 token the officer scanned.
  const certs = await personal.api.certificates.list();
  const cert = certs.items[0];
  ids.certificateId = cert && cert.id;
  if (cert) {
    const full = await personal.api.certificates.get(cert.id);
    const fields = full.correctable_fields || [];
    const free = fields.filter((f) => !f.choices);
    const field = free.find((f) => /name|姓名|持证人/.test(`${f.key}${f.label}`)) || free[0] || fields[0];
    if (field) {
      let proposed = '张海鸣';
      if (field.choices) proposed = field.choices[field.choices.length - 1];
      else if (/日期/.test(field.label)) proposed = '1985-06-21';
      else if (!/姓名|持证人/.test(field.label)) proposed = '上海海事局';
      await attempt(notes, 'certificate correction', () => personal.api.certificates.correct(cert.id, {
        field: field.key, proposed_value: proposed, reason: `${field.label}有误，应为${proposed}`,
      }));
    }
    const shown = await personal.api.certificates.displayToken(cert.id);
    ids.scan = await attempt(notes, 'officer scan', () => officer.api.officer.scan(shown.token));
  }
  ids.progress = await attempt(notes, 'public progress query', () => anonymous.api.publicQuery.progress({ application_no: ids.applicationNo, phone: ids.contactPhone }));

  const sessions = {
    anonymous: {}, personal: personal.wx.storage, corp: corp.wx.storage, officer: officer.wx.storage,
  };
  return { sessions: JSON.parse(JSON.stringify(sessions)), ids, notes };
}

module.exports = { prepare };
