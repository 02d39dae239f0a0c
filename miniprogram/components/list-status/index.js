/**
 * The foot of a list: loading, 没有更多了, empty state, or a retry after an error.
 */
Component({
  properties: {
    loading: { type: Boolean, value: false },
    finished: { type: Boolean, value: false },
    error: { type: Boolean, value: false },
    count: { type: Number, value: 0 },
    emptyText: { type: String, value: '暂无数据' },
  },
  methods: {
    onRetry() {
      this.triggerEvent('retry');
    },
  },
});
