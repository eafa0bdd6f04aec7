"""HTML → PDF with WeasyPrint, in the administrative format of Decree 30/2020/NĐ-CP, Appendix I.

A4; Times New Roman (Liberation Serif on our servers: metric-compatible and covering Vietnamese,
`fc-match "Times New Roman"` → Liberation Serif); margins top and bottom 20 mm, left 30 mm,
right 15 mm; the page number centred at the top from page 2 on (stack.md §8).

Nothing is fetched from the network: the URL fetcher accepts `data:` URLs and files under this
package's own static folder, and refuses everything else (the resource is then left out).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher

STATIC_ROOT = Path(__file__).resolve().parent.parent / "static"

FONT_STACK = '"Times New Roman", "Liberation Serif", "Tinos", "Noto Serif", serif'

PAGE_CSS = f"""
@page {{
  size: A4;
  margin: 20mm 15mm 20mm 30mm;
  @top-center {{ content: counter(page); font-family: {FONT_STACK}; font-size: 13pt; }}
}}
@page :first {{
  @top-center {{ content: none; }}
}}
html {{ font-family: {FONT_STACK}; font-size: 13pt; color: #000; }}
"""


class LocalOnlyFetcher(URLFetcher):
    """Serves `data:` URLs and files under `roots`; any other URL (http, https, ftp, other files)
    raises, which WeasyPrint reports as a warning and skips."""

    def __init__(self, roots: tuple[Path, ...] = (STATIC_ROOT,)) -> None:
        super().__init__(allowed_protocols=("data", "file"), allow_redirects=False)
        self.roots = tuple(root.resolve() for root in roots)

    def fetch(self, url: str, headers=None):
        scheme = url.split(":", 1)[0].lower()
        if scheme == "file":
            path = Path(unquote(urlsplit(url).path)).resolve()
            if not any(path.is_relative_to(root) for root in self.roots):
                raise ValueError(f"Không đọc tệp ngoài thư mục cho phép: {url}")
        elif scheme != "data":
            raise ValueError(f"Không tải tài nguyên từ mạng khi tạo PDF: {url}")
        return super().fetch(url, headers)


def html_to_pdf(html: str) -> bytes:
    """The PDF of `html` (a complete document; its own <style> adds to the page format above)."""
    fetcher = LocalOnlyFetcher()
    document = HTML(string=html, base_url=STATIC_ROOT.as_uri() + "/", url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[CSS(string=PAGE_CSS, url_fetcher=fetcher)])
