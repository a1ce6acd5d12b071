# report: the words of the HTML page over the corpus, in order (headings,
# paragraphs, the capture's table, the anomalies, captions), the pictures
# and why's answer (goldens of their own) left out; and the same capture
# twice gives the same bytes
outline() {
	python3 -c '
import sys
from html.parser import HTMLParser
class P(HTMLParser):
    keep = ("h1", "h2", "h3", "p", "li", "th", "td", "figcaption", "summary")
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tag, self.skip, self.buf = None, 0, ""
    def handle_starttag(self, t, a):
        if t in ("svg", "pre", "style", "title"): self.skip += 1
        if t in self.keep and not self.skip: self.flush(); self.tag = t
        if t == "br": self.buf += " | "
    def handle_endtag(self, t):
        if t in ("svg", "pre", "style", "title"): self.skip -= 1
        if t == self.tag: self.flush()
    def flush(self):
        if self.tag and self.buf.strip():
            print("%-10s %s" % (self.tag, " ".join(self.buf.split())))
        self.tag, self.buf = None, ""
    def handle_data(self, d):
        if self.tag and not self.skip: self.buf += d
P().feed(open(sys.argv[1]).read())
' "$1"
}
S=corpus/scenarios
{
$KTRAIL report $S/fsync_pipeline.ktr -o $KT_TMP/a.html --pid $(sed -n 's/^front=//p' $S/fsync_pipeline.ids)
outline $KT_TMP/a.html
$KTRAIL report $S/fsync_pipeline.ktr -o $KT_TMP/b.html --pid $(sed -n 's/^front=//p' $S/fsync_pipeline.ids) >/dev/null
cmp $KT_TMP/a.html $KT_TMP/b.html && echo "the same bytes twice"
$KTRAIL report corpus/synthetic/small.ktr -o $KT_TMP/s.html
outline $KT_TMP/s.html
$KTRAIL report $S/exit_kill.ktr -o $KT_TMP/x.html
outline $KT_TMP/x.html
$KTRAIL report $S/exit_kill.ktr -o $KT_TMP/e.svg >/dev/null
$KTRAIL report $S/exit_kill.ktr -o $KT_TMP/e2.svg >/dev/null
cmp $KT_TMP/e.svg $KT_TMP/e2.svg && echo "the same SVG bytes twice"
} | sed "s|$KT_TMP|TMP|g"
