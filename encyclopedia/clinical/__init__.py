"""Clinical codes: the ``codes:`` front-matter field (ICD-10-CM, SNOMED CT) and the HL7 Infobutton
entry point (``/infobutton/``) that finds entries by them."""
