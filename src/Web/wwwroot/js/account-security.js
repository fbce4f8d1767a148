// Account security page: copy or print the recovery codes shown once after setting up two-factor sign-in.
(() => {
  const status = document.querySelector('[data-copy-status]');
  document.querySelectorAll('[data-copy]').forEach((button) => {
    button.addEventListener('click', async () => {
      const list = document.getElementById(button.dataset.copy);
      const text = Array.from(list.querySelectorAll('code'), (code) => code.textContent).join('\n');
      try {
        await navigator.clipboard.writeText(text);
        if (status) status.textContent = button.dataset.copied;
      } catch {
        const range = document.createRange();
        range.selectNodeContents(list);
        const selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
      }
    });
  });
  document.querySelectorAll('[data-print]').forEach((button) => button.addEventListener('click', () => window.print()));
})();
