/**
 * One help article (GET /help/articles/{id}); its simple Markdown is rendered as escaped HTML.
 */
const page = require('../../behaviors/page');
const services = require('../../services/index');
const { toHtml } = require('../../utils/markdown');

Component({
  behaviors: [page],
  data: { article: null, html: '' },
  methods: {
    async onLoad(query) {
      try {
        const article = await services.api.help.get(decodeURIComponent((query && query.id) || ''));
        this.setData({ article, html: toHtml(article.body) });
        wx.setNavigationBarTitle({ title: article.title });
      } catch (e) {
        // shown by the request layer
      }
    },
  },
});
