/**
 * The state of the online form (在线办理) apart from the page: the steps of an item, the request
 * body of 保存, the checks of one step or of all, and where the server's 422 errors belong.
 *
 * State: {form, materials: {slot: material}, agency: {code, name}|null, contactName, contactPhone,
 * storedContactName, storedContactPhone (masked)}
 */
const { describeStep, clean, mapErrors, stepIndexFor } = require('./schema-form');
const { validate } = require('./schema-validate');
const { rules } = require('./validators');

const AGENCY_STEP = { key: 'agency', title: '选择受理机构', kind: 'agency' };

/**
 * The item's steps; an accepting agency is needed to submit, so an item whose steps do not
 * choose one gets 选择受理机构 as its last step.
 */
function stepsOf(item) {
  const steps = (item.steps || []).slice();
  if (!steps.some((s) => s.kind === 'agency')) steps.push(AGENCY_STEP);
  return steps;
}

function describeSteps(item) {
  return stepsOf(item).map((s) => describeStep(item, s));
}

function withSteps(item) {
  return Object.assign({}, item, { steps: stepsOf(item) });
}

/**
 * The body of POST /applications, or with `forUpdate` of PUT /applications/{id} (the item of
 * an application does not change, so item_code is only sent on create).
 */
function buildBody(item, state, forUpdate) {
  const materials = [];
  (item.material_slots || []).forEach((s) => {
    const m = state.materials && state.materials[s.slot];
    if (m && m.id) materials.push({ slot: s.slot, material_id: m.id });
  });
  const body = forUpdate ? {} : { item_code: item.item_code };
  body.form = clean(state.form || {}, item.form_schema) || {};
  body.materials = materials;
  if (state.agency && state.agency.code) body.agency_code = state.agency.code;
  // 联系人 (contract: contact): omitted, the server keeps what it has and at submission defaults
  // to the account's name and phone. The stored phone is only known masked, so it is never sent
  // back: a phone is sent when the applicant typed one; a name when it differs from the stored.
  const name = String(state.contactName || '').trim();
  const storedName = String(state.storedContactName || '');
  if (name !== storedName) body.contact_name = name || null;
  const phone = String(state.contactPhone || '').trim();
  if (phone) body.contact_phone = phone;
  return body;
}

/** Client checks of one described step: {errors, slotErrors, agencyError, ok}. */
function checkStep(item, step, state) {
  const errors = step.fields.length ? validate(item.form_schema, state.form, step.fields.map((f) => f.key)) : {};
  const slotErrors = {};
  step.slots.forEach((s) => {
    if (s.required && !(state.materials && state.materials[s.slot])) slotErrors[s.slot] = `请添加${s.name}`;
  });
  let agencyError = '';
  if (step.kind === 'agency') {
    if (!state.agency || !state.agency.code) agencyError = '请选择受理机构';
    if (state.contactPhone && rules.phone(state.contactPhone)) slotErrors._contactPhone = rules.phone(state.contactPhone);
  }
  const ok = !Object.keys(errors).length && !Object.keys(slotErrors).length && !agencyError;
  return { errors, slotErrors, agencyError, ok };
}

/** Checks every step; `step` is the index of the first one that fails (-1 when all pass). */
function checkAll(item, state) {
  const steps = describeSteps(item);
  const out = { errors: {}, slotErrors: {}, agencyError: '', step: -1, ok: true };
  steps.forEach((s, i) => {
    const r = checkStep(item, s, state);
    Object.assign(out.errors, r.errors);
    Object.assign(out.slotErrors, r.slotErrors);
    if (r.agencyError) out.agencyError = r.agencyError;
    if (!r.ok && out.step < 0) out.step = i;
  });
  out.ok = out.step < 0;
  return out;
}

/**
 * Places a 422 problem's errors: form paths on their fields, material errors on their slots
 * (loc ["body","materials",0,…] refers to the sent body's materials), agency_code on the agency
 * step, the rest as general messages; `step` is where the first of them is.
 */
function placeServerErrors(item, err, body) {
  const { form, other } = mapErrors(err.errors);
  const out = { errors: form, slotErrors: {}, agencyError: '', general: [], step: -1 };
  const full = withSteps(item);
  const steps = [];
  Object.keys(form).forEach((path) => steps.push(stepIndexFor(full, path)));
  Object.keys(other).forEach((key) => {
    const parts = key.split('.');
    const msg = other[key];
    if (parts[0] === 'agency_code') {
      out.agencyError = msg;
      steps.push(stepIndexFor(full, 'agency_code'));
    } else if (parts[0] === 'materials') {
      const sent = body && body.materials && /^\d+$/.test(parts[1] || '') ? body.materials[Number(parts[1])] : null;
      const slot = sent ? sent.slot : (item.material_slots || []).map((s) => s.slot).find((s) => parts.indexOf(s) >= 0);
      if (slot) out.slotErrors[slot] = msg;
      else out.general.push(msg);
      steps.push(stepIndexFor(full, slot ? `materials.${slot}` : 'materials'));
    } else if (parts[0] === 'contact_phone') {
      out.slotErrors._contactPhone = msg;
      steps.push(stepIndexFor(full, 'agency_code'));
    } else {
      out.general.push(msg);
    }
  });
  const found = steps.filter((i) => i >= 0);
  out.step = found.length ? Math.min(...found) : -1;
  if (!Object.keys(form).length && !Object.keys(other).length && err.title) out.general.push(err.title);
  return out;
}

/**
 * State from an application being edited again (ApplicationRead of GET /applications/{id}).
 * The contact phone comes masked: it is shown (storedContactPhone), never put back in the form.
 */
function stateFromApplication(app) {
  const materials = {};
  app.materials.forEach((m) => {
    materials[m.slot] = m.material;
  });
  return {
    form: app.form,
    materials,
    agency: app.agency ? { code: app.agency.code, name: app.agency.name } : null,
    contactName: app.contact_name || '',
    contactPhone: '',
    storedContactName: app.contact_name || '',
    storedContactPhone: app.contact_phone || '',
  };
}

module.exports = { AGENCY_STEP, stepsOf, describeSteps, buildBody, checkStep, checkAll, placeServerErrors, stateFromApplication };
