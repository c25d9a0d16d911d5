// Runs before the console's bundle so the first paint already has the right colour scheme.
// Preference is stored by the console under "pc-theme": "light" | "dark" | "system" (default).
(() => {
  let pref = 'system';
  try {
    pref = localStorage.getItem('pc-theme') || 'system';
  } catch {}
  const dark = pref === 'dark' || (pref !== 'light' && matchMedia('(prefers-color-scheme: dark)').matches);
  document.documentElement.classList.toggle('dark', dark);
  document.documentElement.style.colorScheme = dark ? 'dark' : 'light';
})();
