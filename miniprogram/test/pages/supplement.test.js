/**
 * 补正 item by item: an application that is 待补正 shows, on its detail page, every item the
 * agency asked for with its reason; 编辑 lists them with their step and marks those material
 * slots and form fields until the applicant changes them, then 提交 sends the application back.
 */
const items = require('../fixtures/online-items.json');
const { loadPage, text, fire, flush } = require('../helpers/simulate');
const { installFakeServer } = require('../helpers/server');
const { signIn } = require('../helpers/session');
const shapes = require('../helpers/shapes');

const th2 = items.find((i) => i.item_code === 'TH-002');

const REQUEST = {
  notice_id: 'n2',
  number: '上海局海事补〔2026〕HS20260515000001',
  issued_at: '2026-05-16T02:00:00Z',
  comment: '请按以下各项补正后重新提交',
  items: [
    { target: 'material', key: 'designer_qualification', label: '设计单位资质认证文书', reason: '资质证书已过有效期' },
    { target: 'material', key: 'technical_documents', label: '有关技术资料、图纸及审查会议纪要', reason: '图纸未加盖设计单位公章' },
    { target: 'field', key: 'shoreline_length_m', label: '岸线长度（米）', reason: '岸线长度与图纸标注不一致' },
  ],
};

function waiting(over) {
  return shapes.application(Object.assign({
    id: 'a1', number: 'HS20260515000001', item: shapes.coded('TH-002', '通航水域岸线安全使用许可'), status: 'supplement_required',
    version: 4, submitted_at: shapes.T, allowed_actions: ['edit', 'submit', 'view_notice'], form: th2.example,
    materials: th2.material_slots.filter((s) => s.required).map((s, i) => ({
      slot: s.slot, slot_name: s.name, material: shapes.material({ id: `m${i}`, name: `${s.name}.pdf` }),
    })),
    notices: [{ id: 'n2', kind: shapes.coded('supplement', '补正材料通知书'), number: REQUEST.number, issued_at: REQUEST.issued_at }],
    supplement_request: REQUEST,
  }, over));
}

function server(extra) {
  return installFakeServer(wx, Object.assign({
    'GET /online-items': items,
    'GET /me/notifications/subscription': { template_id: null, remaining: 0 },
    'GET /applications/a1': waiting(),
  }, extra));
}

beforeEach(() => signIn('corporate'));

describe('办件详情 while 待补正', () => {
  test('lists every item to supplement with its reason, then the notice', async () => {
    server();
    const page = await loadPage('pages/application/index', { id: 'a1' });
    await flush(10);

    const shown = page.querySelectorAll('.app__supplement-item').map((el) => el.dom.textContent.replace(/\s+/g, ''));
    expect(shown).toEqual([
      '材料1.设计单位资质认证文书资质证书已过有效期',
      '材料2.有关技术资料、图纸及审查会议纪要图纸未加盖设计单位公章',
      '表单3.岸线长度（米）岸线长度与图纸标注不一致',
    ]);
    const t = text(page);
    expect(t).toContain('请按以下 3 项要求补正，点击“编辑”修改后重新提交');
    expect(t).toContain('请按以下各项补正后重新提交');
    expect(t).toContain('补正材料通知书');
    expect(t.indexOf('补正要求')).toBeLessThan(t.indexOf('补正材料通知书'));
  });

  test('an application not waiting for 补正 shows no such list', async () => {
    server({ 'GET /applications/a1': waiting({ status: 'submitted', supplement_request: null, allowed_actions: ['cancel'] }) });
    const page = await loadPage('pages/application/index', { id: 'a1' });
    await flush(10);

    expect(page.querySelectorAll('.app__supplement-item')).toHaveLength(0);
    expect(text(page)).not.toContain('补正要求');
  });
});

describe('编辑 a 待补正 application', () => {
  test('lists the items with their steps and marks those fields and material slots', async () => {
    server();
    const page = await loadPage('pages/apply/index', { id: 'a1' });
    await flush(10);

    const t = text(page);
    expect(t).toContain('待补正：请按以下 3 项要求修改后提交');
    expect(t).toContain('第 2 步：添加申请材料');
    expect(t).toContain('第 1 步：填写基本信息');
    // Step 1 holds the form: the field to correct carries its reason.
    const length = page.querySelectorAll('.apply__field').find((f) => f.instance.data.field.key === 'shoreline_length_m');
    expect(length.dom.textContent).toContain('需补正：岸线长度与图纸标注不一致');
    expect(page.instance.data.errors).toEqual({ shoreline_length_m: '需补正：岸线长度与图纸标注不一致' });

    // A tap on a material item goes to the materials step, where both slots are marked.
    await fire(page, page.querySelectorAll('.apply__supplement-item')[0], 'tap');
    expect(page.instance.data.step.title).toBe('添加申请材料');
    const slots = page.querySelectorAll('.apply__slot');
    const marked = slots.filter((s) => /需补正/.test(s.dom.textContent)).map((s) => s.instance.data.slotDef.slot);
    expect(marked).toEqual(['designer_qualification', 'technical_documents']);
    expect(text(page)).toContain('需补正：图纸未加盖设计单位公章');

    // A replaced material is no longer marked; the other stays.
    await fire(page, '.apply__slot', 'change', { slot: 'technical_documents', material: { id: 'm9', name: '图纸（盖章）.pdf' } });
    expect(page.instance.data.slotErrors).toEqual({ designer_qualification: '需补正：资质证书已过有效期' });
  });

  test('a draft that was never asked to supplement has no list and no marks', async () => {
    server({ 'GET /applications/a1': waiting({ status: 'draft', number: null, supplement_request: null, notices: [] }) });
    const page = await loadPage('pages/apply/index', { id: 'a1' });
    await flush(10);

    expect(text(page)).not.toContain('待补正');
    expect(page.instance.data.errors).toEqual({});
    expect(page.instance.data.slotErrors).toEqual({});
  });
});
