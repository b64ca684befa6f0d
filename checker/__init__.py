"""Grade a learner's lesson workbook locally: `python -m checker path/to/workbook.py`."""
