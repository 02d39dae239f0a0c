/**
 * components/form-field: one renderer for every field kind of the online forms.
 */
const items = require('../fixtures/online-items.json');
const { describe: describeField } = require('../../utils/schema-form');
const handoff = require('../../utils/handoff');
const { load, text, fire, flush } = require('../helpers/simulate');
const { installFakeServer } = require('../helpers/server');
const shapes = require('../helpers/shapes');

const byCode = (code) => items.find((i) => i.item_code === code);
const field = (code, key) => {
  const schema = byCode(code).form_schema;
  return describeField(key, schema.properties[key], schema.required.includes(key));
};

function render(props) {
  const comp = load('components/form-field/index', Object.assign({ errors: {} }, props));
  const changes = [];
  // only the component's own change events (those carry the path)
  comp.addEventListener('change', (e) => {
    if (e.detail && e.detail.path !== undefined) changes.push(e.detail);
  });
  return { comp, changes };
}

beforeEach(() => {
  handoff.take('picker');
  installFakeServer(wx, {
    'GET /reference/ports': (req) => ({ items: [shapes.port({ id: req.query.q, name_zh: req.query.q === 'CNSHA' ? '上海' : '新加坡' })] }),
    'GET /reference/countries': { items: [shapes.country()] },
    'GET /reference/regulation-items': { items: [shapes.regulationItem()] },
  });
});

test('a text field shows its title, required mark and help, and emits its value', async () => {
  const { comp, changes } = render({ field: field('TH-001', 'project_name'), path: 'project_name' });
  expect(text(comp)).toContain('*项目/活动名称');
  await fire(comp, '.ff__input', 'change', { value: '海底电缆工程' });
  expect(changes).toEqual([{ path: 'project_name', value: '海底电缆工程' }]);
});

test('a number field emits numbers, keeps what is not yet a number', async () => {
  const { comp, changes } = render({ field: field('WF-002', 'quantity_mt'), path: 'quantity_mt' });
  const input = comp.querySelector('.ff__input');
  await fire(comp, input, 'change', { value: '850.5' });
  await fire(comp, input, 'change', { value: '12.' });
  await fire(comp, input, 'change', { value: '' });
  expect(changes.map((c) => c.value)).toEqual([850.5, '12.', undefined]);
});

test('an enum is a picker of its options', async () => {
  const { comp, changes } = render({ field: field('TH-001', 'apply_type'), path: 'apply_type', value: '航路划定' });
  expect(comp.instance.data.selectIndex).toBe(1);
  await fire(comp, '.ff__picker-wrap', 'change', { value: '4' });
  expect(changes).toEqual([{ path: 'apply_type', value: '安全作业区划定' }]);
});

test('a date-time is picked as date and time and stored with +08:00', async () => {
  const { comp, changes } = render({ field: field('WF-003', 'failure_time'), path: 'failure_time', value: '2026-05-15T09:40:00+08:00' });
  expect(text(comp)).toContain('2026-05-15');
  expect(text(comp)).toContain('09:40');
  await fire(comp, '.ff__datetime-time', 'change', { value: '10:05' });
  expect(changes).toEqual([{ path: 'failure_time', value: '2026-05-15T10:05:00+08:00' }]);
});

test('an array of enums is a multi-select', async () => {
  const { comp, changes } = render({ field: field('WF-001', 'operation_types'), path: 'operation_types', value: ['装卸'] });
  expect(comp.instance.data.checked).toEqual(['装卸']);
  await fire(comp, '.ff__checks', 'change', { value: ['装卸', '过驳'] });
  expect(changes).toEqual([{ path: 'operation_types', value: ['装卸', '过驳'] }]);
});

test('a nested object renders its fields, which report their full path and error', async () => {
  const { comp, changes } = render({
    field: field('WF-002', 'ship'), path: 'ship', value: { name: '海港明珠', flag: 'CN' },
    errors: { 'ship.imo_number': 'IMO编号校验位错误' },
  });
  await flush();
  expect(text(comp)).toContain('海港明珠');
  expect(text(comp)).toContain('IMO编号校验位错误');
  expect(text(comp)).toContain('中国（CN）');
  const imo = comp.querySelector('.ff >>> #ff-ship-imo_number');
  expect(imo).toBeTruthy();
  await fire(comp, '.ff >>> #ff-ship-imo_number .ff__input', 'change', { value: '9876543' });
  expect(changes).toEqual([{ path: 'ship.imo_number', value: '9876543' }]);
});

test('an array of objects adds and removes rows', async () => {
  const ships = byCode('TH-001').example.ships;
  const { comp, changes } = render({ field: field('TH-001', 'ships'), path: 'ships', value: ships });
  expect(text(comp)).toContain('作业船舶 1');
  expect(text(comp)).toContain('作业船舶 2');
  await fire(comp, '.ff__add', 'tap');
  expect(changes[0].value).toHaveLength(3);
  await fire(comp, '.ff__row-remove', 'tap');
  expect(changes[1]).toEqual({ path: 'ships', value: [ships[1]] });
  await fire(comp, '.ff >>> #ff-ships-1-name .ff__input', 'change', { value: '启航10' });
  expect(changes[2]).toEqual({ path: 'ships.1.name', value: '启航10' });
});

test('请选择船舶 opens 选择船舶 and fills the ship object with the schema fields', async () => {
  const { comp, changes } = render({ field: field('WF-002', 'ship'), path: 'ship' });
  expect(text(comp)).toContain('请选择船舶');
  await fire(comp, '.ff__ship', 'tap');
  expect(wx.navigateTo).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/picker/index?kind=ship&multiple=0' }));
  const request = handoff.take('picker');
  expect(request.title).toBe('选择船舶');
  request.onSelect([{ id: 's1', name: '海港明珠', imo_number: '9876543', mmsi: '413123450', flag: 'CN', call_sign: 'BXYZ', gross_tonnage: 38500 }]);
  expect(changes).toEqual([{ path: 'ship', value: { name: '海港明珠', imo_number: '9876543', mmsi: '413123450', flag: 'CN', gross_tonnage: 38500 } }]);
});

test('a port field opens 选择燃油加装港口 and stores the UN/LOCODE', async () => {
  const { comp, changes } = render({ field: field('WF-002', 'bunkering_port'), path: 'bunkering_port' });
  await fire(comp, '.ff__reference', 'tap');
  const request = handoff.take('picker');
  expect(request).toMatchObject({ kind: 'port', multiple: false, title: '选择燃油加装港口' });
  request.onSelect([{ id: 'CNSHA', name_zh: '上海' }]);
  expect(changes).toEqual([{ path: 'bunkering_port', value: 'CNSHA' }]);
});

test('regulation items are a multi-select picker of codes', async () => {
  const { comp, changes } = render({ field: field('WF-002', 'noncompliant_items'), path: 'noncompliant_items', value: ['BDN-MISMATCH'] });
  await fire(comp, '.ff__reference', 'tap');
  const request = handoff.take('picker');
  expect(request).toMatchObject({ kind: 'regulation', multiple: true, selected: ['BDN-MISMATCH'] });
  request.onSelect([{ id: 'BDN-MISMATCH', title: 'BDN声明硫含量与实际不符' }, { id: 'MARPOL-VI-14.1.3', title: '硫含量超标' }]);
  expect(changes).toEqual([{ path: 'noncompliant_items', value: ['BDN-MISMATCH', 'MARPOL-VI-14.1.3'] }]);
});

test('a stored code is shown with its name', async () => {
  const { comp } = render({ field: field('WF-003', 'next_port'), path: 'next_port', value: 'SGSIN' });
  await flush();
  expect(text(comp)).toContain('新加坡（SGSIN）');
});

test('disabled fields do not open pickers', async () => {
  const { comp } = render({ field: field('WF-002', 'supplier_id'), path: 'supplier_id', disabled: true });
  await fire(comp, '.ff__reference', 'tap');
  expect(handoff.peek('picker')).toBeUndefined();
});
