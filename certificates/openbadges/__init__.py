"""The standard formats of a credential: Open Badges 2.0 hosted documents, the Open Badges
3.0 credential and its proofs (Data Integrity, VC-JWT), issuer keys, baked images, the
re-check of a credential's proofs and the public URLs these documents name. The pinned
JSON-LD contexts live in `contexts/` beside `signing.py`."""
