/**
 * The schema-driven form: field descriptors for the five online items (special pickers by id
 * kind), values by path, cleaning, client validation and where server errors belong.
 */
const items = require('../fixtures/online-items.json');
const sf = require('../../utils/schema-form');
const { validate } = require('../../utils/schema-validate');
const appForm = require('../../utils/application-form');
const shapes = require('../helpers/shapes');

const byCode = (code) => items.find((i) => i.item_code === code);
const widgetOf = (item, key) => sf.describe(key, item.form_schema.properties[key], false);

describe('widgets', () => {
  test('every property of every online item gets a widget', () => {
    items.forEach((item) => {
      Object.keys(item.form_schema.properties).forEach((key) => {
        const d = widgetOf(item, key);
        expect(['text', 'textarea', 'number', 'integer', 'switch', 'date', 'datetime', 'select', 'multiselect', 'object',
          'array', 'list', 'ship', 'reference']).toContain(d.widget);
        expect(d.title).toBeTruthy();
      });
    });
  });

  test('special pickers are chosen by the id kind', () => {
    const wf2 = byCode('WF-002');
    expect(widgetOf(wf2, 'ship').widget).toBe('ship');
    expect(widgetOf(wf2, 'supplier_id')).toMatchObject({ widget: 'reference', kind: 'supplier', multiple: false });
    expect(widgetOf(wf2, 'bunkering_port')).toMatchObject({ widget: 'reference', kind: 'port' });
    expect(widgetOf(wf2, 'port_country')).toMatchObject({ widget: 'reference', kind: 'country' });
    expect(widgetOf(wf2, 'noncompliant_items')).toMatchObject({ widget: 'reference', kind: 'regulation', multiple: true });
    expect(widgetOf(wf2, 'found_date').widget).toBe('date');
    const wf3 = byCode('WF-003');
    expect(widgetOf(wf3, 'last_port')).toMatchObject({ widget: 'reference', kind: 'port' });
    expect(widgetOf(wf3, 'eta').widget).toBe('datetime');
    expect(widgetOf(wf3, 'affected_equipment').widget).toBe('multiselect');
    expect(widgetOf(wf3, 'failure_position').widget).toBe('object');
  });

  test('the id kind is also recognised from the pattern alone', () => {
    expect(sf.describe('x', { type: 'string', pattern: '^FS[0-9]{3}$' }).kind).toBe('supplier');
    expect(sf.describe('x', { type: 'string', pattern: '^[A-Z]{2}[A-Z2-9]{3}$' }).kind).toBe('port');
    expect(sf.describe('x', { type: 'string', pattern: '^[A-Z]{2}$' }).kind).toBe('country');
    expect(sf.describe('x', { type: 'string', pattern: '^[0-9]{7}$', maxLength: 7 }).widget).toBe('text');
  });

  test('the ship object keeps its fields (errors on ship.imo_number land on a field) and its keys', () => {
    const d = widgetOf(byCode('WF-002'), 'ship');
    expect(d.fields.map((f) => f.key)).toEqual(['name', 'imo_number', 'mmsi', 'flag', 'ship_type', 'gross_tonnage']);
    expect(d.fields.find((f) => f.key === 'imo_number').required).toBe(true);
    expect(d.fields.find((f) => f.key === 'flag').kind).toBe('country');
    expect(d.shipKeys).toContain('mmsi');
  });

  test('arrays of objects describe their rows; enums and long texts', () => {
    const th1 = byCode('TH-001');
    const ships = widgetOf(th1, 'ships');
    expect(ships.widget).toBe('array');
    expect(ships.itemTitle).toBe('作业船舶');
    expect(ships.itemFields.map((f) => f.key)).toContain('imo_number');
    expect(widgetOf(th1, 'area_coordinates').itemFields.map((f) => f.widget)).toEqual(['number', 'number']);
    expect(widgetOf(th1, 'apply_type')).toMatchObject({ widget: 'select', options: expect.arrayContaining(['安全作业区划定']) });
    expect(widgetOf(th1, 'reason').widget).toBe('textarea');
    expect(widgetOf(th1, 'project_name').widget).toBe('text');
    expect(widgetOf(byCode('WF-001'), 'operation_types').widget).toBe('multiselect');
  });

  test('signed numbers get a text keyboard (the digit keyboard has no minus)', () => {
    const pos = widgetOf(byCode('TH-002'), 'shoreline_start').fields;
    expect(pos.find((f) => f.key === 'lat').inputType).toBe('text');
    expect(widgetOf(byCode('TH-002'), 'shoreline_length_m').inputType).toBe('digit');
  });

  test('help text hides the API paths', () => {
    expect(sf.helpText('船旗国；国家/地区代码（ISO 3166-1 alpha-2，如 CN、SG），取自 /reference/countries'))
      .toBe('船旗国；国家/地区代码（ISO 3166-1 alpha-2，如 CN、SG）');
    expect(sf.helpText('点击“请选择船舶”从本账号名下船舶（/me/ships）中选择后带出')).toBe('点击“请选择船舶”从本账号名下船舶中选择后带出');
    expect(sf.helpText('燃油供应商编号（如 FS001），取自 /reference/fuel-suppliers；供应商名称由系统带出'))
      .toBe('燃油供应商编号（如 FS001）；供应商名称由系统带出');
  });

  test('steps carry their fields and material slots', () => {
    const wf3 = byCode('WF-003');
    const failure = sf.describeStep(wf3, wf3.steps[2]);
    expect(failure.fields.map((f) => f.key)).toEqual(['failure_time', 'failure_position', 'failure_location_text', 'affected_equipment', 'failure_description']);
    expect(failure.slots.map((s) => s.slot)).toEqual(['failure_report']);
    const th1 = byCode('TH-001');
    expect(sf.describeStep(th1, th1.steps[1]).slots).toHaveLength(6);
  });
});

describe('values', () => {
  test('setIn creates containers and never mutates', () => {
    const form = { ship: { name: 'A' } };
    const next = sf.setIn(form, 'ships.1.name', '启航9');
    expect(next.ships[1].name).toBe('启航9');
    expect(Array.isArray(next.ships)).toBe(true);
    expect(form.ships).toBeUndefined();
    expect(sf.setIn(form, 'ship.imo_number', '9876543').ship).toEqual({ name: 'A', imo_number: '9876543' });
    expect(sf.getIn(next, 'ships.1.name')).toBe('启航9');
    expect(sf.getIn(next, 'x.y.z')).toBeUndefined();
  });

  test('clean drops empties and unknown properties, trims text, keeps 0', () => {
    const schema = byCode('TH-001').form_schema;
    const cleaned = sf.clean({
      project_name: '  工程 ', agent: '', junk: 1, ships: [{}, { name: '启航9', gross_tonnage: 0 }], area_coordinates: [],
    }, schema);
    expect(cleaned).toEqual({ project_name: '工程', ships: [{ name: '启航9', gross_tonnage: 0 }] });
  });

  test('each example is valid on the client and unchanged by clean', () => {
    items.forEach((item) => {
      expect({ item: item.item_code, errors: validate(item.form_schema, item.example) }).toEqual({ item: item.item_code, errors: {} });
      expect(sf.clean(item.example, item.form_schema)).toEqual(item.example);
    });
  });
});

describe('client validation', () => {
  const wf2 = byCode('WF-002');

  test('reports missing required fields with zh-CN messages', () => {
    const errors = validate(wf2.form_schema, {}, ['ship', 'supplier_id', 'found_date', 'noncompliant_items']);
    expect(errors).toEqual({
      ship: '请选择船舶',
      supplier_id: '请选择燃油供应商公司',
      found_date: '请选择发现不合规日期',
      noncompliant_items: '请选择不符合的规定项',
    });
  });

  test('checks nested patterns, numbers and ranges', () => {
    const form = Object.assign({}, wf2.example, {
      ship: Object.assign({}, wf2.example.ship, { imo_number: '12' }),
      quantity_mt: 'abc',
      sulphur_tested: 9,
    });
    const errors = validate(wf2.form_schema, form);
    expect(errors['ship.imo_number']).toBe('IMO编号格式不正确');
    expect(errors.quantity_mt).toBe('数量（公吨）请输入数字');
    expect(errors.sulphur_tested).toBe('检测硫含量（% m/m）不能大于5');
  });

  test('checks rows of arrays', () => {
    const th1 = byCode('TH-001');
    const errors = validate(th1.form_schema, Object.assign({}, th1.example, { ships: [{ imo_number: '9612349' }] }));
    expect(errors).toEqual({ 'ships.0.name': '请填写船名' });
  });
});

describe('the application form', () => {
  test('items without an agency step get 选择受理机构 last', () => {
    expect(appForm.stepsOf(byCode('WF-002')).map((s) => s.kind)).toEqual(['form', 'form', 'form', 'form', 'form', 'form', 'agency']);
    expect(appForm.stepsOf(byCode('TH-001')).map((s) => s.kind)).toEqual(['form', 'materials', 'agency']);
  });

  test('builds the body of 保存', () => {
    const th2 = byCode('TH-002');
    const body = appForm.buildBody(th2, {
      form: Object.assign({ remarks: '' }, th2.example),
      materials: { application_form: { id: 'm1' }, technical_documents: { id: 'm2' } },
      agency: { code: 'SH-YS', name: '洋山港海事局' },
      contactPhone: '13800138000',
    });
    expect(body).toEqual({
      item_code: 'TH-002',
      form: th2.example,
      materials: [{ slot: 'application_form', material_id: 'm1' }, { slot: 'technical_documents', material_id: 'm2' }],
      agency_code: 'SH-YS',
      contact_phone: '13800138000',
    });
    expect(appForm.buildBody(th2, { form: {} }, true)).toEqual({ form: {}, materials: [] });
  });

  test('a step is not done until its required fields, slots and agency are', () => {
    const wf3 = byCode('WF-003');
    const steps = appForm.describeSteps(wf3);
    const state = { form: wf3.example, materials: {}, agency: null };
    expect(appForm.checkStep(wf3, steps[0], state).ok).toBe(true);
    const failure = appForm.checkStep(wf3, steps[2], state);
    expect(failure.ok).toBe(false);
    expect(failure.slotErrors).toEqual({ failure_report: '请添加故障报告' });
    expect(appForm.checkStep(wf3, steps[4], state).agencyError).toBe('请选择受理机构');
    const all = appForm.checkAll(wf3, state);
    expect(all.step).toBe(2);
    expect(appForm.checkAll(wf3, {
      form: wf3.example, materials: { failure_report: { id: 'a' }, bdn: { id: 'b' } }, agency: { code: 'SH' },
    }).ok).toBe(true);
  });

  test('server errors land on their fields, slots and step', () => {
    const wf2 = byCode('WF-002');
    const body = { materials: [{ slot: 'report_materials', material_id: 'm1' }] };
    const placed = appForm.placeServerErrors(wf2, {
      status: 422,
      title: '提交的内容有误',
      errors: [
        { loc: ['body', 'form', 'bunkering_port'], msg: '港口代码不存在' },
        { loc: ['body', 'form', 'ship', 'imo_number'], msg: 'IMO编号校验位错误' },
        { loc: ['body', 'materials', 0, 'material_id'], msg: '材料不存在' },
        { loc: ['body', 'agency_code'], msg: '该机构不受理此事项' },
        { loc: ['body'], msg: '其他错误' },
      ],
    }, body);
    expect(placed.errors).toEqual({ bunkering_port: '港口代码不存在', 'ship.imo_number': 'IMO编号校验位错误' });
    expect(placed.slotErrors).toEqual({ report_materials: '材料不存在' });
    expect(placed.agencyError).toBe('该机构不受理此事项');
    expect(placed.general).toEqual(['其他错误']);
    expect(placed.step).toBe(0);
  });

  test('an application being edited again restores the state', () => {
    const bdn = shapes.material({ id: 'm1', name: 'BDN.pdf' });
    const state = appForm.stateFromApplication(shapes.application({
      form: { a: 1 },
      materials: [{ slot: 'bdn', slot_name: '燃油供受单证（BDN）', material: bdn }],
      contact_name: '王五',
      contact_phone: '137****1234',
    }));
    expect(state).toEqual({
      form: { a: 1 }, materials: { bdn },
      agency: { code: 'SH', name: '上海海事局' }, contactName: '王五', contactPhone: '',
      storedContactName: '王五', storedContactPhone: '137****1234',
    });
  });
});
