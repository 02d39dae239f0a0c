/**
 * Every page uses this behavior: `elder` follows the global 适老化模式 switch, and the page's
 * root view adds the `elder` class, which swaps the CSS variables (large text, high contrast)
 * for the page, its components and TDesign's (see app.wxss). The navigation bar gets the
 * darker brand colour too.
 */
const store = require('../utils/store');

const NAV = { normal: '#0052d9', elder: '#002a80' };

function navigationBar(elder) {
  if (typeof wx === 'undefined' || typeof wx.setNavigationBarColor !== 'function') return;
  wx.setNavigationBarColor({ frontColor: '#ffffff', backgroundColor: elder ? NAV.elder : NAV.normal, fail() {} });
}

module.exports = Behavior({
  data: { elder: false },
  lifetimes: {
    attached() {
      const elder = Boolean(store.get('elder'));
      this.setData({ elder });
      if (elder) navigationBar(true);
      this.unsubscribeElder = store.subscribe('elder', (value) => {
        this.setData({ elder: Boolean(value) });
        navigationBar(Boolean(value));
      });
    },
    detached() {
      if (this.unsubscribeElder) this.unsubscribeElder();
    },
  },
});
