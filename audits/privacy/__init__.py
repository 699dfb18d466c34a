"""Personal data: ``selectors`` gathers everything stored about a person as one JSON-ready
document (and lists the trail of erasures); ``services`` erases a user's or a staff member's
personal data while their audits keep their scores, and what was kept that names them;
``naming`` tells whether stored bytes name a person; ``commands`` is ``evenly person``."""
