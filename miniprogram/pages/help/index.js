/**
 * 帮助指引 (manual §3.3.7): the help articles by category (GET /help/articles).
 */
const page = require('../../behaviors/page');
const list = require('../../behaviors/list');
const services = require('../../services/index');
const { go } = require('../../utils/nav');

/** Articles grouped by category, in the order they come: [{category, articles}]. */
function groupByCategory(articles) {
  const groups = [];
  articles.forEach((a) => {
    let g = groups.find((x) => x.category === a.category);
    if (!g) {
      g = { category: a.category || '其他', articles: [] };
      groups.push(g);
    }
    g.articles.push(a);
  });
  return groups;
}

Component({
  behaviors: [page, list],
  data: { groups: [] },
  observers: {
    items(items) {
      this.setData({ groups: groupByCategory(items) });
    },
  },
  methods: {
    onLoad() {
      return this.reload();
    },
    fetchPage(cursor) {
      return services.api.help.list({ limit: 50, cursor: cursor || undefined });
    },
    onArticle(e) {
      go(`/pages/help-article/index?id=${encodeURIComponent(e.currentTarget.dataset.id)}`);
    },
  },
});
