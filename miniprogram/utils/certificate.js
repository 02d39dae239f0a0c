/**
 * Certificates (我的证照, 证书查询, 执法人员扫码): one view model from the API's certificate
 * objects (CertificateCard, CertificateDetail, CertificateLookupResult, ScannedCertificate):
 * type and status as {code, label}, agency as AgencyRef; what the holder may do with it
 * (亮证 display, 纠错 correct) is the server's `allowed_actions`.
 */
function toView(cert) {
  const allowed = cert.allowed_actions || [];
  return {
    id: cert.id || '',
    typeCode: cert.type.code,
    title: cert.title,
    number: cert.number,
    holder: cert.holder_name,
    issuedOn: cert.issued_on,
    validUntil: cert.expires_on || '',
    issuer: cert.agency ? cert.agency.name : '',
    status: cert.status.label,
    displayable: allowed.indexOf('display') >= 0,
    correctable: allowed.indexOf('correct') >= 0,
    fields: cert.fields || [],
  };
}

/** The token inside a scanned 亮证 QR code (the token itself, or a URL carrying ?token=). */
function tokenFrom(scanned) {
  const s = String(scanned || '').trim();
  const m = s.match(/[?&]token=([^&#]+)/);
  return m ? decodeURIComponent(m[1]) : s;
}

module.exports = { toView, tokenFrom };
