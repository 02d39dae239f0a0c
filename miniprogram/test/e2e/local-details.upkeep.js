/**
 * End to end (issue 19): a 海事处 the authority has just published, seen by the mini program's
 * real services/ against the live backend. Run by tests/test_miniprogram_e2e.py after it loads
 * a dataset with the office (E2E_OFFICE, its agencies.json record; E2E_ITEM, the one item it
 * handles) the way publishing loads it; not part of `npm run test:e2e`.
 */
const { guideRows } = require('../../utils/catalog');
const { suite, client } = require('./support');

const OFFICE = JSON.parse(process.env.E2E_OFFICE || '{}');
const ITEM = process.env.E2E_ITEM;

function find(nodes, code, path = []) {
  for (const node of nodes) {
    if (node.code === code) return { node, path };
    const below = find(node.children || [], code, path.concat(node.short_name));
    if (below) return below;
  }
  return null;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

suite('a 海事处 added under a branch bureau and published', () => {
  const c = client();

  test('is offered in the agency picker of its item within seconds, and the guide shows its address and phone', async () => {
    const started = Date.now();
    let found = null;
    while (!found && Date.now() - started < 20000) {
      // What the agency picker asks for an item (components/agency-picker, `item` set).
      found = find(await c.api.catalog.agencies(ITEM), OFFICE.code);
      if (!found) await sleep(200);
    }
    process.stdout.write(`E2E_OFFERED_AT_MS=${Date.now()}\n`);
    expect(found).not.toBeNull();
    expect(found.node).toMatchObject({
      name: OFFICE.name, handles_item: true, address: OFFICE.address, phone: OFFICE.phone, office_hours: OFFICE.office_hours,
    });
    expect(found.path.slice(1)).toEqual(['山东', '日照']);
    // It lists its one item: the picker of another item its level handles does not offer it.
    expect(find(await c.api.catalog.agencies('TH-001'), OFFICE.code)).toBeNull();

    // The guide page, once the office is chosen: what it renders comes from the server.
    const item = await c.api.catalog.item(ITEM, OFFICE.code);
    const rows = Object.fromEntries(guideRows(item.guide).map((row) => [row.label, row.text]));
    expect(rows['办理地点、时间']).toBe(`受理地点：${OFFICE.address}；办理时间：${OFFICE.office_hours}`);
    expect(rows['咨询电话']).toBe(OFFICE.phone);
    expect(item.local_details.agency.name).toBe(OFFICE.name);
    expect(item.local_details.phone.agency.code).toBe(OFFICE.code);
  });
});
