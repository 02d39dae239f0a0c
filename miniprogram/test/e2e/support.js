/**
 * What the end-to-end suites share: the API root from E2E_BASE_URL, fresh mini program sessions
 * over the Node `wx`, the demo sign-ins, new people with valid ID numbers, face verification
 * through the development fake, sample files, paging, and `flow(pages, name, fn)`, a test that
 * names the pages of app.json whose main flow it runs (see pages.e2e.test.js: every page has one).
 */
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const { createServices } = require('../../services/index');
const { verifyFace } = require('../../utils/face');
const consentUtils = require('../../utils/consent');
const { isIdNumber } = require('../../utils/validators');
const { createNodeWx } = require('./wx-node');

const BASE = process.env.E2E_BASE_URL || '';
const API = BASE && (/\/api\/v1\/?$/.test(BASE) ? BASE.replace(/\/+$/, '') : `${BASE.replace(/\/+$/, '')}/api/v1`);
const suite = API ? describe : describe.skip;
const DEMO_PASSWORD = 'Demo@12345';
const DEMO_TOTP_SECRET = 'HAISHIYIWANGTONGBANDEMOTOTP23456';

/** RFC 6238 TOTP (SHA-1, 6 digits, 30 s), as an authenticator app computes it. */
function totp(secretBase32, atMs) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  secretBase32.replace(/=+$/, '').toUpperCase().split('').forEach((ch) => {
    bits += alphabet.indexOf(ch).toString(2).padStart(5, '0');
  });
  const key = Buffer.from((bits.match(/.{8}/g) || []).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor((atMs || Date.now()) / 30000)));
  const mac = crypto.createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1e6).padStart(6, '0');
}

/** A fresh mini program session (its own storage, tokens and WeChat identity). */
function client() {
  const wx = createNodeWx();
  const s = createServices({ wx, baseUrl: API, notify: (t) => wx.toasts.push(t), onAuthRequired: () => {} });
  return Object.assign({ wx }, s);
}

async function signInAs(username) {
  const c = client();
  for (let attempt = 0; attempt < 2; attempt += 1) {
    const res = await c.auth.loginPassword(username, DEMO_PASSWORD);
    if (!(res && res.second_factor_required)) break;
    // Officers, staff and admins: the code of their authenticator (the demo secret).
    expect(res.access_token).toBeUndefined();
    expect(c.auth.isLoggedIn()).toBe(false);
    const err = await c.auth.loginSecondFactor(res.ticket, totp(DEMO_TOTP_SECRET)).then(() => null, (e) => e);
    if (!err) break;
    // Each time step's code works once per account (another suite may have just used it).
    if (err.code !== 'auth.second_factor_replayed' || attempt) throw err;
    await new Promise((r) => setTimeout(r, 30000 - (Date.now() % 30000) + 500));
  }
  expect(c.auth.isLoggedIn()).toBe(true);
  return c;
}

const SURNAMES = '张王李赵刘陈杨黄周吴';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚';
function pick(s) {
  return s[Math.floor(Math.random() * s.length)];
}

/** A random person with a valid resident ID number (GB 11643 check digit). */
function randomPerson() {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const year = 1970 + Math.floor(Math.random() * 30);
  const month = String(1 + Math.floor(Math.random() * 12)).padStart(2, '0');
  const day = String(1 + Math.floor(Math.random() * 28)).padStart(2, '0');
  const body = `310115${year}${month}${day}${String(Math.floor(Math.random() * 1000)).padStart(3, '0')}`;
  const sum = weights.reduce((acc, w, i) => acc + w * Number(body[i]), 0);
  const idNumber = body + '10X98765432'[sum % 11];
  const phone = `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
  return { name: pick(SURNAMES) + pick(GIVEN) + pick(GIVEN), idNumber, phone, password: `E2e@${Date.now()}` };
}

/** The user ticked 同意 under the server's current 人脸识别个人信息处理规则. */
async function faceConsent(c) {
  consentUtils.resetConsentCache();
  return consentUtils.agreement(await consentUtils.consentText(c.api, consentUtils.FACE));
}

/** Face verification for `purpose` as the face-verify component runs it (with the consent). */
async function face(c, person, purpose, method) {
  return verifyFace({
    api: c.api, wx: c.wx, purpose, name: person.name, idNumber: person.idNumber, method: method || 'reflective', fake: false,
    consent: await faceConsent(c),
  });
}

/** Registers a personal user with the face flow (fake adapter: verify_result "fake:pass"). */
async function registerPersonal() {
  const c = client();
  const person = randomPerson();
  expect(isIdNumber(person.idNumber)).toBe(true);
  await c.auth.bindWechat();
  const proof = await face(c, person, 'register');
  expect(proof.verify_result).toBe('fake:pass');
  const res = await c.auth.registerPersonal({
    name: person.name, id_number: person.idNumber, phone: person.phone, password: person.password,
    face_session_id: proof.face_session_id, verify_result: proof.verify_result,
  });
  if (!res || !res.access_token) {
    const login = await face(c, person, 'login', 'read_digits');
    await c.auth.loginPersonal(login);
  }
  return { c, person };
}

/** A tiny valid PNG (1x1) written to the shim's temp dir. */
function samplePng(wx, name) {
  const file = path.join(wx.tmpDir, name || 'material.png');
  fs.writeFileSync(file, Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64'));
  return file;
}

async function allPages(fetchPage) {
  const out = [];
  let cursor;
  for (let i = 0; i < 50; i += 1) {
    const page = await fetchPage(cursor);
    out.push(...page.items);
    if (!page.next_cursor) return out;
    cursor = page.next_cursor;
  }
  throw new Error('paging did not end');
}


/** Pages of app.json whose main flow a test of this run exercises. */
const COVERED = new Set();

/** A test running the main flow of `pages` (paths as in app.json) through the services they use. */
function flow(pages, name, fn, timeout) {
  pages.forEach((p) => COVERED.add(p));
  return test(`${pages.map((p) => p.replace(/^pages\/|\/index$/g, '')).join(' + ')}: ${name}`, fn, timeout);
}

/** A valid 统一社会信用代码 (GB 32100 check character) for a new company. */
function randomCreditCode() {
  const chars = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  let body = '913101';
  for (let i = 0; i < 11; i += 1) body += i < 6 ? String(Math.floor(Math.random() * 10)) : chars[Math.floor(Math.random() * chars.length)];
  const sum = body.split('').reduce((acc, ch, i) => acc + chars.indexOf(ch) * weights[i], 0);
  return body + chars[(31 - (sum % 31)) % 31];
}

module.exports = {
  API, suite, DEMO_PASSWORD, DEMO_TOTP_SECRET, totp, client, signInAs, randomPerson, faceConsent, face, registerPersonal,
  samplePng, allPages, COVERED, flow, randomCreditCode,
};
