/**
 * Cursor paging for list pages (`{items, next_cursor}` with `limit`/`cursor`): the page
 * implements `fetchPage(cursor)` (and optionally `mapItem(item)`), then calls `reload()`;
 * reaching the bottom loads the next page (infinite scroll).
 */
const { pageOf } = require('../utils/format');

module.exports = Behavior({
  data: {
    items: [],
    nextCursor: null,
    loading: false,
    finished: false,
    loadError: false,
  },
  methods: {
    reload() {
      this.listGeneration = (this.listGeneration || 0) + 1;
      this.setData({ items: [], nextCursor: null, finished: false, loadError: false });
      return this.loadPage(true);
    },
    loadMore() {
      if (this.data.loading || this.data.finished) return Promise.resolve();
      return this.loadPage(false);
    },
    async loadPage(first) {
      const generation = this.listGeneration || 0;
      this.setData({ loading: true, loadError: false });
      try {
        const res = await this.fetchPage(first ? null : this.data.nextCursor);
        if (generation !== (this.listGeneration || 0)) return;
        const page = pageOf(res);
        const mapped = this.mapItem ? page.items.map((x) => this.mapItem(x)) : page.items;
        this.setData({
          items: (first ? [] : this.data.items).concat(mapped),
          nextCursor: page.next_cursor,
          finished: !page.next_cursor,
          loading: false,
        });
      } catch (e) {
        if (generation === (this.listGeneration || 0)) this.setData({ loading: false, loadError: true });
      }
    },
    onReachBottom() {
      return this.loadMore();
    },
    onPullDownRefresh() {
      return this.reload().then(() => {
        if (typeof wx !== 'undefined' && wx.stopPullDownRefresh) wx.stopPullDownRefresh();
      });
    },
  },
});
