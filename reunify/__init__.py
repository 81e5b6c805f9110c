"""reunify: the NSPCC Reunification Practice Framework on case folders of YAML records.

Importing the package costs nothing: each part is imported where it is used.
"""
