// The branding page's sample: each colour picker and its #rrggbb field follow each other, and the
// sample and the contrast figures follow both, with the WCAG 2.1 ratio the server checks on save.
'use strict';
(() => {
  const sample = document.getElementById('brand-sample'), readout = document.getElementById('contrast-readout');
  if (!sample) return;
  const ink = '#17202b', white = '#ffffff';
  const parse = text => /^#[0-9a-f]{6}$/i.test((text || '').trim()) ? text.trim().toLowerCase() : null;
  const luminance = hex => [1, 3, 5].map(i => parseInt(hex.slice(i, i + 2), 16) / 255)
    .map(c => c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4))
    .reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
  const contrast = (a, b) => { const [x, y] = [luminance(a), luminance(b)].sort((m, n) => n - m); return (x + 0.05) / (y + 0.05); };
  const shown = r => (r < 4.5 ? Math.min(Math.round(r * 100) / 100, 4.49) : Math.round(r * 100) / 100).toFixed(2).replace('.', readout.dataset.decimal || '.');
  const code = key => document.getElementById(`${key}-code`), picker = key => document.getElementById(`${key}-picker`);
  const current = { primary: parse(code('primary').value) || picker('primary').value, background: parse(code('background').value) || picker('background').value };
  const update = () => {
    const onBrand = contrast(current.primary, white) >= contrast(current.primary, ink) ? white : ink;
    sample.style.setProperty('--sample-brand', current.primary);
    sample.style.setProperty('--sample-on-brand', onBrand);
    sample.style.setProperty('--sample-bg', current.background);
    readout.textContent = readout.dataset.template
      .replace('{0}', shown(contrast(current.primary, onBrand))).replace('{1}', shown(contrast(current.background, ink)));
  };
  for (const key of ['primary', 'background']) {
    picker(key).addEventListener('input', () => { code(key).value = picker(key).value; current[key] = picker(key).value; update(); });
    code(key).addEventListener('input', () => { const hex = parse(code(key).value); if (hex) { picker(key).value = hex; current[key] = hex; update(); } });
  }
})();
