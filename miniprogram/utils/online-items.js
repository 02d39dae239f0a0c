/**
 * The online items (GET /online-items), fetched once per session and shared by 在线办理 and
 * the form page.
 */
const services = require('../services/index');
const { pageOf } = require('./format');

let cached = null;

function load(force) {
  if (!cached || force) {
    cached = services.api.onlineItems.list().then((res) => pageOf(res).items, (err) => {
      cached = null;
      throw err;
    });
  }
  return cached;
}

async function find(itemCode) {
  const items = await load();
  return items.find((i) => i.item_code === itemCode) || null;
}

function reset() {
  cached = null;
}

module.exports = { load, find, reset };
