"""The signals the content app sends; the apps that react connect to them in
their ``AppConfig.ready()``. This module imports nothing but ``django.dispatch``,
so a sender never imports its receivers.
"""

from django.dispatch import Signal

# Sent once the transaction that wrote them has committed (``content.changes``),
# never for a write that was rolled back: sender=Article, articles=[Article, …],
# deleted=bool. Listing rows are already right when it is sent.
articles_changed = Signal()

# An author, category or tag saved or deleted, after commit: sender=the model, instance=…, created=bool.
names_changed = Signal()
