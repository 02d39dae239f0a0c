/**
 * The one form renderer: renders one field descriptor (utils/schema-form.describe) and, for
 * objects and arrays of objects, its children through itself. Emits `change` with
 * {path, value} (dotted path from the form root); the page keeps the form value.
 * Server and client errors come in `errors` (dotted path → zh-CN message).
 */
const { splitDateTime, toOffsetDateTime } = require('../../utils/format');
const reference = require('../../utils/reference');
const handoff = require('../../utils/handoff');
const { go } = require('../../utils/nav');
const services = require('../../services/index');

function today() {
  const d = new Date(Date.now() + 8 * 3600 * 1000);
  return d.toISOString().slice(0, 10);
}

Component({
  options: { addGlobalClass: true },
  properties: {
    field: { type: Object, value: {} },
    path: { type: String, value: '' },
    value: { type: null, value: null },
    // The value of the field's hand-entered alternative (field.other, e.g. supplier_other).
    otherValue: { type: null, value: null },
    errors: { type: Object, value: {} },
    disabled: { type: Boolean, value: false },
  },
  data: {
    error: '',
    domId: '',
    selectIndex: -1,
    date: '',
    time: '',
    text: '',
    display: '',
    displayList: [],
    checked: [],
    rows: [],
    otherPath: '',
    otherChosen: false,
  },
  observers: {
    'field, value, otherValue, errors, path': function refresh() {
      this.refresh();
    },
  },
  methods: {
    refresh() {
      const { field, value, errors, path } = this.data;
      const patch = {
        error: (errors && errors[path]) || '',
        domId: `ff-${String(path).replace(/[^\w-]/g, '-')}`,
      };
      switch (field.widget) {
        case 'select':
          patch.selectIndex = (field.options || []).indexOf(value);
          break;
        case 'datetime':
          Object.assign(patch, splitDateTime(value));
          break;
        case 'number':
        case 'integer':
          patch.text = value === undefined || value === null ? '' : String(value);
          break;
        case 'multiselect':
          patch.checked = Array.isArray(value) ? value : [];
          break;
        case 'array':
        case 'list':
          patch.rows = Array.isArray(value) ? value : [];
          break;
        case 'reference':
          this.updateDisplay(field, value);
          if (field.other) {
            patch.otherPath = String(path).split('.').slice(0, -1).concat(field.other.key).join('.');
            patch.otherChosen = Boolean(this.data.otherValue && typeof this.data.otherValue === 'object') && !value;
          }
          break;
        default:
      }
      this.setData(patch);
    },

    updateDisplay(field, value) {
      const codes = field.multiple ? (Array.isArray(value) ? value : []) : value ? [value] : [];
      Promise.all(codes.map((c) => reference.lookupDisplay(services.api, field.kind, c))).then((labels) => {
        if (this.data.value !== value) return; // changed meanwhile
        this.setData({ displayList: labels, display: labels.join('、') });
      });
    },

    emit(value, path) {
      this.triggerEvent('change', { path: path === undefined ? this.data.path : path, value });
    },

    onInput(e) {
      this.emit(e.detail.value);
    },
    onNumberInput(e) {
      const raw = String(e.detail.value === undefined || e.detail.value === null ? '' : e.detail.value).trim();
      if (raw === '') this.emit(undefined);
      else if (/^-?\d+(\.\d+)?$/.test(raw)) this.emit(Number(raw));
      else this.emit(raw); // kept as typed; validation says 请输入数字
    },
    onSelect(e) {
      this.emit(this.data.field.options[Number(e.detail.value)]);
    },
    onDate(e) {
      this.emit(e.detail.value);
    },
    onDateTimeDate(e) {
      this.emit(toOffsetDateTime(e.detail.value, this.data.time || '00:00'));
    },
    onDateTimeTime(e) {
      this.emit(toOffsetDateTime(this.data.date || today(), e.detail.value));
    },
    onMulti(e) {
      this.emit(e.detail.value);
    },
    onSwitch(e) {
      this.emit(Boolean(e.detail.value));
    },
    onChildChange(e) {
      this.triggerEvent('change', e.detail);
    },
    onAddRow() {
      const rows = this.data.rows.slice();
      rows.push(this.data.field.widget === 'list' ? '' : {});
      this.emit(rows);
    },
    onRemoveRow(e) {
      const rows = this.data.rows.slice();
      rows.splice(Number(e.currentTarget.dataset.index), 1);
      this.emit(rows.length ? rows : undefined);
    },
    onListInput(e) {
      const rows = this.data.rows.slice();
      rows[Number(e.currentTarget.dataset.index)] = e.detail.value;
      this.emit(rows);
    },
    onClear() {
      this.emit(undefined);
    },

    /** 请选择船舶 / 请选择供应商公司 / 港口 / 国家 / 规定项: opens the picker page. */
    onPick() {
      const { field, value, disabled } = this.data;
      if (disabled) return;
      const kind = field.widget === 'ship' ? 'ship' : field.kind;
      handoff.put('picker', {
        kind,
        multiple: Boolean(field.multiple),
        allowOther: Boolean(field.other),
        title: kind === 'ship' ? '选择船舶' : `选择${field.title}`,
        selected: field.multiple ? (Array.isArray(value) ? value : []) : value ? [value] : [],
        onSelect: (entries) => {
          if (!entries || !entries.length) return;
          if (kind === 'ship') {
            this.emit(reference.pickShip(entries[0], field.shipKeys));
            return;
          }
          if (field.other) {
            // 其他（手动填写）: the hand-entered object replaces the picked code, and back.
            const other = entries[0] && entries[0].other;
            this.emit(other ? undefined : reference.codeOf(entries[0]));
            this.emit(other ? Object.assign({}, this.data.otherValue || {}) : undefined, this.data.otherPath);
            if (!other) reference.remember(kind, entries[0]);
            return;
          }
          entries.forEach((entry) => reference.remember(kind, entry));
          const codes = entries.map(reference.codeOf);
          this.emit(field.multiple ? codes : codes[0]);
        },
      });
      go(`/pages/picker/index?kind=${kind}&multiple=${field.multiple ? 1 : 0}`);
    },
  },
});
