"""The pure scoring core: values, rules, scores. Imports no spreadsheet library."""
