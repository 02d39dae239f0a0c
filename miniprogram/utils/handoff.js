/**
 * Hands a value (or a callback) from one page to the page it opens, e.g. a query result to its
 * result page or the picker's selection back to the form field that opened it.
 */
const box = {};

module.exports = {
  put(key, value) {
    box[key] = value;
  },
  take(key) {
    const value = box[key];
    delete box[key];
    return value;
  },
  peek(key) {
    return box[key];
  },
};
