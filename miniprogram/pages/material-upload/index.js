/**
 * 新增材料 (manual §3.3.5.1): 上传图片 (camera icon → choose a picture) or 上传文件 (choose a
 * file from a WeChat chat), uploaded to 我的材料 with progress.
 */
const page = require('../../behaviors/page');
const services = require('../../services/index');
const { SOURCES, chooseFile, uploadMaterial } = require('../../utils/upload');
const { back } = require('../../utils/nav');
const { toast } = require('../../utils/wxp');

Component({
  behaviors: [page],
  data: { source: 'image', sources: SOURCES, name: '', uploading: false, progress: 0 },
  methods: {
    onSource(e) {
      this.setData({ source: e.detail.value });
    },
    onName(e) {
      this.setData({ name: e.detail.value });
    },
    async onChoose() {
      if (this.data.uploading) return null;
      let file;
      try {
        file = await chooseFile(this.data.source);
      } catch (e) {
        toast('选择文件失败');
        return null;
      }
      if (!file) return null;
      this.setData({ uploading: true, progress: 0 });
      try {
        const material = await uploadMaterial(services.api, file, this.data.name.trim(), (p) => this.setData({ progress: p.progress }));
        toast('上传成功', 'success');
        back();
        return material;
      } catch (err) {
        return null;
      } finally {
        this.setData({ uploading: false });
      }
    },
  },
});
