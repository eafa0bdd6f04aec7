"""Generated documents in the Vietnamese administrative format (Decree 30/2020/NĐ-CP): the year-end
report, vote-count minutes, the proposal letter, the covenant, the score table; charts for them.

`thidua.documents.pdf.html_to_pdf` turns HTML rendered from a template into PDF bytes with
WeasyPrint, offline; DOCX files are built with python-docx.
"""
