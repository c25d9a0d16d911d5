/**
 * Copies text. navigator.clipboard only exists on secure origins (https or localhost); a homelab console
 * is often opened over plain http on the LAN, so fall back to a selected, off-screen textarea.
 */
export async function copyText(text: string): Promise<void> {
  if (window.isSecureContext && navigator.clipboard?.writeText) {
    await navigator.clipboard.writeText(text);
    return;
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.top = '-1000px';
  area.style.opacity = '0';
  const active = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  // Inside a modal <dialog> only the dialog is focusable, so put the textarea there.
  const host = active?.closest('dialog') ?? document.body;
  host.appendChild(area);
  area.select();
  const ok = document.execCommand('copy');
  area.remove();
  active?.focus();
  if (!ok) throw new Error('The browser refused to copy; select the text and copy it by hand.');
}
