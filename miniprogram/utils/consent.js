/**
 * 单独同意 (个人信息保护法): the consent texts the server serves with their versions, and the
 * explicit agree step before face verification and before uploading identity documents.
 */
const { call } = require('./wxp');

const FACE = 'face_verification';
const IDENTITY_DOCUMENTS = 'identity_documents';

let cached = null;

/** The texts, fetched once per run of the mini program (a failed fetch is retried next time). */
function consentTexts(api) {
  if (!cached) {
    cached = api.privacy.consentTexts({ silent: true }).catch((err) => {
      cached = null;
      throw err;
    });
  }
  return cached;
}

/** {purpose, version, title, text} of one purpose. */
async function consentText(api, purpose) {
  const texts = await consentTexts(api);
  const found = (texts || []).find((t) => (t.purpose && t.purpose.code) === purpose);
  if (!found) throw new Error(`no consent text for ${purpose}`);
  return { purpose, version: found.version, title: found.title, text: found.text };
}

/** What the API receives after the user tapped 同意 under `text`. */
function agreement(text) {
  return { purpose: text.purpose, version: text.version };
}

/**
 * Before uploading an identity document: nothing to ask when the account's consent is in force;
 * otherwise the text in a dialog with 同意 / 不同意, and the consent recorded on 同意.
 * Resolves true when the upload may go ahead.
 */
async function ensureAccountConsent(api, purpose, w) {
  const given = await api.me.consents();
  if ((given || []).some((c) => c.purpose && c.purpose.code === purpose && c.in_force)) return true;
  const text = await consentText(api, purpose);
  const res = await call('showModal', {
    title: text.title,
    content: text.text,
    confirmText: '同意',
    cancelText: '不同意',
  }, w);
  if (!res || !res.confirm) return false;
  await api.me.giveConsent(agreement(text));
  return true;
}

function resetConsentCache() {
  cached = null;
}

module.exports = {
  FACE,
  IDENTITY_DOCUMENTS,
  consentTexts,
  consentText,
  agreement,
  ensureAccountConsent,
  resetConsentCache,
};
