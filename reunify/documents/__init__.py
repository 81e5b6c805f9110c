"""Word documents and the genogram, built from a case's records.

Importing this package is cheap; the document stack (docxtpl, python-docx, Pillow) is
imported only when something is rendered or drawn.
"""
