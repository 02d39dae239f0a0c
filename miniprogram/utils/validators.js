/**
 * Checks of the sign-in and account forms (the server validates again; these only spare a
 * round trip and say what is wrong in zh-CN).
 */
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** 18-digit resident ID number with a valid GB 11643 check digit. */
function isIdNumber(value) {
  const v = String(value || '').toUpperCase();
  if (!/^\d{17}[\dX]$/.test(v)) return false;
  const sum = ID_WEIGHTS.reduce((acc, w, i) => acc + w * Number(v[i]), 0);
  return ID_CHECK[sum % 11] === v[17];
}

const rules = {
  name: (v) => (/^[\u3400-\u9fff·A-Za-z ]{2,30}$/.test(String(v || '').trim()) ? null : '请输入正确的姓名'),
  idNumber: (v) => (isIdNumber(v) ? null : '请输入正确的18位身份证号码'),
  phone: (v) => (/^1[3-9]\d{9}$/.test(String(v || '')) ? null : '请输入正确的11位手机号码'),
  password: (v) => (String(v || '').length >= 8 && String(v || '').length <= 128 ? null : '密码至少8位'),
  username: (v) => (/^[a-zA-Z][a-zA-Z0-9_.-]{3,31}$/.test(String(v || '').trim()) ? null : '用户名须以字母开头，4-32位字母、数字或_.-'),
  creditCode: (v) => (/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(String(v || '').toUpperCase())
    ? null : '请输入正确的18位统一社会信用代码'),
  required: (label) => (v) => (String(v === undefined || v === null ? '' : v).trim() ? null : `请输入${label}`),
};

/**
 * checkForm(values, {field: rule | [rules]}) → {field: message} for the failing fields.
 * A rule is a function (value, values) → message | null.
 */
function checkForm(values, spec) {
  const errors = {};
  Object.keys(spec).forEach((key) => {
    const list = Array.isArray(spec[key]) ? spec[key] : [spec[key]];
    for (let i = 0; i < list.length; i += 1) {
      const msg = list[i](values[key], values);
      if (msg) {
        errors[key] = msg;
        break;
      }
    }
  });
  return errors;
}

function sameAs(key, message) {
  return (v, values) => (v === values[key] ? null : message || '两次输入的密码不一致');
}

/** Field errors of a 422 problem, keyed by the last element of loc (the body field name). */
function bodyErrors(err) {
  const out = {};
  ((err && err.errors) || []).forEach((e) => {
    const loc = e.loc || [];
    const key = loc[loc.length - 1];
    if (key !== undefined && !out[key]) out[key] = e.msg;
  });
  return out;
}

module.exports = { isIdNumber, rules, checkForm, sameAs, bodyErrors };
