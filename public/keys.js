// Keyboard shortcuts of the desk (every signed-in page): j/k move through a
// list, Enter opens, / searches, ? shows the shortcuts, a/d approve or deny
// on an approval (the note box is focused first; Enter then decides, Esc
// backs out). Nothing fires while typing in a field, or with a modifier.
(function () {
  'use strict';
  var intent = null; // 'approve' | 'deny' while the note box waits for Enter

  function typing(el) {
    if (!el) return false;
    var tag = el.tagName;
    return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || el.isContentEditable;
  }

  function items() {
    return Array.prototype.slice.call(document.querySelectorAll('ul.queue > li > a'));
  }

  function move(step) {
    var list = items();
    if (!list.length) return;
    var at = list.indexOf(document.activeElement);
    var next = at < 0 ? (step > 0 ? 0 : list.length - 1) : Math.min(list.length - 1, Math.max(0, at + step));
    list[next].focus();
    list[next].scrollIntoView({ block: 'nearest' });
  }

  function setIntent(which) {
    var note = document.getElementById('note');
    var button = document.querySelector('[data-shortcut="' + which + '"]');
    // offsetParent is null for a button not shown (the approval is decided).
    if (!note || !button || button.disabled || button.offsetParent === null) return false;
    clearIntent();
    intent = which;
    button.classList.add('armed');
    var hint = document.getElementById('decide-hint');
    if (hint) hint.textContent = (which === 'approve' ? 'Enter approves' : 'Enter denies') + ' · Esc backs out';
    note.focus();
    return true;
  }

  function clearIntent() {
    intent = null;
    var armed = document.querySelectorAll('.armed');
    for (var i = 0; i < armed.length; i++) armed[i].classList.remove('armed');
    var hint = document.getElementById('decide-hint');
    if (hint) hint.textContent = '';
  }

  function help() {
    var d = document.getElementById('shortcuts');
    if (!d) return;
    if (d.open) d.close(); else d.showModal();
  }

  document.addEventListener('keydown', function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;
    var el = document.activeElement;
    // In the note box after a or d: Enter decides, Esc backs out.
    if (intent && el && el.id === 'note') {
      if (e.key === 'Enter' && !e.shiftKey) {
        e.preventDefault();
        var b = document.querySelector('[data-shortcut="' + intent + '"]');
        clearIntent();
        if (b && !b.disabled) b.click();
      } else if (e.key === 'Escape') {
        clearIntent();
        el.blur();
      }
      return;
    }
    if (typing(el)) return;
    switch (e.key) {
      case 'j': move(1); break;
      case 'k': move(-1); break;
      case '/': {
        var s = document.querySelector('[data-shortcut="search"]');
        if (s) { s.focus(); s.select(); } else { location.href = '/history'; }
        break;
      }
      case '?': help(); break;
      case 'a': if (!setIntent('approve')) return; break;
      case 'd': if (!setIntent('deny')) return; break;
      default: return;
    }
    e.preventDefault();
  });
})();
