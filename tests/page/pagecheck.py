#!/usr/bin/env python3
# pagecheck.py - what tests/page/*.sh check of a report as a person sees
# it, with python3's standard library only:
#
#   pagecheck.py html REPORT.html SENTENCE   the page's first text is
#       SENTENCE; the sections are there, in order; no script, no external
#       asset (src, link, @import, url(http...)); ids unique and every
#       reference (#id, url(#id)) resolves in the page
#   pagecheck.py svg REPORT.svg SENTENCE     well-formed XML; its first
#       <text> is SENTENCE; no external reference; ids unique
#   pagecheck.py png SHOT.png W H RRGGBB Y0 Y1   a PNG of W x H pixels
#       with pixels near colour RRGGBB between rows Y0 and Y1 (the
#       sentence, in its colour, at the top of the page)
#
# Prints nothing and exits 0 when all holds; else one line per problem
# and exits 1.
import re
import struct
import sys
import zlib
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

SECTIONS = ["cause", "capture", "anomalies", "latency", "why"]


class Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []
        self.texts = []         # (text, inside body)
        self.ids = []
        self.refs = []
        self.problems = []
        self.in_body = False
        self.skip = 0           # inside <style>/<title>

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "body":
            self.in_body = True
        if tag in ("style", "title"):
            self.skip += 1
        if tag in ("script", "link", "iframe", "object", "embed", "img"):
            self.problems.append("a <%s> element" % tag)
        for k, v in attrs:
            if v is None:
                continue
            if k == "id":
                self.ids.append(v)
            if k in ("src", "srcset", "action"):
                self.problems.append("%s=%r on <%s>" % (k, v, tag))
            if k.endswith("href"):
                if v.startswith("#"):
                    self.refs.append(v[1:])
                else:
                    self.problems.append("%s=%r on <%s>" % (k, v, tag))
            if k.startswith("on"):
                self.problems.append("an event handler %s" % k)
            for m in re.finditer(r"url\(\s*['\"]?([^)'\"]*)", v):
                self.url(m.group(1))

    def url(self, u):
        if u.startswith("#"):
            self.refs.append(u[1:])
        else:
            self.problems.append("url(%s)" % u)

    def handle_endtag(self, tag):
        if tag in ("style", "title"):
            self.skip -= 1

    def handle_data(self, data):
        if self.skip and "@import" in data:
            self.problems.append("@import in a style")
        if self.skip:
            for m in re.finditer(r"url\(\s*['\"]?([^)'\"]*)", data):
                self.url(m.group(1))
            return
        if self.in_body and data.strip():
            self.texts.append(data.strip())


def common(ids, refs, problems):
    seen = set()
    for i in ids:
        if i in seen:
            problems.append("id %r twice" % i)
        seen.add(i)
    for r in set(refs):
        if r not in seen:
            problems.append("a reference to #%s that no id holds" % r)


def check_html(path, sentence):
    text = open(path, encoding="utf-8").read()
    p = Page()
    p.feed(text)
    p.close()
    if not p.texts:
        p.problems.append("no text in the body")
    elif p.texts[0] != sentence:
        p.problems.append("the first text is %r, not %r" % (p.texts[0], sentence))
    at = -1
    for s in SECTIONS:
        m = re.search(r'<(?:h1|section) id="%s"' % s, text)
        if not m:
            p.problems.append("no section %r" % s)
        elif m.start() < at:
            p.problems.append("section %r out of order" % s)
        else:
            at = m.start()
    common(p.ids, p.refs, p.problems)
    return p.problems


def check_svg(path, sentence):
    problems = []
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        return ["not well-formed: %s" % e]
    ns = "{http://www.w3.org/2000/svg}"
    xl = "{http://www.w3.org/1999/xlink}href"
    texts = [t for t in root.iter(ns + "text")]
    first = "".join(texts[0].itertext()) if texts else None
    if first != sentence:
        problems.append("the first <text> is %r, not %r" % (first, sentence))
    ids, refs = [], []
    for e in root.iter():
        for k, v in e.attrib.items():
            if k == "id":
                ids.append(v)
            if k in (xl, "href"):
                if v.startswith("#"):
                    refs.append(v[1:])
                else:
                    problems.append("%s=%r" % (k, v))
            for m in re.finditer(r"url\(#([^)]*)\)", v):
                refs.append(m.group(1))
    common(ids, refs, problems)
    return problems


def png_pixels(path, upto):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, lace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or ctype not in (2, 6) or lace:
                raise ValueError("PNG of depth %d type %d interlace %d" %
                                 (depth, ctype, lace))
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(min(h, upto)):
        f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b, c = prev[x], prev[x - bpp] if x >= bpp else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                pr = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[x] = (line[x] + pr) & 255
        rows.append(line)
        prev = line
    return w, h, bpp, rows


def check_png(path, w, h, color, y0, y1):
    try:
        pw, ph, bpp, rows = png_pixels(path, y1)
    except (ValueError, zlib.error, struct.error) as e:
        return ["%s: %s" % (path, e)]
    if (pw, ph) != (w, h):
        return ["%dx%d pixels, not %dx%d" % (pw, ph, w, h)]
    want = [int(color[i:i + 2], 16) for i in (0, 2, 4)]
    hits = 0
    for y in range(y0, min(y1, len(rows))):
        r = rows[y]
        for x in range(0, pw * bpp, bpp):
            if all(abs(r[x + k] - want[k]) < 40 for k in range(3)):
                hits += 1
    if hits < 50:
        return ["only %d pixels of #%s between rows %d and %d: the sentence "
                "is not at the top" % (hits, color, y0, y1)]
    return []


def main(argv):
    if len(argv) >= 4 and argv[1] == "html":
        problems = check_html(argv[2], argv[3])
    elif len(argv) >= 4 and argv[1] == "svg":
        problems = check_svg(argv[2], argv[3])
    elif len(argv) == 8 and argv[1] == "png":
        problems = check_png(argv[2], int(argv[3]), int(argv[4]), argv[5],
                             int(argv[6]), int(argv[7]))
    else:
        print("usage: pagecheck.py html|svg|png ...")
        return 2
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
