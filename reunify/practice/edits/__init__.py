"""Editing the records a practitioner would otherwise type into YAML: the team, people,
households, the assessment, the agreement and the plan. Each function checks first and
writes once, round-trip and atomically, where the fact belongs (a family's file or a
child's)."""
