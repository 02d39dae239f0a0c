/**
 * 补正 item by item: the open request of an application that is 待补正
 * (ApplicationRead.supplement_request: {comment, items: [{target, key, label, reason}]}) as the
 * pages show it. The detail page lists every item with its reason; the edit page lists them with
 * the step each is on and marks those material slots and form fields.
 */
const KIND_LABELS = { material: '材料', field: '表单' };

/** Where an item is filled in: the index of the step holding the field or slot, or -1. */
function stepOf(steps, item) {
  return (steps || []).findIndex((s) => (item.target === 'field'
    ? (s.fields || []).some((f) => f.key === item.key)
    : (s.slots || []).some((slot) => slot.slot === item.key)));
}

/** The request for display, or null when there is none; with `steps`, each item's step. */
function supplementView(request, steps) {
  if (!request || !request.items || !request.items.length) return null;
  return {
    comment: request.comment || '',
    number: request.number,
    items: request.items.map((item, index) => {
      const step = steps ? stepOf(steps, item) : -1;
      return {
        id: `${item.target}:${item.key || index}`,
        target: item.target,
        key: item.key,
        kindLabel: KIND_LABELS[item.target] || '材料',
        label: item.label,
        reason: item.reason,
        step,
        stepTitle: step >= 0 ? `第 ${step + 1} 步：${steps[step].title}` : '',
      };
    }),
  };
}

/**
 * The marks on the edit page, in the shape of its error maps: {errors: {field: text},
 * slotErrors: {slot: text}}. A mark goes away once the applicant changes that field or material.
 */
function supplementMarks(request) {
  const marks = { errors: {}, slotErrors: {} };
  ((request && request.items) || []).forEach((item) => {
    if (!item.key) return;
    const text = `需补正：${item.reason}`;
    if (item.target === 'field') marks.errors[item.key] = text;
    else marks.slotErrors[item.key] = text;
  });
  return marks;
}

module.exports = { supplementView, supplementMarks, stepOf };
