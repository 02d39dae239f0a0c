/**
 * 我的材料 (manual §3.3.5): the materials uploaded for online applications, with thumbnails;
 * 查看 (image preview or document), 删除, and 上传材料 at the bottom.
 */
const page = require('../../behaviors/page');
const list = require('../../behaviors/list');
const services = require('../../services/index');
const { formatDateTime, fileSize } = require('../../utils/format');
const { isImage, openMaterial } = require('../../utils/upload');
const { go } = require('../../utils/nav');
const { confirm, toast } = require('../../utils/wxp');

function view(m) {
  return {
    id: m.id,
    name: m.name,
    meta: [fileSize(m.size), formatDateTime(m.created_at)].filter(Boolean).join(' · '),
    image: isImage(m),
    thumb: '',
    raw: m,
  };
}

Component({
  behaviors: [page, list],
  methods: {
    onShow() {
      return this.reload().then(() => this.loadThumbnails());
    },
    fetchPage(cursor) {
      return services.api.materials.list({ limit: 20, cursor: cursor || undefined });
    },
    mapItem: view,
    onReachBottom() {
      return this.loadMore().then(() => this.loadThumbnails());
    },

    /** Image thumbnails need the Authorization header, so they are downloaded one by one. */
    async loadThumbnails() {
      for (let i = 0; i < this.data.items.length; i += 1) {
        const it = this.data.items[i];
        if (it.image && !it.thumb) {
          try {
            const variant = it.raw.has_thumbnail ? 'thumbnail' : undefined;
            const path = await services.api.materials.download(it.id, variant);
            if (this.data.items[i] && this.data.items[i].id === it.id) this.setData({ [`items[${i}].thumb`]: path });
          } catch (e) {
            // keep the icon
          }
        }
      }
    },

    onView(e) {
      const it = this.data.items[Number(e.currentTarget.dataset.index)];
      if (it) openMaterial(services.api, it.raw).catch(() => toast('无法打开该材料'));
    },
    async onDelete(e) {
      const index = Number(e.currentTarget.dataset.index);
      const it = this.data.items[index];
      if (!it || !(await confirm(`确定删除“${it.name}”吗？已提交的办件不受影响。`))) return;
      try {
        await services.api.materials.remove(it.id);
        const items = this.data.items.slice();
        items.splice(index, 1);
        this.setData({ items });
        toast('已删除', 'success');
      } catch (err) {
        // shown by the request layer
      }
    },
    onUpload() {
      go('/pages/material-upload/index');
    },
  },
});
