// A staff list paged by the API's keyset cursors: the rows of this page, 上一页 / 下一页 and
// 第 N 页, for every list screen alike. Rows are one Tab stop each; Enter opens the focused one.
import { ref } from 'vue';

/** `fetchPage(cursor)` asks the API for one page ({ items, next_cursor }). */
export function useCursorPages(fetchPage) {
  const rows = ref([]);
  const loading = ref(false);
  const error = ref('');
  const cursors = ref([null]); // the cursor of each page shown so far; the last is this page's
  const nextCursor = ref(null);
  // Filters can change again before the previous answer arrives; answers may come back in any
  // order, so only the latest request's answer is shown (an earlier one would show the old list).
  let latest = 0;

  async function load(cursor) {
    const asked = ++latest;
    loading.value = true;
    error.value = '';
    try {
      const page = await fetchPage(cursor);
      if (asked !== latest) return false;
      rows.value = page.items;
      nextCursor.value = page.next_cursor || null;
      return true;
    } catch (failure) {
      if (asked !== latest) return false;
      error.value = failure.message;
      rows.value = [];
      nextCursor.value = null;
      return false;
    } finally {
      if (asked === latest) loading.value = false;
    }
  }

  /** From the first page again (filters changed). */
  function reload() {
    cursors.value = [null];
    return load(null);
  }

  async function next() {
    if (await load(nextCursor.value)) cursors.value.push(nextCursor.value);
  }

  async function previous() {
    const earlier = cursors.value.slice(0, -1);
    if (await load(earlier[earlier.length - 1])) cursors.value = earlier;
  }

  return { rows, loading, error, cursors, nextCursor, reload, next, previous };
}

/** Table props that make each row one Tab stop which Enter opens with `open(id)` (its link and
 *  button repeat what Enter does, so they stay out of the Tab order). */
export function keyboardRows(open) {
  return {
    rowAttributes: ({ row, type }) => (type === 'body' ? { tabindex: 0, 'data-row-id': row.id } : {}),
    openFocused(event) {
      const row = event.target.closest && event.target.closest('tr[data-row-id]');
      if (row && row === event.target) open(row.dataset.rowId);
    },
  };
}
