// What the 数据维护 screens share: a draft file loaded with its states, and errors said plainly.
import { ref } from 'vue';
import { upkeep } from '../../api/upkeep';

/** A failure as the screen shows it: a refusal of the role is said to be one. */
export function failureText(failure) {
  if (failure && failure.status === 403) return `无权访问（403）：${failure.message}`;
  return (failure && failure.message) || '操作失败，请稍后重试';
}

/** One file of the draft: its records (file order), key field, label; loading and error. */
export function useDraftFile(name) {
  const records = ref([]);
  const key = ref('');
  const label = ref('');
  const loading = ref(false);
  const error = ref('');
  const loaded = ref(false);

  let latest = 0;

  async function reload() {
    const asked = (latest += 1); // a slower answer for a file no longer shown is dropped
    loading.value = true;
    error.value = '';
    try {
      const file = await upkeep.records(typeof name === 'function' ? name() : name);
      if (asked !== latest) return;
      records.value = file.records;
      key.value = file.key;
      label.value = file.label;
      loaded.value = true;
    } catch (failure) {
      if (asked === latest) error.value = failureText(failure);
    } finally {
      if (asked === latest) loading.value = false;
    }
  }

  return { records, key, label, loading, error, loaded, reload };
}

/** A multi-line text field's lines (blank ones dropped), and back. */
export const toLines = (text) =>
  String(text || '')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
export const fromLines = (list) => (Array.isArray(list) ? list.join('\n') : list || '');

/** An empty text field stored as null, as the files hold it. */
export const orNull = (text) => {
  const trimmed = String(text ?? '').trim();
  return trimmed ? trimmed : null;
};
