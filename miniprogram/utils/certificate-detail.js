/**
 * 证照详情: the view model of GET /me/certificates/{id} (CertificateDetail) and opening a result
 * document's PDF (决定书, 备案证明: type RESULT_DOCUMENT).
 */
const { formatDate, formatDateTime } = require('./format');
const { call } = require('./wxp');

const RESULT_DOCUMENT = 'RESULT_DOCUMENT';

function detailView(cert) {
  const c = cert || {};
  const actions = c.allowed_actions || [];
  return {
    id: c.id,
    title: c.title,
    typeLabel: c.type ? c.type.label : '',
    number: c.number,
    holder: c.holder_name,
    issuer: c.agency ? c.agency.name : '',
    issuedOn: formatDate(c.issued_on),
    validity: c.expires_on ? `${formatDate(c.issued_on)} 至 ${formatDate(c.expires_on)}` : `${formatDate(c.issued_on)} 起长期有效`,
    statusCode: c.status ? c.status.code : '',
    statusLabel: c.status ? c.status.label : '',
    fields: (c.fields || []).map((f) => ({ key: f.key, label: f.label, value: f.value })),
    scans: (c.scans || []).map((s, i) => ({
      key: `${s.scanned_at}-${i}`,
      at: formatDateTime(s.scanned_at),
      agency: s.agency ? s.agency.name : '海事执法人员',
      result: s.result ? s.result.label : '',
    })),
    displayable: actions.indexOf('display') >= 0,
    correctable: actions.indexOf('correct') >= 0,
    isDocument: Boolean(c.type && c.type.code === RESULT_DOCUMENT),
    applicationId: c.application_id || '',
  };
}

/** 查看文书: the PDF downloaded with the user's token, opened in WeChat's document viewer. */
async function openDocument(api, certificateId, w) {
  const path = await api.certificates.document(certificateId);
  return call('openDocument', { filePath: path, fileType: 'pdf', showMenu: true }, w);
}

module.exports = { detailView, openDocument, RESULT_DOCUMENT };
