"""The parts of the genogram, one step of drawing it to a module.

`reunify.documents.genogram` is the entry point other modules import; these are its parts:

- model: sizes, colours, the print standard and the drawing items (shapes, strokes, text).
- text: measuring and wrapping labels in the bundled font; what each person's label says.
- generations: who is whose parent and partner, and each person's row.
- placement: people across the page, row by row, and how untidy a placement is.
- together: households' members moved side by side, so that each is one rectangle.
- households: each household's outline (a rectangle, else stepping row to row) and name.
- routing: an orthogonal router on a grid of obstacles' edges.
- paths: relationship lines, and family lines that would cross someone, routed with it.
- lines: the strokes of couples, children and relationships, and their geometry.
- key: the key to the symbols used.
- scene: a placement drawn: rows, symbols, labels, households, couple and child lines.
- layout: the whole, sized to print at 8 pt or more on a landscape page.
- svg, png: the two backends.
"""
