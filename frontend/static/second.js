'use strict';
// The second rating (一次一评, then 整改后再评): a 差评 the hall followed up
// and rectified may be rated once more by its applicant, from the link the
// manager gives at the call-back (/r/{token}). The hall says whether it can
// still be rated, by when, and what was done; a level at or below the
// hall's 差评 needs a reason, as at the evaluator.
HF.start(async function () {
  var $ = function (id) { return document.getElementById(id); };
  var token = decodeURIComponent(location.pathname.split('/').pop());
  var v = null, level = 0, picker = null;
  window.__hf.second = function () { return v; };

  function render() {
    $('second').hidden = !v;
    if (!v) return;
    $('s-about').textContent = v.case ? HF.t('second.about.case', v.number, v.window, v.case) : HF.t('second.about', v.number, v.window);
    $('s-outcome').textContent = v.outcome ? HF.t('second.outcome', v.outcome) : '';
    $('s-ask').hidden = !v.can_rate;
    $('s-done').textContent = v.level ? HF.t('second.done', v.level) : v.can_rate ? HF.t('second.by', v.by) : HF.t('second.closed');
    HF.levelButtons($('levels'), v.choices.levels, pick);
    $('why').hidden = !(level && level <= v.choices.bad_rating);
  }

  async function send(body) {
    try {
      v = await HF.api('POST', '/api/v1/second-ratings/' + encodeURIComponent(token), body, { key: HF.key() });
      HF.showError($('error'), null);
    } catch (e) {
      HF.showError($('error'), e);
    }
    level = 0;
    render();
  }

  function pick(l) {
    if (l <= v.choices.bad_rating) {
      level = l;
      picker = HF.reasonPicker($('reasons'), $('other'), v.choices.reasons);
      render();
      return;
    }
    send({ level: l });
  }
  $('send').addEventListener('click', function () { if (level) send({ level: level, reason: picker ? picker.value() : '' }); });
  HF.onLang(render);

  try {
    v = await HF.api('GET', '/api/v1/second-ratings/' + encodeURIComponent(token));
  } catch (e) {
    HF.showError($('error'), e);
  }
  render();
});
