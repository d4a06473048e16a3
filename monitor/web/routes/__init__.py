"""One module per page of the workbench; each exports ``routes``."""
