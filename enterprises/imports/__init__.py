"""Spreadsheet import of enterprises, in the order a person meets it: a pre-filled template
(template), reading an upload safely (reading), a preview with every error named by sheet, row
and column (planning), and an all-or-nothing apply (applying); sheet holds what they share.

Rows are matched by tax code. The import writes enterprises only: the template's figures are a
reference sheet (returns are entered and reviewed on the return form)."""
