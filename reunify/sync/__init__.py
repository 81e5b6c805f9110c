"""A team on one caseload: records merged by meaning, and the caseload shared through git.

- `merge.py`: two versions of a record file merged by meaning (lists of entries as sets
  by their identity, in date order; a field changed on one side taken), or the clashes
  that stop it, each naming the record and field; `splice.py` writes the merge as text
  from both sides' own lines, `roundtrip.py` in this side's round-trip tree where that
  will not do (comments and formatting kept either way).
- `driver.py`: the same as a git merge driver (`reunify merge-driver`), and setting it
  up in a caseload (`.gitattributes`, git's configuration).
- `tree.py`: a merge of two commits made in memory, without touching the work tree.
- `run.py`: `reunify sync`: commit, fetch, merge, check, push.
"""
