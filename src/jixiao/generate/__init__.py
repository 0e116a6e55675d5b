"""The template generator: rubric → layout → workbook."""
