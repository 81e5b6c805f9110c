"""Teaching: walking a group through the stages of a sample case, and anonymised copies
of a case for training."""
