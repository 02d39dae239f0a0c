/**
 * 我的船舶: a ship as the list shows it, the client checks of the ship form (the server checks
 * again with the same rules and messages) and the body of POST/PUT /me/ships.
 */
const FIELDS = ['name', 'imo_number', 'mmsi', 'call_sign', 'flag', 'port_of_registry', 'ship_type', 'gross_tonnage'];

function imoCheckDigit(first6) {
  const sum = first6.split('').reduce((acc, d, i) => acc + Number(d) * (7 - i), 0);
  return String(sum % 10);
}

function text(v) {
  return String(v === undefined || v === null ? '' : v).trim();
}

const CHECKS = {
  name: (v) => (text(v) ? (text(v).length > 64 ? '船名不能超过64个字符' : null) : '请输入船名'),
  imo_number: (v) => {
    const s = text(v);
    if (!s) return '请输入IMO编号';
    if (!/^\d{7}$/.test(s)) return 'IMO编号应为7位数字';
    return imoCheckDigit(s.slice(0, 6)) === s[6] ? null : 'IMO编号校验位不正确';
  },
  mmsi: (v) => (/^[2-7]\d{8}$/.test(text(v)) ? null : 'MMSI应为9位数字（船舶以2至7开头）'),
  call_sign: (v) => (!text(v) || /^[A-Z0-9]{3,10}$/.test(text(v).toUpperCase()) ? null : '呼号应为3至10位字母或数字'),
  flag: (v) => (/^[A-Z]{2}$/.test(text(v).toUpperCase()) ? null : '请选择船旗国'),
  port_of_registry: (v) => (text(v).length > 32 ? '船籍港不能超过32个字符' : null),
  ship_type: (v) => (text(v) ? (text(v).length > 32 ? '船舶种类不能超过32个字符' : null) : '请输入船舶种类'),
  gross_tonnage: (v) => {
    const s = text(v);
    if (!s) return '请输入总吨';
    const n = Number(s);
    return /^\d+$/.test(s) && n >= 1 && n <= 1000000 ? null : '总吨应为1至1000000的整数';
  },
};

/** {field: message} of the fields that fail. */
function check(values) {
  const errors = {};
  FIELDS.forEach((k) => {
    const msg = CHECKS[k](values[k]);
    if (msg) errors[k] = msg;
  });
  return errors;
}

/** The body of POST /me/ships and PUT /me/ships/{id}. */
function toBody(values) {
  const call = text(values.call_sign).toUpperCase();
  return {
    name: text(values.name),
    imo_number: text(values.imo_number),
    mmsi: text(values.mmsi),
    call_sign: call || null,
    flag: text(values.flag).toUpperCase(),
    port_of_registry: text(values.port_of_registry) || null,
    ship_type: text(values.ship_type),
    gross_tonnage: Number(text(values.gross_tonnage)),
  };
}

/** The form's values of a ShipRead (all strings, as the inputs hold them). */
function toValues(ship) {
  const s = ship || {};
  const out = {};
  FIELDS.forEach((k) => {
    out[k] = s[k] === undefined || s[k] === null ? '' : String(s[k]);
  });
  return out;
}

/** A list entry of 我的船舶. */
function shipView(ship) {
  return {
    id: ship.id,
    name: ship.name,
    ids: [`IMO ${ship.imo_number}`, `MMSI ${ship.mmsi}`, ship.call_sign && `呼号 ${ship.call_sign}`].filter(Boolean).join(' · '),
    meta: [`船旗国 ${ship.flag}`, ship.port_of_registry && `船籍港 ${ship.port_of_registry}`, ship.ship_type, `总吨 ${ship.gross_tonnage}`]
      .filter(Boolean).join(' · '),
  };
}

module.exports = { FIELDS, check, toBody, toValues, shipView, imoCheckDigit };
