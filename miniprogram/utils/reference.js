/**
 * The pick lists behind the special pickers of the online forms (选择船舶, 选择燃油供应商公司,
 * 选择港口, 选择国家（地区）, 选择不符合的规定项): how to fetch, search and show each kind.
 */
const KINDS = {
  ship: {
    title: '选择船舶',
    searchable: false,
    fetch: (api) => api.ships.list(),
    label: (s) => s.name,
    note: (s) => [s.imo_number && `IMO ${s.imo_number}`, s.mmsi && `MMSI ${s.mmsi}`, s.ship_type].filter(Boolean).join(' · '),
  },
  supplier: {
    title: '选择燃油供应商公司',
    searchable: true,
    fetch: (api, params, extra) => api.reference.fuelSuppliers(params, extra),
    label: (s) => s.name_zh,
    note: (s) => [s.id, s.port, s.address, s.phone].filter(Boolean).join(' · '),
  },
  port: {
    title: '选择港口',
    searchable: true,
    fetch: (api, params, extra) => api.reference.ports(params, extra),
    label: (p) => p.name_zh,
    note: (p) => [p.id, p.name_en, p.region].filter(Boolean).join(' · '),
  },
  country: {
    title: '选择国家（地区）',
    searchable: true,
    fetch: (api, params, extra) => api.reference.countries(params, extra),
    label: (c) => c.name_zh,
    note: (c) => [c.id, c.name_en].filter(Boolean).join(' · '),
  },
  regulation: {
    title: '选择不符合的规定项',
    searchable: true,
    fetch: (api, params, extra) => api.reference.regulationItems(params, extra),
    label: (r) => r.title,
    note: (r) => r.id,
  },
};

/** The code a form stores for a picked entry (ships are stored whole, see pickShip). */
function codeOf(entry) {
  return entry.id;
}

/** "上海 CNSHA" style text for a picked code. */
function display(kind, entry) {
  const k = KINDS[kind];
  if (!k || !entry) return '';
  const label = k.label(entry);
  return label && label !== entry.id ? `${label}（${entry.id}）` : String(entry.id);
}

/** The ship object of a form from a 我的船舶 entry: only the properties the schema allows. */
function pickShip(ship, keys) {
  const out = {};
  (keys || Object.keys(ship)).forEach((k) => {
    if (ship[k] !== undefined && ship[k] !== null && ship[k] !== '') out[k] = ship[k];
  });
  return out;
}

module.exports = { KINDS, codeOf, display, pickShip };

const labelCache = {};

/**
 * The display text of a stored code (e.g. when an application is edited again), looked up in
 * its pick list once and cached; resolves the code itself when not found.
 */
async function lookupDisplay(api, kind, code) {
  const k = KINDS[kind];
  const key = `${kind}:${code}`;
  if (labelCache[key]) return labelCache[key];
  if (!k || !k.searchable || !code) return String(code || '');
  try {
    const res = await k.fetch(api, { q: code, limit: 20 }, { silent: true });
    const entry = ((res && res.items) || []).find((e) => e.id === code);
    if (entry) labelCache[key] = display(kind, entry);
  } catch (e) {
    // show the code
  }
  return labelCache[key] || String(code);
}

function remember(kind, entry) {
  const k = KINDS[kind];
  if (k && entry && entry.id && k.label(entry)) labelCache[`${kind}:${entry.id}`] = display(kind, entry);
}

module.exports.lookupDisplay = lookupDisplay;
module.exports.remember = remember;
