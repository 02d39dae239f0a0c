const { load, text } = require('../helpers/simulate');

describe('status-tag', () => {
  test('shows the zh-CN label of a state', () => {
    const comp = load('components/status-tag/index', { status: 'submitted' });
    expect(text(comp)).toBe('待受理');
    expect(comp.instance.data.theme).toBe('warning');
  });

  test('prefers the server label', () => {
    const comp = load('components/status-tag/index', { status: 'approved', label: '已办结（准予许可）' });
    expect(text(comp)).toBe('已办结（准予许可）');
  });
});
