import { call, getBlob, getJson, postJson, query } from './client';

const base = '/staff/applications';

export const staff = {
  queue: (filters) => getJson(`${base}${query(filters)}`),
  application: (id) => getJson(`${base}/${encodeURIComponent(id)}`),
  // 办事指南 as the dataset version the application was first submitted under held it.
  guide: (id) => getJson(`${base}/${encodeURIComponent(id)}/guide`),
  decide: (application, decision) =>
    postJson(`${base}/${encodeURIComponent(application.id)}/decisions`, decision, {
      headers: { 'If-Match': `"${application.version}"` },
    }),
  // The PDF the decision would issue, checked like the decision itself; nothing is decided.
  previewDecision: async (application, decision) =>
    (
      await call(`${base}/${encodeURIComponent(application.id)}/decisions/preview`, {
        method: 'POST',
        body: decision,
        headers: { 'If-Match': `"${application.version}"`, Accept: 'application/pdf' },
      })
    ).blob(),
  material: (applicationId, materialId) =>
    getBlob(`${base}/${encodeURIComponent(applicationId)}/materials/${encodeURIComponent(materialId)}/content`),
  noticePdf: (applicationId, noticeId) =>
    getBlob(`${base}/${encodeURIComponent(applicationId)}/notices/${encodeURIComponent(noticeId)}`, {
      Accept: 'application/pdf',
    }),
};

const corrections = '/staff/corrections';

export const correctionDesk = {
  queue: (filters) => getJson(`${corrections}${query(filters)}`),
  correction: (id) => getJson(`${corrections}/${encodeURIComponent(id)}`),
  decide: (id, decision) => postJson(`${corrections}/${encodeURIComponent(id)}/decisions`, decision),
  material: (id, materialId) =>
    getBlob(`${corrections}/${encodeURIComponent(id)}/materials/${encodeURIComponent(materialId)}/content`),
};

export const catalog = {
  onlineItems: () => getJson('/online-items', { auth: false }),
  agencies: () => getJson('/agencies', { auth: false }),
};
