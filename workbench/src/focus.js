// Keyboard use of dialogs: focus moves into a dialog when it opens (its first field, else its
// first button) and back to what opened it when it closes. TDesign's dialog closes on Esc but
// leaves the focus behind its overlay.
import { nextTick, watch } from 'vue';

// Fields first, then anything else that takes focus (a preview has only its buttons).
const FIELDS = 'textarea, input:not([type=hidden]):not([disabled])';
const OTHERS = '[tabindex="0"], button:not([disabled]), a[href]';

function firstVisible(dialog, selector) {
  return [...dialog.querySelectorAll(selector)].find((el) => el.offsetParent !== null);
}

export function useDialogFocus(isOpen, dialogClass) {
  let opener = null;
  watch(isOpen, async (open) => {
    if (open) {
      opener = document.activeElement;
      // The dialog renders on the next tick and fades in; try until it is there.
      for (let attempt = 0; attempt < 20; attempt += 1) {
        await nextTick();
        const dialog = document.querySelector(`.${dialogClass}`);
        const first = dialog && (firstVisible(dialog, FIELDS) || firstVisible(dialog, OTHERS));
        if (first) {
          first.focus();
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    } else if (opener && document.body.contains(opener)) {
      opener.focus();
      opener = null;
    }
  });
}

// TDesign's tabs answer only the mouse: each tab becomes a Tab stop that Enter or Space picks.
function keyboardTabs(el) {
  el.querySelectorAll('.t-tabs__nav-item').forEach((item) => {
    if (item.dataset.keyboard) return;
    item.dataset.keyboard = 'on';
    item.setAttribute('tabindex', '0');
    item.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        item.click();
      }
    });
  });
}

export const vKeyboardTabs = { mounted: keyboardTabs, updated: keyboardTabs };
