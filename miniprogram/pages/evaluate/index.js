/**
 * 好差评 of a finished application: 非常满意 / 满意 / 基本满意 / 不满意 / 非常不满意, optional
 * tags and comment; 不满意 and 非常不满意 need a comment (POST /applications/{id}/evaluation).
 */
const page = require('../../behaviors/page');
const services = require('../../services/index');
const { ratingLabel } = require('../../utils/format');
const { RATE_TEXTS, needsComment, tagsFor, checkEvaluation } = require('../../utils/evaluation');
const { bodyErrors } = require('../../utils/validators');
const { toast } = require('../../utils/wxp');

Component({
  behaviors: [page],
  data: {
    itemName: '',
    rating: 0,
    ratingText: '',
    texts: RATE_TEXTS,
    tags: [],
    chosen: [],
    comment: '',
    commentRequired: false,
    error: '',
    busy: false,
  },
  methods: {
    onLoad(query) {
      const q = query || {};
      this.id = decodeURIComponent(q.id || '');
      this.setData({ itemName: decodeURIComponent(q.name || '') });
    },
    onRate(e) {
      const rating = Number(e.detail.value);
      const sameKind = needsComment(rating) === needsComment(this.data.rating);
      const chosen = sameKind ? this.data.chosen : [];
      this.setData({
        rating,
        ratingText: ratingLabel(rating),
        tags: tagsFor(rating).map((label) => ({ label, on: chosen.indexOf(label) >= 0 })),
        chosen,
        commentRequired: needsComment(rating),
        error: '',
      });
    },
    onTag(e) {
      const tag = e.currentTarget.dataset.tag;
      const chosen = this.data.chosen.indexOf(tag) >= 0 ? this.data.chosen.filter((t) => t !== tag) : this.data.chosen.concat(tag);
      this.setData({ chosen, tags: this.data.tags.map((t) => ({ label: t.label, on: chosen.indexOf(t.label) >= 0 })) });
    },
    onComment(e) {
      this.setData({ comment: e.detail.value, error: '' });
    },
    async onSubmit() {
      const error = checkEvaluation(this.data.rating, this.data.comment);
      this.setData({ error: error || '' });
      if (error || this.data.busy) return;
      this.setData({ busy: true });
      try {
        const body = { rating: this.data.rating };
        if (this.data.chosen.length) body.tags = this.data.chosen;
        if (this.data.comment.trim()) body.comment = this.data.comment.trim();
        await services.api.applications.evaluate(this.id, body);
        toast('感谢您的评价', 'success');
        wx.redirectTo({ url: '/pages/evaluations/index' });
      } catch (err) {
        if (err && err.status === 422) {
          const f = bodyErrors(err);
          this.setData({ error: f.comment || f.rating || f.tags || err.title });
        }
      } finally {
        this.setData({ busy: false });
      }
    },
  },
});
