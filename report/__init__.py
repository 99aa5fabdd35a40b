"""Reports: APT slide sets (report.slides, report.sets), the tertial report, and their PowerPoint/PDF export. CLI `python -m report`."""
