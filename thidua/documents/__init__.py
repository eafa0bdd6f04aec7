"""Generated documents (PDF) in the Vietnamese administrative format (Decree 30/2020/NĐ-CP).

A plain package, no models: `thidua.documents.pdf.html_to_pdf` turns HTML rendered from a template
into PDF bytes with WeasyPrint, offline.
"""
