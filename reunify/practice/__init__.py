"""Practice: recording, the caseload, its profile, git as the audit trail, new case
folders, results as data, the fidelity report, and the edits behind the commands."""
