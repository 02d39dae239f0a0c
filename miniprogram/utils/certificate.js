/**
 * Certificates (我的证照, 证书查询, 执法人员扫码): one view model from the API's certificate
 * objects, whose exact shape the contract leaves open; the known spellings are accepted.
 */
const { formatDate } = require('./format');

function labelOf(v) {
  if (!v) return '';
  if (typeof v === 'string') return v;
  return v.label || v.name || v.code || '';
}

// 船员证照 can be shown (亮证) and corrected (纠错).
const SEAFARER_TYPES = /^(SEAFARER|SEAMAN|TRAINING|PILOT|SPECIAL)/;

function toView(c) {
  const cert = c || {};
  const typeCode = (cert.type && cert.type.code) || cert.type_code || (typeof cert.type === 'string' ? cert.type : '');
  const title = labelOf(cert.type) || cert.type_name || cert.name || cert.title || '证照';
  const seafarer = cert.holder_type === 'personal' || SEAFARER_TYPES.test(String(typeCode));
  const flag = (key, fallback) => (typeof cert[key] === 'boolean' ? cert[key] : fallback);
  return {
    id: cert.id,
    typeCode,
    title,
    number: cert.certificate_no || cert.number || cert.no || '',
    holder: cert.holder_name || labelOf(cert.holder) || '',
    issuedOn: formatDate(cert.issued_on || cert.issued_at || cert.issue_date || cert.valid_from || ''),
    validUntil: formatDate(cert.valid_until || cert.expires_on || cert.expiry_date || cert.valid_to || ''),
    issuer: labelOf(cert.issuing_agency || cert.issuer || cert.agency),
    status: labelOf(cert.status_label || cert.status),
    displayable: flag('displayable', flag('can_display', seafarer)),
    correctable: flag('correctable', flag('can_correct', seafarer)),
    fields: fieldsOf(cert),
  };
}

/** The certificate's own fields as [{key, label, value}] when the API lists them. */
function fieldsOf(cert) {
  const f = cert.fields || cert.details || cert.data;
  if (Array.isArray(f)) {
    return f.map((x) => ({ key: x.key || x.name || x.label, label: x.label || x.name || x.key, value: x.value }))
      .filter((x) => x.key);
  }
  if (f && typeof f === 'object') {
    return Object.keys(f).map((k) => ({ key: k, label: k, value: typeof f[k] === 'object' ? labelOf(f[k]) : f[k] }));
  }
  return [];
}

/** The token inside a scanned 亮证 QR code (the token itself, or a URL carrying ?token=). */
function tokenFrom(scanned) {
  const s = String(scanned || '').trim();
  const m = s.match(/[?&]token=([^&#]+)/);
  return m ? decodeURIComponent(m[1]) : s;
}

module.exports = { toView, labelOf, tokenFrom };
