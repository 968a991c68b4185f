#!/usr/bin/env bash
# Checks a written report page in headless Chromium: it renders (a 1400x900 screenshot is taken), no image is
# broken, and the verdict line, the gate's result and the order matrix start on the first screen.
#   Reports/check-report-page.sh REPORT_DIR [SCREENSHOT.png]
# Exit 0 checked and fine; 1 a check failed; 77 skipped (no Chromium and not root to install it), with a note.
set -uo pipefail
dir=$(cd "${1:?usage: check-report-page.sh REPORT_DIR [SCREENSHOT.png]}" && pwd)
shot=${2:-$dir/../report-page.png}
browser=$(command -v chromium || command -v chromium-browser || true)
if [[ -z "$browser" && $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
  echo "installing Debian's chromium for the page check"
  # A fresh machine has no package lists yet: install fails until apt-get update has run once.
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null 2>&1; then
    apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null 2>&1
  fi
  browser=$(command -v chromium || true)
  [[ -z "$browser" ]] && echo "apt-get could not install chromium (after apt-get update)"
fi
if [[ -z "$browser" ]]; then
  echo "page check SKIPPED: no chromium, and it could not be installed here (needs root, apt-get and Debian's package); install Debian's chromium to run it"
  exit 77
fi
# The probe page sits beside report.html (same file origin), loads it in a 1400x900 frame, and writes its findings
# into its own DOM, which --dump-dom prints. It is Verified's test scaffolding, removed afterwards.
probe="$dir/.page-check-$$.html"
trap 'rm -f "$probe"' EXIT
cat > "$probe" <<'HTML'
<!DOCTYPE html><html><body style="margin:0"><iframe id="f" src="report.html" style="width:1400px;height:900px;border:0"></iframe>
<pre id="out">PAGE-CHECK pending</pre><script>
document.getElementById('f').onload = async () => {
  const d = document.getElementById('f').contentDocument;
  const srcs = [...d.images].map(i => i.getAttribute('src'));
  const results = await Promise.all(srcs.map(s => new Promise(r => { const im = new Image(); im.onload = () => r(im.naturalWidth > 0); im.onerror = () => r(false); im.src = s; })));
  const broken = srcs.filter((s, k) => !results[k]);
  const top = id => { const e = d.getElementById(id); return e ? Math.round(e.getBoundingClientRect().top) : -1; };
  document.getElementById('out').textContent = `PAGE-CHECK images=${srcs.length} broken=${broken.length} verdict=${top('verdict')} gate=${top('gate')} matrix=${top('matrix')}` + (broken.length ? ' first-broken=' + broken[0] : '');
};
</script></body></html>
HTML
flags=(--headless --no-sandbox --disable-gpu --hide-scrollbars --allow-file-access-from-files --virtual-time-budget=20000)
line=$(timeout 120 "$browser" "${flags[@]}" --dump-dom "file://$probe" 2>/dev/null | grep -o 'PAGE-CHECK[^<]*' | head -1)
timeout 120 "$browser" "${flags[@]}" --window-size=1400,900 --screenshot="$shot" "file://$dir/report.html" >/dev/null 2>&1
echo "${line:-PAGE-CHECK no result}; screenshot $shot"
[[ -s "$shot" ]] || { echo "page check FAILED: no screenshot"; exit 1; }
[[ "$line" =~ images=([0-9]+)\ broken=0\ verdict=([0-9]+)\ gate=([0-9]+)\ matrix=([0-9]+) ]] || { echo "page check FAILED: $line"; exit 1; }
for y in "${BASH_REMATCH[2]}" "${BASH_REMATCH[3]}" "${BASH_REMATCH[4]}"; do
  (( y < 900 )) || { echo "page check FAILED: the summary does not start on the first 1400x900 screen ($line)"; exit 1; }
done
(( BASH_REMATCH[1] > 0 )) || { echo "page check FAILED: no images"; exit 1; }
echo "page check passed"
