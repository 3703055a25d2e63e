"""Documents for people: the report and the agenda as .docx (GB/T 9704 layout), the ledger as .xlsx."""
