/**
 * 我的消息 (manual §3.3.6): reminders sent while applications are handled. Opening one marks
 * it read (and opens its application); 全部已读 marks them all.
 */
const page = require('../../behaviors/page');
const list = require('../../behaviors/list');
const services = require('../../services/index');
const { formatDateTime } = require('../../utils/format');
const { refreshUnread, setUnread } = require('../../utils/messages');
const { go } = require('../../utils/nav');

function view(m) {
  return {
    id: m.id,
    title: m.title,
    body: m.body,
    read: m.read,
    time: formatDateTime(m.created_at),
    applicationId: m.subject_type === 'application' ? m.subject_id : '',
  };
}

Component({
  behaviors: [page, list],
  methods: {
    onShow() {
      return this.reload();
    },
    fetchPage(cursor) {
      return services.api.messages.list({ limit: 20, cursor: cursor || undefined });
    },
    mapItem: view,

    async onOpen(e) {
      const index = Number(e.currentTarget.dataset.index);
      const m = this.data.items[index];
      if (!m) return;
      if (!m.read) {
        this.setData({ [`items[${index}].read`]: true });
        services.api.messages.read(m.id).then(() => refreshUnread(), () => {});
      }
      if (m.applicationId) go(`/pages/application/index?id=${encodeURIComponent(m.applicationId)}`);
    },

    async onReadAll() {
      try {
        await services.api.messages.readAll();
        this.setData({ items: this.data.items.map((m) => Object.assign({}, m, { read: true })) });
        setUnread(0);
      } catch (e) {
        // shown by the request layer
      }
    },
  },
});
