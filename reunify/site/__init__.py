"""The caseload as a static site: a page for the caseload, each case, the outcomes and
each family, written whole or not at all, opened from the file system with nothing
fetched from anywhere else (`reunify site`).

build.py (the whole site), gather.py (each case read once: its caseload row and its
page), pages.py (sandboxed Jinja templates, a caseload's own replacing the bundled
ones), charts.py (inline SVG), publish.py (a private folder renamed into place);
templates/ and assets/ (the pages, site.css and site.js).
"""
