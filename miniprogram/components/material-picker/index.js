/**
 * One material slot of an online form (申请材料): choose from 我的材料 (a list of uploaded
 * materials) or 手机上传 (上传图片 / 上传文件 from a chat, uploaded to 我的材料 first, with
 * progress). Slots holding identity documents (`identity_document`) ask for the separate consent
 * first. Emits `change` with {slot, material|null}.
 */
const services = require('../../services/index');
const { SOURCES, chooseAndUpload, openMaterial } = require('../../utils/upload');
const { call, isCancel } = require('../../utils/wxp');
const { pageOf } = require('../../utils/format');

Component({
  options: { addGlobalClass: true },
  properties: {
    slotDef: { type: Object, value: {} },
    value: { type: null, value: null },
    error: { type: String, value: '' },
    disabled: { type: Boolean, value: false },
  },
  data: {
    popupVisible: false,
    materials: [],
    loading: false,
    uploading: false,
    progress: 0,
  },
  methods: {
    emit(material) {
      this.triggerEvent('change', { slot: this.data.slotDef.slot, material: material || null });
    },

    /** 我的材料: pick one of the materials uploaded before. */
    async onMine() {
      if (this.data.disabled) return;
      this.setData({ popupVisible: true, loading: true });
      try {
        const res = await services.api.materials.list({ limit: 100 });
        this.setData({ materials: pageOf(res).items });
      } catch (e) {
        this.setData({ popupVisible: false });
      } finally {
        this.setData({ loading: false });
      }
    },

    onPick(e) {
      const material = this.data.materials[Number(e.currentTarget.dataset.index)];
      this.setData({ popupVisible: false });
      if (material) this.emit(material);
    },

    onPopup(e) {
      this.setData({ popupVisible: Boolean(e.detail.visible) });
    },

    /** 手机上传: 上传图片 or 上传文件, then use the new material for this slot. */
    async onPhone() {
      if (this.data.disabled || this.data.uploading) return;
      let tapIndex;
      try {
        ({ tapIndex } = await call('showActionSheet', { itemList: SOURCES.map((s) => s.label) }));
      } catch (err) {
        if (!isCancel(err)) throw err;
        return;
      }
      await this.upload(SOURCES[tapIndex].value);
    },

    async upload(source) {
      this.setData({ uploading: true, progress: 0 });
      try {
        const material = await chooseAndUpload(services.api, source, {
          name: source === 'image' ? this.data.slotDef.name : undefined,
          identityDocument: Boolean(this.data.slotDef.identity_document),
          onProgress: (p) => this.setData({ progress: p.progress }),
        });
        if (material) this.emit(material);
      } catch (e) {
        // toast shown by the request layer
      } finally {
        this.setData({ uploading: false });
      }
    },

    onRemove() {
      this.emit(null);
    },

    onView() {
      if (this.data.value && this.data.value.id) openMaterial(services.api, this.data.value).catch(() => {});
    },
  },
});
