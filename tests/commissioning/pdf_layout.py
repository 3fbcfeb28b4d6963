"""Reading a rendered PDF back with its text positions (poppler's ``pdftotext -bbox-layout``).

Used to check the layout a reader sees: that no heading is left alone at the foot of a page.
"""

import re
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from tests.services import unavailable

NS = "{http://www.w3.org/1999/xhtml}"
MM = 72 / 25.4


@dataclass
class Line:
    text: str
    top: float
    bottom: float


@dataclass
class Page:
    number: int
    width: float
    height: float
    lines: list[Line]
    words: list[str] = field(default_factory=list)  # every word on the page (poppler reads none off its edges)

    def body(self, top_margin_mm=24, bottom_margin_mm=20):
        """The lines inside the page's margins (the running header and the page number left out)."""
        top, bottom = top_margin_mm * MM - 2, self.height - bottom_margin_mm * MM + 2
        return [line for line in self.lines if line.top >= top and line.bottom <= bottom]


def require_pdftotext():
    path = shutil.which("pdftotext")
    if path is None:
        unavailable("pdftotext is needed: apt-get install poppler-utils")
    return path


def read_pages(data: bytes) -> list[Page]:
    executable = require_pdftotext()
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "doc.pdf"
        source.write_bytes(data)
        target = Path(tmp) / "doc.html"
        subprocess.run([executable, "-bbox-layout", str(source), str(target)], check=True, timeout=120)
        root = ET.parse(target).getroot()  # noqa: S314 - poppler's own output for our own PDF
    pages = []
    for number, page in enumerate(root.iter(f"{NS}page"), start=1):
        lines, all_words = [], []
        for line in page.iter(f"{NS}line"):
            words = [w.text or "" for w in line.iter(f"{NS}word")]
            all_words.extend(words)
            lines.append(Line(" ".join(words), float(line.get("yMin")), float(line.get("yMax"))))
        lines.sort(key=lambda x: (x.top, x.bottom))
        pages.append(Page(number, float(page.get("width")), float(page.get("height")), lines, all_words))
    return pages


def squash(text):
    return re.sub(r"\s+", "", text).casefold()


def headings_alone_at_the_foot(pages, headings):
    """Pages whose last line of body text is (part of) a heading: the heading is stranded from its text."""
    known = [squash(h) for h in headings if h]
    stranded = []
    for page in pages[:-1]:  # the last page of a document may end where it likes
        body = page.body()
        if not body:
            continue
        # The last one, two or three lines (a heading may wrap) are exactly a heading.
        for n in (1, 2, 3):
            tail = squash(" ".join(line.text for line in body[-n:]))
            if len(body) >= n and tail in known:
                stranded.append((page.number, " ".join(line.text for line in body[-n:])))
                break
    return stranded
