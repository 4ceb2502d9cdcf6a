"""Readers for report files that are not plain text: each turns a file into the text kg reads.

Tables come out as tab-separated lines, one per row, so the segmenter sees the same table
whether the report was a Word file, a PDF or a text file. `kg.read` imports these modules only
when it meets such a file, so python-docx and pdfplumber load only when needed.
"""
