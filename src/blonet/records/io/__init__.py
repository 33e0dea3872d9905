"""Import and export of records (CSV, XLSX, the CEN-like statistics layout)."""
