import { h } from '../dom';

export interface ConfirmOptions {
  readonly title: string;
  readonly message: string;
  readonly confirmLabel: string;
  /** Styles the confirm button as destructive. */
  readonly danger?: boolean;
}

/**
 * Asks before an action, in a modal `<dialog>`: focus starts on Cancel, Escape cancels, and focus
 * returns to the button that opened it. Resolves true only when the user confirms.
 */
export function confirmAction(options: ConfirmOptions): Promise<boolean> {
  const opener = document.activeElement as HTMLElement | null;
  return new Promise((resolve) => {
    const cancel = h('button', { type: 'button', class: 'button', value: 'cancel' }, 'Cancel');
    const confirm = h('button', { type: 'submit', class: options.danger ? 'button danger' : 'button primary', value: 'confirm' }, options.confirmLabel);
    const dialog = h('dialog', { class: 'confirm', 'aria-labelledby': 'confirm-title', 'aria-describedby': 'confirm-message' },
      h('form', { method: 'dialog' },
        h('h2', { id: 'confirm-title' }, options.title),
        h('p', { id: 'confirm-message' }, options.message),
        h('div', { class: 'actions' }, cancel, confirm)));
    cancel.addEventListener('click', () => dialog.close('cancel'));
    dialog.addEventListener('close', () => {
      dialog.remove();
      opener?.focus();
      resolve(dialog.returnValue === 'confirm');
    });
    document.body.append(dialog);
    dialog.showModal();
    cancel.focus();
  });
}
